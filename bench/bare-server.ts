import { createServer } from "node:https";
import type { AddressInfo } from "node:net";

export interface BareServer {
  readonly port: number;
  /** The body every later response carries. */
  setBody(body: Buffer): void;
  close(): Promise<void>;
}

/**
 * The baseline: TLS and HTTP parsing by node:https alone, no routing, auth or storage. The request
 * body is read to its end before answering, as the real server must.
 */
export async function startBareServer({ cert, key }: { cert: string; key: string }): Promise<BareServer> {
  let body: Buffer = Buffer.from("{}");
  const server = createServer({ cert, key }, (request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length });
      response.end(body);
    });
  });
  // Like Fastify's 72 s, so idle sockets between phases are not closed under the client.
  server.keepAliveTimeout = 72_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    setBody: (next) => {
      body = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
}
