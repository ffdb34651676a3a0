import { Agent, request as httpsRequest } from "node:https";
import { type EdgeGridCredentials, signRequest } from "../src/edgegrid/index.ts";

/** Where requests go; a bare baseline and the real server are called the same way. */
export interface Target {
  readonly port: number;
  readonly ca: string;
  readonly credentials: EdgeGridCredentials;
}

/** What a scenario sends; plain data, so it can be handed to the load generator's process unchanged. */
export interface Workload {
  readonly method: "GET" | "POST";
  readonly path: string;
  /** For POST: each request creates a token named `<prefix><counter>`. */
  readonly namePrefix?: string;
  /** Extra request headers (the data plane's access token). */
  readonly headers?: Readonly<Record<string, string>>;
  /** false: no EdgeGrid Authorization header (the data plane); default true. */
  readonly sign?: boolean;
}

export interface Reply {
  readonly status: number;
  readonly body: Buffer;
}

export interface LoadResult {
  /** Successful (2xx) responses that ended inside the measured window. */
  readonly ok: number;
  readonly errors: number;
  /** The first failure seen, warm-up included, to print when something went wrong. */
  readonly firstError: string | null;
  readonly elapsedMs: number;
  /** Latencies of the counted responses in ms, sorted ascending. */
  readonly latenciesMs: Float64Array;
}

export const tokenBody = (name: string): Buffer =>
  Buffer.from(
    JSON.stringify({
      name,
      allowOnStaging: true,
      allowOnProduction: true,
      namespacePermissions: { default: ["r", "w", "d"] },
    }),
  );

export const newAgent = (target: Target, connections: number): Agent =>
  new Agent({ keepAlive: true, maxSockets: connections, ca: target.ca });

/** One EdgeGrid-signed request with a fresh nonce and timestamp. */
export function send(
  target: Target,
  agent: Agent,
  request: {
    method: string;
    path: string;
    body?: Buffer;
    headers?: Readonly<Record<string, string>> | undefined;
    sign?: boolean | undefined;
  },
): Promise<Reply> {
  const host = `127.0.0.1:${target.port}`;
  const { body } = request;
  const authorization =
    request.sign === false
      ? undefined
      : signRequest({
          credentials: target.credentials,
          method: request.method,
          host,
          target: request.path,
          ...(body === undefined ? {} : { body }),
        });
  return new Promise((resolve, reject) => {
    const outgoing = httpsRequest(
      {
        host: "127.0.0.1",
        port: target.port,
        method: request.method,
        path: request.path,
        agent,
        headers: {
          Host: host,
          ...(authorization === undefined ? {} : { Authorization: authorization }),
          ...request.headers,
          ...(body === undefined
            ? {}
            : { "Content-Type": "application/json", "Content-Length": String(body.length) }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
        response.on("error", reject);
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const describeFailure = (reply: Reply) => `HTTP ${reply.status}: ${reply.body.toString("utf8", 0, 300)}`;

/**
 * Closed loop: each of `connections` loops sends its next request when the previous response has
 * ended. Responses that end during warm-up are not counted; the measured window is taken from
 * hrtime stamps, not from when the (possibly late) timers fired.
 */
export async function runLoad({
  target,
  workload,
  connections,
  warmupMs,
  durationMs,
}: {
  target: Target;
  workload: Workload;
  connections: number;
  warmupMs: number;
  durationMs: number;
}): Promise<LoadResult> {
  const agent = newAgent(target, connections);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  let measuring = false;
  let stopped = false;
  let measureStart = 0n;
  let measureEnd = 0n;
  let counter = 0;

  const nextRequest = () => {
    const common = {
      method: workload.method,
      path: workload.path,
      headers: workload.headers,
      sign: workload.sign,
    };
    if (workload.namePrefix === undefined) return common;
    counter += 1;
    return { ...common, body: tokenBody(`${workload.namePrefix}${counter}`) };
  };

  const loop = async () => {
    while (!stopped) {
      const request = nextRequest();
      const started = process.hrtime.bigint();
      let failure: string | null = null;
      try {
        const reply = await send(target, agent, request);
        if (reply.status < 200 || reply.status > 299) failure = describeFailure(reply);
      } catch (error) {
        failure = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      const ended = process.hrtime.bigint();
      if (failure !== null) firstError ??= failure;
      if (!measuring || stopped) continue;
      if (failure === null) latencies.push(Number(ended - started) / 1e6);
      else errors += 1;
    }
  };

  const warmup = setTimeout(() => {
    measuring = true;
    measureStart = process.hrtime.bigint();
  }, warmupMs);
  const stop = setTimeout(() => {
    stopped = true;
    measureEnd = process.hrtime.bigint();
  }, warmupMs + durationMs);
  try {
    await Promise.all(Array.from({ length: connections }, loop));
  } finally {
    clearTimeout(warmup);
    clearTimeout(stop);
    agent.destroy();
  }
  const latenciesMs = Float64Array.from(latencies).sort();
  return {
    ok: latencies.length,
    errors,
    firstError,
    elapsedMs: Number(measureEnd - measureStart) / 1e6,
    latenciesMs,
  };
}

/** Nearest-rank percentile of sorted values; NaN when there are none. */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(fraction * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}
