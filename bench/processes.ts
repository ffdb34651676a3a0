import { type ChildProcess, execFileSync, fork, spawn } from "node:child_process";
import { availableParallelism } from "node:os";

/**
 * The benchmark's processes: the load generator, the bare baseline and the real server each run in
 * a process of their own. On a machine with two or more cores the generator is pinned to core 0 and
 * both servers to core 1 (taskset), so the generator never takes the server's core, and the bare
 * baseline gets exactly what the real server gets. PostgreSQL's own processes are not pinned.
 */
export const GENERATOR_CPU = "0";
export const SERVER_CPU = "1";

let pinning: boolean | undefined;

/** Whether processes can be pinned here (taskset present, two cores or more); `--no-pin` turns it off. */
export function canPin(): boolean {
  if (pinning !== undefined) return pinning;
  pinning = false;
  if (availableParallelism() < 2) return pinning;
  try {
    execFileSync("taskset", ["-p", String(process.pid)], { stdio: "ignore" });
    pinning = true;
  } catch {
    pinning = false;
  }
  return pinning;
}

export function disablePinning(): void {
  pinning = false;
}

/** Pins every thread of `pid` to `cpus` (threads it starts later inherit the mask). */
export function pin(pid: number | undefined, cpus: string): void {
  if (pid === undefined || !canPin()) return;
  execFileSync("taskset", ["-a", "-p", "-c", cpus, String(pid)], { stdio: "ignore" });
}

/** A TypeScript module of this directory as a child process with an IPC channel. */
export function forkBench(module: string, cpus: string, execArgv: readonly string[] = []): ChildProcess {
  const child = fork(new URL(module, import.meta.url), [], {
    execArgv: ["--import", "tsx", ...execArgv],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  pin(child.pid, cpus);
  return child;
}

/** Sends one message and waits for the child's answer (the children answer one request at a time). */
export function ask<T>(child: ChildProcess, message: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`child ${child.pid} exited with ${code}`));
    child.once("exit", onExit);
    child.once("message", (answer: unknown) => {
      child.off("exit", onExit);
      const failure = (answer as { error?: string }).error;
      if (failure !== undefined) reject(new Error(failure));
      else resolve(answer as T);
    });
    child.send(message as never);
  });
}

export async function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill(signal);
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly port: number;
  output(): string;
}

/** `node bin/edgekv.js serve …` (the built dist/) in its own process; resolves once it is ready. */
export async function startServerProcess(
  args: readonly string[],
  { cpus, nodeArgs = [], env = {} }: { cpus: string; nodeArgs?: readonly string[]; env?: NodeJS.ProcessEnv },
): Promise<ServerProcess> {
  const bin = new URL("../bin/edgekv.js", import.meta.url).pathname;
  const child = spawn(process.execPath, [...nodeArgs, bin, "serve", "--log-format", "json", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  pin(child.pid, cpus);
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${text}`)), 60_000);
    const check = () => {
      const match = /edgekv-server is ready at (\S+)/.exec(text);
      if (match?.[1] === undefined) return;
      clearTimeout(timer);
      resolve(match[1]);
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code}:\n${text}`));
    });
  });
  return { child, url, port: Number(new URL(url).port), output: () => text };
}
