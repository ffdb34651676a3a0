import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type ClientCredentials, readEdgercFile, sendSigned } from "../cli/edgegrid-client.ts";
import { httpsTransport } from "../cli/https-transport.ts";
import { parseServeConfig } from "../config.ts";
import { durationMs } from "../duration.ts";
import { createLogger, type RunningServer, startServer } from "../server.ts";
import type { StateAdded } from "../storage/state-repository.ts";

export interface StartEdgeKVOptions {
  /** `memory` (the default: nothing outlives stop()), a SQLite file, or a `postgres://` URL. */
  readonly database?: string;
  /** `manual` (the default): time moves only when the test moves it, with `clock.advance` or `clock.set`. */
  readonly clock?: "manual" | "system";
  /** A seed file's path, or the seed document itself (docs/seed-format.md), applied before start. */
  readonly seed?: string | object;
  /** 0, the default, takes a free port. */
  readonly port?: number;
  /** Where the certificate, the secret key and the `.edgerc` go; default: a temporary directory stop() removes. */
  readonly dataDir?: string;
  /** The server's log, on stdout; default `silent`. */
  readonly logLevel?: "silent" | "error" | "warn" | "info" | "debug";
}

/** What POST /_edgekv/v1/reset answers. */
export interface ResetResult {
  readonly accounts: string[];
  readonly deleted: { tokens: number; namespaces: number; items: number; clients: number };
  readonly reseeded: StateAdded | null;
}

export interface ResetOptions {
  /** The account to empty; default `default`, the one the credentials act on. */
  readonly account?: string;
  /** Empty every account. */
  readonly all?: boolean;
  /** Also remove API clients (never the test's own). */
  readonly credentials?: boolean;
  /** Then apply the start seed again. */
  readonly reseed?: boolean;
}

/** A duration: milliseconds, or text such as `90s`, `2h`, `60d`, `1d12h`. */
export type Duration = number | string;

export interface EdgeKV {
  /** `https://127.0.0.1:<port>`. */
  readonly url: string;
  /** The `.edgerc` the server wrote: Akamai's tools and `akamai-edgegrid` read it as they are. */
  readonly edgercPath: string;
  readonly section: string;
  /** The server's self-signed certificate, to trust (NODE_EXTRA_CA_CERTS, an https Agent's `ca`). */
  readonly caPath: string;
  /** The `.edgerc` section's values: an API client of account `default` with every capability. */
  readonly credentials: ClientCredentials;
  readonly clock: {
    /** The server's time. */
    now(): Promise<Date>;
    /** Moves the server's time forward; what is due then (activations, refreshes, expiries) is done before it resolves. */
    advance(by: Duration): Promise<Date>;
    /** Moves the server's time forward to `time`. */
    set(time: Date | string): Promise<Date>;
    /** Puts the server's time back (or forward) to the real time; it stays manual. */
    reset(): Promise<Date>;
  };
  /** Adds what a seed file (path) or document describes; resolves to what was added. */
  seed(seed: string | object): Promise<StateAdded>;
  /** Empties the tokens, namespaces and items of an account (default `default`) or of every account. */
  reset(options?: ResetOptions): Promise<ResetResult>;
  /** One request signed with the credentials; the answer's JSON, or an EdgeKVRequestError. */
  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** An unsigned request to the server, trusting its certificate: the data plane, health. */
  fetch(
    path: string,
    init?: { method?: string; headers?: Record<string, string>; body?: string },
  ): Promise<Response>;
  /** Stops the server and removes the temporary data directory. */
  stop(): Promise<void>;
}

/** A signed request the server answered with an error: its status and its problem body. */
export class EdgeKVRequestError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(method: string, path: string, status: number, body: unknown) {
    const detail =
      typeof body === "object" && body !== null && "detail" in body ? `: ${String(body.detail)}` : "";
    super(`${method} ${path} answered ${status}${detail}`);
    this.name = "EdgeKVRequestError";
    this.status = status;
    this.body = body;
  }
}

