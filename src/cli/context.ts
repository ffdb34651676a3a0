import type { EventEmitter } from "node:events";
import { text } from "node:stream/consumers";
import { setTimeout as delay } from "node:timers/promises";
import { httpsTransport } from "./https-transport.ts";
import type { Transport } from "./transport.ts";

/** Where a command's text goes: a process stream, or a string buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Ctrl-C while a command listens for it: `signal` aborts; `stop()` gives Ctrl-C back its default. */
export interface Interruption {
  readonly signal: AbortSignal;
  stop(): void;
}

/**
 * Everything a command touches outside itself. `main` passes the process's own; tests pass string
 * sinks, their own environment, a transport into the app's inject() and a clock they control.
 */
export interface CliContext {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Read instead of process.env, including for the options commander fills from variables. */
  readonly env: NodeJS.ProcessEnv;
  readonly transport: Transport;
  /** The pause between polls; it ends early, without an error, once `signal` aborts. */
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
  /** Monotonic milliseconds: `--timeout` and the spinner's elapsed seconds. */
  now(): number;
  /** Where a local server's data directory (`./.edgekv`) is looked for. */
  readonly cwd: string;
  /** All of standard input, for an argument given as `-`. */
  readStdin(): Promise<string>;
  /** For a command that runs until stopped (`audit --follow`): Ctrl-C ends it cleanly. */
  listenForInterrupt(): Interruption;
}

/**
 * Aborts on the first SIGINT `target` emits. Only while listened to: a listener keeps Node from
 * ending the process on Ctrl-C, and a second Ctrl-C, with the listener gone, still does.
 */
export function interruptOn(target: Pick<EventEmitter, "once" | "off"> = process): Interruption {
  const controller = new AbortController();
  const abort = () => controller.abort();
  target.once("SIGINT", abort);
  return { signal: controller.signal, stop: () => target.off("SIGINT", abort) };
}

async function pause(milliseconds: number, signal?: AbortSignal): Promise<void> {
  try {
    await delay(milliseconds, undefined, signal === undefined ? {} : { signal });
  } catch (error) {
    if (signal?.aborted !== true) throw error;
  }
}

export function processContext(overrides: Partial<CliContext> = {}): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    transport: httpsTransport,
    sleep: pause,
    now: () => performance.now(),
    cwd: process.cwd(),
    readStdin: () => text(process.stdin),
    listenForInterrupt: () => interruptOn(process),
    ...overrides,
  };
}
