import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, HTTPMethods } from "fastify";
import type { TestContext } from "vitest";
import { processContext } from "../../src/cli/context.ts";
import type { SignedRequest, Transport } from "../../src/cli/edgegrid-client.ts";
import { buildProgram, runProgram } from "../../src/cli/program.ts";
import type { Clock } from "../../src/clock.ts";
import type { TokenSettings } from "../../src/tokens/token-service.ts";
import { createHarness, type Harness, TEST_HOST } from "../support/harness.ts";
import { hostLineFor } from "./cli-server.ts";

/** What the `edgekv` process would have printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  /** The whole environment the CLI sees (default: none). */
  env?: NodeJS.ProcessEnv;
  /** Default: none, so a run that should be refused before sending fails loudly if it sends. */
  transport?: Transport;
  /** Called for every pause (`--wait`, `--follow`), after the run's own clock has moved by it. */
  onSleep?: (milliseconds: number) => void | Promise<void>;
  /** The working directory the CLI looks for a local server's `.edgekv` in (default: none there). */
  cwd?: string;
  /** What the run reads from standard input (default: nothing). */
  stdin?: string;
  /** Stands for Ctrl-C: aborting it interrupts a command that runs until stopped (`audit --follow`). */
  interrupt?: AbortSignal;
}

/**
 * The conventional home of nobody: no `.edgekv` there, so a run finds a local server only in a
 * directory its test made, whatever the checkout the tests run in holds.
 */
const NO_LOCAL_SERVER = "/nonexistent";

const noServer: Transport = async (request) => {
  throw new Error(`this test has no server, yet the CLI sent ${request.method} ${request.target}`);
};

/**
 * Runs `edgekv <args>` in this process. `--wait` takes no real time: each pause moves a clock of the
 * run's own, which is what `--timeout` measures.
 */
export async function runEdgekv(args: readonly string[], options: RunOptions = {}): Promise<CliRun> {
  const run: CliRun = { code: 0, stdout: "", stderr: "" };
  let elapsed = 0;
  const context = processContext({
    stdout: {
      write: (text: string) => {
        run.stdout += text;
      },
    },
    stderr: {
      write: (text: string) => {
        run.stderr += text;
      },
    },
    env: options.env ?? {},
    transport: options.transport ?? noServer,
    sleep: async (milliseconds) => {
      elapsed += milliseconds;
      await options.onSleep?.(milliseconds);
    },
    now: () => elapsed,
    cwd: options.cwd ?? NO_LOCAL_SERVER,
    readStdin: async () => options.stdin ?? "",
    listenForInterrupt: () => ({
      signal: options.interrupt ?? AbortSignal.abort(new Error("this run has no interrupt to wait for")),
      stop: () => {},
    }),
  });
  run.code = await runProgram(buildProgram(context), ["node", "edgekv", ...args], context);
  return run;
}

const textHeaders = (headers: Record<string, number | string | string[] | undefined>) =>
  Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name, typeof value === "number" ? String(value) : value]),
  );

/** Hands each signed request to the app's inject() as it was signed: no socket, no TLS. */
export function injectTransport(app: FastifyInstance, sent?: SignedRequest[]): Transport {
  return async (request) => {
    sent?.push(request);
    const response = await app.inject({
      // Any method the user typed goes through, as it would over HTTPS.
      method: request.method as HTTPMethods,
      url: request.target,
      headers: request.headers,
      ...(request.body === undefined ? {} : { payload: request.body }),
    });
    return { status: response.statusCode, headers: textHeaders(response.headers), body: response.body };
  };
}

/** An .edgerc [default] section for `host` with these credentials. */
export const edgercText = (
  host: string,
  credentials: { clientToken: string; clientSecret: string; accessToken: string },
) =>
  `[default]\nhost = ${host}\nclient_token = ${credentials.clientToken}\n` +
  `client_secret = ${credentials.clientSecret}\naccess_token = ${credentials.accessToken}\n`;