const parseAnswer = (text: string): unknown => {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * Starts an edgekv-server in this process for a test: HTTPS on a free port of 127.0.0.1, a memory
 * database and a manual clock unless told otherwise, and a `.edgerc` for it.
 */
export async function startEdgeKV(options: StartEdgeKVOptions = {}): Promise<EdgeKV> {
  const ownDir = options.dataDir === undefined ? await mkdtemp(join(tmpdir(), "edgekv-test-")) : null;
  const dataDir = resolve(ownDir ?? options.dataDir ?? ".");
  let server: RunningServer | undefined;
  try {
    let seedPath: string | undefined;
    if (typeof options.seed === "string") seedPath = resolve(options.seed);
    else if (options.seed !== undefined) {
      seedPath = join(dataDir, "start-seed.json");
      await writeFile(seedPath, JSON.stringify(options.seed), { mode: 0o600 });
    }
    const logLevel = options.logLevel ?? "silent";
    const config = parseServeConfig({
      host: "127.0.0.1",
      port: options.port ?? 0,
      dataDir,
      database: options.database ?? "memory",
      clock: options.clock ?? "manual",
      logLevel,
      ...(seedPath === undefined ? {} : { seed: seedPath }),
    });
    server = await startServer(config, { logger: createLogger({ logLevel, logFormat: "json" }) });
  } catch (error) {
    if (ownDir !== null) await rm(ownDir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  if (running.certPath === null) throw new Error("startEdgeKV: the server started without TLS");
  const caPath = running.certPath;
  const ca = await readFile(caPath, "utf8");
  const section = "default";
  const credentials = await readEdgercFile(running.edgercPath, section);

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await sendSigned(
      {
        credentials,
        method,
        target: path,
        ca,
        ...(body === undefined
          ? {}
          : { body: Buffer.from(JSON.stringify(body)), headers: { "Content-Type": "application/json" } }),
      },
      httpsTransport,
    );
    const answer = parseAnswer(response.body);
    if (response.status >= 400) throw new EdgeKVRequestError(method, path, response.status, answer);
    return answer as T;
  }

  const moved = async (body: object) =>
    new Date((await request<{ now: string }>("POST", "/_edgekv/v1/clock", body)).now);

  let stopped = false;
  return {
    url: running.url,
    edgercPath: running.edgercPath,
    section,
    caPath,
    credentials,
    clock: {
      now: async () => new Date((await request<{ now: string }>("GET", "/_edgekv/v1/clock")).now),
      advance: async (by) => moved({ advanceSeconds: durationMs(by) / 1000 }),
      set: (time) => moved({ set: typeof time === "string" ? time : time.toISOString() }),
      reset: () => moved({ reset: true }),
    },
    seed: async (seed) => {
      const document = typeof seed === "string" ? JSON.parse(await readFile(seed, "utf8")) : seed;
      return (await request<{ added: StateAdded }>("POST", "/_edgekv/v1/seed", document)).added;
    },
    reset: (resetOptions = {}) => request<ResetResult>("POST", "/_edgekv/v1/reset", resetOptions),
    request,
    fetch: (path, init = {}) => fetchTrusting(`${running.url}${path}`, ca, init),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await running.close();
      if (ownDir !== null) await rm(ownDir, { recursive: true, force: true });
    },
  };
}

/** One HTTPS request trusting `ca`, answered as a fetch Response (global fetch takes no CA). */
async function fetchTrusting(
  url: string,
  ca: string,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<Response> {
  const { request } = await import("node:https");
  return new Promise((resolveResponse, reject) => {
    const outgoing = request(
      url,
      { method: init.method ?? "GET", headers: init.headers ?? {}, ca },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
        incoming.on("error", reject);
        incoming.on("end", () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(incoming.headers)) {
            for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
              headers.append(name, one);
            }
          }
          const status = incoming.statusCode ?? 0;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolveResponse(new Response(body, { status, statusText: incoming.statusMessage ?? "", headers }));
        });
      },
    );
    outgoing.on("error", reject);
    outgoing.end(init.body);
  });
}
