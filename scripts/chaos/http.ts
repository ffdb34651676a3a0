import { Agent, request } from "node:https";
import { type ClientCredentials, signedRequest } from "../../src/cli/edgegrid-client.ts";

/** Long enough for a loaded server on a shared machine; a request never waits longer than this. */
const REQUEST_TIMEOUT_MS = 15_000;

/** One running node as the load sees it: where it listens, how to sign for it, whom to trust. */
export interface Endpoint {
  readonly name: string;
  readonly port: number;
  readonly credentials: ClientCredentials;
  /** Its own connection pool: destroyed with the node, so no request reuses a dead socket. */
  readonly agent: Agent;
}

export function endpointAgent(ca: string, sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets, ca });
}

export interface Reply {
  readonly status: number;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface Call {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly path: string;
  readonly body?: string;
  readonly contentType?: string;
}

/** Rejects when no answer came: connection refused or reset (a killed node), or the timeout. */
function send(
  endpoint: Endpoint,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: "127.0.0.1", port: endpoint.port, method, path, headers, agent: endpoint.agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers["content-type"] ?? "",
            body: Buffer.concat(chunks),
          }),
        );
        response.on("error", reject);
      },
    );
    outgoing.setTimeout(REQUEST_TIMEOUT_MS, () =>
      outgoing.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)),
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** The admin API: EdgeGrid-signed with a fresh nonce and timestamp. */
export function admin(endpoint: Endpoint, call: Call): Promise<Reply> {
  const body = call.body === undefined ? undefined : Buffer.from(call.body, "utf8");
  const signed = signedRequest({
    credentials: endpoint.credentials,
    method: call.method,
    target: call.path,
    ...(body === undefined ? {} : { body }),
    ...(call.contentType === undefined ? {} : { headers: { "Content-Type": call.contentType } }),
  });
  return send(endpoint, signed.method, signed.target, signed.headers, signed.body);
}

/** The data plane: no EdgeGrid, an enhanced token's reference instead. */
export function dataPlane(endpoint: Endpoint, call: Call, tokenUuid: string): Promise<Reply> {
  const body = call.body === undefined ? undefined : Buffer.from(call.body, "utf8");
  const headers: Record<string, string> = {
    Host: `127.0.0.1:${endpoint.port}`,
    "X-Akamai-EdgeDB-Auth-Ref": tokenUuid,
  };
  if (call.contentType !== undefined) headers["Content-Type"] = call.contentType;
  if (body !== undefined) headers["Content-Length"] = String(body.length);
  return send(endpoint, call.method, call.path, headers, body);
}