export interface CliHarness {
  harness: Harness;
  /** A temporary directory for the test's files; the .edgerc is in it. */
  dir: string;
  /** The harness's client, with host TEST_HOST. */
  edgerc: string;
  /** What `cli` prints on stderr before it talks to the harness (human output only). */
  hostLine: string;
  /** Every request the CLI sent, in order. */
  sent: SignedRequest[];
  /** `edgekv <args> --edgerc <edgerc>` */
  cli(args: readonly string[], options?: Omit<RunOptions, "transport">): Promise<CliRun>;
  /** `edgekv <args>` against the harness, finding credentials however `args` and `env` say. */
  run(args: readonly string[], options?: Omit<RunOptions, "transport">): Promise<CliRun>;
}

/**
 * A fresh harness for one test, the CLI pointed at it through inject(), closed when the test ends.
 *
 * The CLI signs with the real time, so the harness starts at the real time and keeps its skew check:
 * dates the CLI works out from today (an expiry in 10 days, "refreshed today") agree with the
 * server's. Every `--wait` pause moves the harness clock by the same amount, so activation runs
 * without waiting; the few seconds it adds stay far inside the 30 s skew allowed. A test that moves
 * the harness clock further (past the skew) turns the check off with `maxSkewSeconds: null`.
 */
export async function cliHarness(
  test: Pick<TestContext, "onTestFinished">,
  {
    settings = {},
    maxSkewSeconds,
    serverClockFollowsWait = true,
    wallClock,
    manualClockRoutes,
  }: {
    settings?: Partial<TokenSettings>;
    maxSkewSeconds?: null;
    /**
     * The server's real time, for EdgeGrid timestamps and clock resets: `systemClock` makes it a
     * `--clock manual` server as started, whose clock may move any distance from the time the CLI
     * signs with (default: the harness clock, under the skew check described above).
     */
    wallClock?: Clock;
    /** false: a server on the system clock, whose clock routes answer 404. */
    manualClockRoutes?: false;
    /** false: the server's clock stands still while the CLI waits (until the test moves it). */
    serverClockFollowsWait?: boolean;
  } = {},
): Promise<CliHarness> {
  const harness = await createHarness({
    start: new Date(),
    settings,
    ...(maxSkewSeconds === undefined ? {} : { maxSkewSeconds }),
    ...(wallClock === undefined ? {} : { wallClock }),
    ...(manualClockRoutes === undefined ? {} : { manualClockRoutes }),
  });
  const dir = await mkdtemp(join(tmpdir(), "edgekv-cli-"));
  test.onTestFinished(async () => {
    await harness.close();
    await rm(dir, { recursive: true, force: true });
  });
  const edgerc = join(dir, "edgerc");
  await writeFile(edgerc, edgercText(TEST_HOST, harness.credentials));
  const sent: SignedRequest[] = [];
  const transport = injectTransport(harness.app, sent);
  const onSleep = serverClockFollowsWait
    ? (milliseconds: number) => harness.clock.advance(milliseconds)
    : undefined;
  const run: CliHarness["run"] = (args, options = {}) =>
    runEdgekv(args, { ...(onSleep === undefined ? {} : { onSleep }), ...options, transport });
  return {
    harness,
    dir,
    edgerc,
    hostLine: hostLineFor(TEST_HOST, `${edgerc} [default]`),
    sent,
    run,
    cli: (args, options) => run([...args, "--edgerc", edgerc], options),
  };
}

/** `token create <name>` on staging only, every EdgeWorker id, `default` readable: the tests' usual token. */
export function tokenCreateArgs(
  name: string,
  {
    production = "deny",
    namespace = "default+r",
  }: { production?: "allow" | "deny"; namespace?: string } = {},
): string[] {
  return [
    "token",
    "create",
    name,
    "--staging",
    "allow",
    "--production",
    production,
    "--ewids",
    "all",
    "--namespace",
    namespace,
  ];
}
