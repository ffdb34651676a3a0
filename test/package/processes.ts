import { type ChildProcess, spawn } from "node:child_process";

export interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
}

/**
 * Runs a command to completion. Past `timeoutMs` its whole process group is killed: npm's
 * children (node-gyp, make, the compiler) must not outlive the test.
 */
export function runBounded(command: string, args: readonly string[], options: RunOptions): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      killGroup(child);
      reject(
        new Error(`${command} ${args.join(" ")} took over ${options.timeoutMs} ms:\n${stdout}\n${stderr}`),
      );
    }, options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

export interface Served {
  readonly child: ChildProcess;
  /** Resolves with the URL of the banner's "ready at" line; rejects if the server exits first. */
  readonly ready: Promise<string>;
  /** SIGTERM, then SIGKILL if it has not exited within 10 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `edgekv serve` as a user would, by name from PATH. */
export function startServe(args: readonly string[], options: Omit<RunOptions, "timeoutMs">): Served {
  const child = spawn("edgekv", ["serve", ...args], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /edgekv-server is ready at (\S+)/.exec(output)?.[1];
      if (url !== undefined) resolve(url);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("error", reject);
    exited.then((code) => reject(new Error(`edgekv serve exited with ${code}:\n${output}`)));
  });
  return {
    child,
    ready,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
