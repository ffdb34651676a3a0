import { type Api, ApiError, createApi, messageOf } from "./api/client.ts";
import { paths } from "./api/paths.ts";
import type { AuditEvent, Session } from "./api/types.ts";
import type { Problem } from "./lib/problem.ts";
import { readClock, type ServerClock } from "./lib/server-clock.ts";
import { createStore, type Store } from "./lib/store.ts";
import { type ListedToken, listingKey, type TokenDetail } from "./lib/tokens.ts";

export interface Toast {
  readonly id: number;
  readonly message: string;
  readonly kind: "success" | "error";
}

export interface TokenList {
  readonly tokens: readonly ListedToken[] | null;
  readonly error: string | null;
}

/** A token's detail as last fetched, for the listing it was fetched for. */
export interface DetailEntry {
  readonly key: string;
  readonly detail: TokenDetail | null;
  readonly error: Problem | null;
}

export type Connection = "connecting" | "live" | "reconnecting";

export interface ConsoleState {
  readonly api: Api;
  readonly session: Session;
  /** The account acted on; the session's own unless switched in the header. */
  readonly account: Store<string>;
  readonly clock: Store<ServerClock>;
  readonly tokens: Store<TokenList>;
  readonly details: Store<ReadonlyMap<string, DetailEntry>>;
  readonly connection: Store<Connection>;
  readonly toasts: Store<readonly Toast[]>;
  /** Audit events as the stream delivers them, newest last (the audit page's live tail). */
  readonly auditFeed: Store<readonly AuditEvent[]>;
  notify(message: string, kind?: Toast["kind"]): void;
  reloadTokens(): Promise<void>;
  loadDetails(tokens: readonly ListedToken[]): void;
  close(): void;
}

const DETAIL_CONCURRENCY = 4;
const POLL_MS = 5000;
const TOAST_MS = 6000;
const FEED_LIMIT = 500;

