import { createContext } from "preact";
import { useCallback, useContext, useEffect, useRef, useState } from "preact/hooks";
import { messageOf } from "../api/client.ts";
import { serverNow } from "../lib/server-clock.ts";
import type { Store } from "../lib/store.ts";
import type { ConsoleState } from "../state.ts";

export const ConsoleContext = createContext<ConsoleState | null>(null);

export function useConsole(): ConsoleState {
  const state = useContext(ConsoleContext);
  if (state === null) throw new Error("useConsole outside the console");
  return state;
}

export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(() => store.get());
  useEffect(() => {
    setValue(() => store.get());
    return store.subscribe((next) => setValue(() => next));
  }, [store]);
  return value;
}

/**
 * The server's time, read again every `tickMs` (and whenever a new reading arrives) so relative
 * times move on by themselves.
 */
export function useServerNow(tickMs = 10_000): number {
  const clock = useStore(useConsole().clock);
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), tickMs);
    return () => clearInterval(timer);
  }, [tickMs]);
  return serverNow(clock, performance.now());
}

export interface Loaded<T> {
  readonly data: T | null;
  readonly error: string | null;
  readonly loading: boolean;
  reload(): void;
}

/**
 * Data a page fetches when it opens, and again when `keys` or the account acted on change. An
 * answer for keys that changed meanwhile is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, keys: readonly unknown[]): Loaded<T> {
  const account = useStore(useConsole().account);
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const generation = useRef(0);
  const run = useCallback(() => {
    const current = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current === generation.current && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        current === generation.current && setState({ data: null, error: messageOf(error), loading: false }),
    );
  }, [account, ...keys]);
  useEffect(() => {
    setState({ data: null, error: null, loading: true });
    run();
  }, [run]);
  return { ...state, reload: run };
}
