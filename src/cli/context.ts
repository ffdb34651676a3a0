import { setTimeout as delay } from "node:timers/promises";
import { httpsTransport } from "./https-transport.ts";
import type { Transport } from "./transport.ts";

/** Where a command's text goes: a process stream, or a string buffer in tests. */
export interface TextSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
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
  /** The pause between `--wait` polls. */
  sleep(milliseconds: number): Promise<void>;
  /** Monotonic milliseconds: `--timeout` and the spinner's elapsed seconds. */
  now(): number;
  /** Where a local server's data directory (`./.edgekv`) is looked for. */
  readonly cwd: string;
}

export function processContext(overrides: Partial<CliContext> = {}): CliContext {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    transport: httpsTransport,
    sleep: (milliseconds) => delay(milliseconds),
    now: () => performance.now(),
    cwd: process.cwd(),
    ...overrides,
  };
}