export function createConsole(session: Session, onSessionLost: (problem: Problem) => void): ConsoleState {
  const account = createStore(session.account);
  const clock = createStore<ServerClock>({
    serverMs: Date.parse(session.now),
    receivedAt: performance.now(),
    mode: session.clock,
  });
  const tokens = createStore<TokenList>({ tokens: null, error: null });
  const details = createStore<ReadonlyMap<string, DetailEntry>>(new Map());
  const connection = createStore<Connection>("connecting");
  const toasts = createStore<readonly Toast[]>([]);
  const auditFeed = createStore<readonly AuditEvent[]>([]);

  const api = createApi({
    onServerTime: (iso) => clock.set((current) => readClock(current, iso, performance.now())),
    onSessionLost,
    accountSwitchKey: () => (account.get() === session.account ? null : account.get()),
  });

  let toastId = 0;
  function notify(message: string, kind: Toast["kind"] = "success"): void {
    const id = ++toastId;
    toasts.set((list) => [...list.slice(-3), { id, message, kind }]);
    setTimeout(() => toasts.set((list) => list.filter((toast) => toast.id !== id)), TOAST_MS);
  }

  function setTokens(list: readonly ListedToken[]): void {
    tokens.set({ tokens: list, error: null });
    const names = new Set(list.map((token) => token.name));
    details.set((map) => new Map([...map].filter(([name]) => names.has(name))));
  }

  async function reloadTokens(): Promise<void> {
    try {
      const answer = await api.get<{ tokens: ListedToken[] }>(paths.tokens, {
        query: { includeExpired: "true" },
      });
      setTokens(answer.data.tokens);
    } catch (error) {
      tokens.set((current) => ({ ...current, error: messageOf(error) }));
    }
  }

  // Details are fetched a few at a time, each once per change of its listing.
  const queue: ListedToken[] = [];
  const inFlight = new Set<string>();
  function pump(): void {
    while (inFlight.size < DETAIL_CONCURRENCY && queue.length > 0) {
      const token = queue.shift();
      if (token === undefined) return;
      const key = listingKey(token);
      if (inFlight.has(token.name) || details.get().get(token.name)?.key === key) continue;
      inFlight.add(token.name);
      const accountAsked = account.get();
      api
        .get<TokenDetail>(paths.token(token.name))
        .then(
          (answer) => ({ key, detail: answer.data, error: null }),
          (error: unknown) => ({
            key,
            detail: null,
            error: error instanceof ApiError ? error.problem : null,
          }),
        )
        .then((entry) => {
          if (account.get() === accountAsked) details.set((map) => new Map(map).set(token.name, entry));
        })
        .finally(() => {
          inFlight.delete(token.name);
          pump();
        });
    }
  }
  function loadDetails(list: readonly ListedToken[]): void {
    const queued = new Set(queue.map((token) => token.name));
    queue.push(
      ...list.filter(
        (token) =>
          !queued.has(token.name) &&
          !inFlight.has(token.name) &&
          details.get().get(token.name)?.key !== listingKey(token),
      ),
    );
    pump();
  }

  // Live updates; while the stream is down, the token list is polled instead.
  let source: EventSource | null = null;
  let poll: ReturnType<typeof setInterval> | null = null;
  let failures = 0;
  const retryMs = () => Math.min(30_000, 2000 * 2 ** Math.min(failures++, 4));
  function startPolling(): void {
    poll ??= setInterval(() => void reloadTokens(), POLL_MS);
  }
  function stopPolling(): void {
    if (poll !== null) clearInterval(poll);
    poll = null;
  }
  function connect(): void {
    source?.close();
    connection.set("connecting");
    const stream = new EventSource(api.url(paths.events, {}));
    source = stream;
    stream.onopen = () => {
      failures = 0;
      connection.set("live");
      stopPolling();
    };
    stream.onerror = () => {
      connection.set("reconnecting");
      startPolling();
      // A refused stream is not retried by the browser: ask whether the session is still there.
      if (stream.readyState === EventSource.CLOSED) {
        api.get(paths.session, { noAccount: true }).then(
          () => setTimeout(() => source === stream && connect(), retryMs()),
          (error: unknown) => {
            if (error instanceof ApiError && error.problem.status === 401) onSessionLost(error.problem);
            else setTimeout(() => source === stream && connect(), retryMs());
          },
        );
      }
    };
    stream.addEventListener("tokens", (event) => {
      const data = parse(event);
      if (isTokenList(data)) setTokens(data.tokens);
    });
    stream.addEventListener("time", (event) => {
      const data = parse(event);
      if (typeof data === "object" && data !== null && "now" in data && typeof data.now === "string") {
        const mode = "clock" in data && data.clock === "manual" ? "manual" : "system";
        const now = data.now;
        clock.set((current) => readClock({ ...current, mode }, now, performance.now()));
      }
    });
    stream.addEventListener("audit", (event) => {
      const data = parse(event);
      if (typeof data === "object" && data !== null && "id" in data && "action" in data) {
        auditFeed.set((feed) => [...feed.slice(-FEED_LIMIT + 1), data as AuditEvent]);
      }
    });
  }

  account.subscribe(() => {
    tokens.set({ tokens: null, error: null });
    details.set(new Map());
    queue.length = 0;
    connect();
    void reloadTokens();
  });

  connect();
  void reloadTokens();

  return {
    api,
    session,
    account,
    clock,
    tokens,
    details,
    connection,
    toasts,
    auditFeed,
    notify,
    reloadTokens,
    loadDetails,
    close() {
      source?.close();
      source = null;
      stopPolling();
    },
  };
}

function parse(event: Event): unknown {
  try {
    return JSON.parse((event as MessageEvent<string>).data);
  } catch {
    return null;
  }
}

const isTokenList = (data: unknown): data is { tokens: ListedToken[] } =>
  typeof data === "object" && data !== null && "tokens" in data && Array.isArray(data.tokens);
