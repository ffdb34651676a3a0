import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const BIN = join(import.meta.dirname, "..", "..", "bin", "edgekv.js");
const START_TIMEOUT_MS = 30_000;
/** Enough of a node's output to explain why it did not start. */
const OUTPUT_KEPT = 20_000;
const READY = /edgekv-server is ready at https:\/\/127\.0\.0\.1:(\d+)/;

export interface ServerSpec {
  readonly dataDir: string;
  /** A `postgres://` URL; without it, SQLite in the data directory. */
  readonly database?: string;
  readonly env?: Readonly<Record<string, string>>;
}

export interface ServerProcess {
  readonly port: number;
  readonly exited: Promise<void>;
  output(): string;
  /** SIGKILL to the whole process group: no shutdown code of the server runs. */
  kill(): void;
  /** SIGTERM, the server's clean shutdown; SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/** Every server this process started and has not seen exit: killed on Ctrl-C and at exit. */
const running = new Set<ChildProcess>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // Negative pid: the group, so that helpers the server started (esbuild for tsx) go with it.
    process.kill(-child.pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

/** Synchronous, so that it also works in an `exit` handler. */
export function killAllServers(): void {
  for (const child of running) killGroup(child, "SIGKILL");
}

/** The variables of this shell minus any that would configure the server behind the run's back. */
function childEnv(extra: Readonly<Record<string, string>>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith("EDGEKV_") && !name.startsWith("AKAMAI_")) env[name] = value;
  }
  return { ...env, ...extra };
}

/**
 * Starts `edgekv serve` on 127.0.0.1 and waits for its banner. `port` 0 takes any free port; the
 * bound one is read from the banner.
 */
export async function startServerProcess(spec: ServerSpec, port: number): Promise<ServerProcess> {
  const args = [BIN, "serve", "--host", "127.0.0.1", "--port", String(port), "--data-dir", spec.dataDir];
  if (spec.database !== undefined) args.push("--database", spec.database);
  // Activation at once, so that tokens work on the data plane; the limit raised because every
  // cycle creates tokens; warnings only, because request lines would be most of the output.
  args.push("--activation-delay", "0", "--token-limit", "100000", "--log-format", "json");
  args.push("--log-level", "warn");
  const child = spawn(process.execPath, args, {
    env: childEnv(spec.env ?? {}),
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  running.add(child);
  let text = "";
  const keep = (chunk: Buffer) => {
    text = (text + chunk.toString("utf8")).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) =>
    child.once("exit", () => {
      running.delete(child);
      resolve();
    }),
  );
  const bound = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, "SIGKILL");
      reject(new Error(`the server did not start within ${START_TIMEOUT_MS} ms:\n${text}`));
    }, START_TIMEOUT_MS);
    child.stdout?.on("data", () => {
      const match = READY.exec(text);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`the server exited before it was ready:\n${text}`));
    });
  });
  return {
    port: bound,
    exited,
    output: () => text,
    kill: () => killGroup(child, "SIGKILL"),
    stop: async (graceMs = 10_000) => {
      killGroup(child, "SIGTERM");
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      // The server has gone; a helper of its group may not have.
      killGroup(child, "SIGKILL");
    },
  };
}
