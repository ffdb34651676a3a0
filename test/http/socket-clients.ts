import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:http";
import { get as httpsGet } from "node:https";
import { connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { connect as tlsConnect } from "node:tls";
import pino from "pino";
import { type ClientCredentials, type SignedResponse, sendSigned } from "../../src/cli/edgegrid-client.ts";
import { parseServeConfig } from "../../src/config.ts";
import { readEdgercSection, signRequest } from "../../src/edgegrid/index.ts";
import { type RunningServer, startServer } from "../../src/server.ts";

/** A real server on 127.0.0.1 for socket tests, with what it logs and a signing client's credentials. */
export interface TestServer {
  readonly server: RunningServer;
  readonly port: number;
  readonly lines: ReadonlyArray<{ level: number; msg: string }>;
  readonly credentials: ClientCredentials;
  /** The certificate to trust; undefined for plain HTTP. */
  readonly ca: string | undefined;
  /** A correctly signed `GET /edgekv/v1/tokens` on a connection of its own. */
  signedGet(): Promise<number>;
  /** `GET /_edgekv/health` on a connection of its own. */
  health(): Promise<number>;
  close(): Promise<void>;
}

/** Starts `edgekv serve` in this process with `settings` (ServeConfig fields) and an in-memory database. */
export async function startTestServer(settings: Record<string, unknown>): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "edgekv-slow-"));
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line !== "") lines.push(JSON.parse(line));
      done();
    },
  });
  const server = await startServer(
    parseServeConfig({ host: "127.0.0.1", port: 0, dataDir, database: "memory", ...settings }),
    { logger: pino({ level: "info" }, sink) },
  );
  const ca = server.certPath === null ? undefined : await readFile(server.certPath, "utf8");
  const credentials = readEdgercSection({
    text: await readFile(server.edgercPath, "utf8"),
    section: "default",
  });
  const port = server.port;
  return {
    server,
    port,
    lines,
    credentials,
    ca,
    signedGet: async () => {
      const signed = { credentials, method: "GET", target: "/edgekv/v1/tokens" };
      return ca === undefined
        ? (await sendSigned(signed, (prepared) => plainRequest(port, prepared.target, prepared.headers)))
            .status
        : (await sendSigned({ ...signed, ca })).status;
    },
    health: () =>
      ca === undefined
        ? plainRequest(port, "/_edgekv/health", {}).then((response) => response.status)
        : new Promise((resolve, reject) => {
            httpsGet({ host: "127.0.0.1", port, path: "/_edgekv/health", ca, agent: false }, (response) => {
              response.resume();
              response.on("end", () => resolve(response.statusCode ?? 0));
            }).on("error", reject);
          }),
    close: async () => {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function plainRequest(port: number, path: string, headers: Record<string, string>): Promise<SignedResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: "127.0.0.1", port, path, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

/** A raw client connection: what it received, and when the server closed it. */
export interface RawClient {
  write(text: string): void;
  received(): string;
  readonly isClosed: () => boolean;
  /** Resolves when the connection closes, with the milliseconds since it was opened. */
  readonly closed: Promise<number>;
  destroy(): void;
}

/** Opens a connection to 127.0.0.1, over TLS when `ca` is given, and resolves once it may be written to. */
export function openRaw(port: number, ca?: string): Promise<RawClient> {
  const opened = performance.now();
  const socket =
    ca === undefined ? tcpConnect({ host: "127.0.0.1", port }) : tlsConnect({ host: "127.0.0.1", port, ca });
  const chunks: Buffer[] = [];
  let closed = false;
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  // A reset is one way for the server to close; the test looks at `closed`.
  socket.on("error", () => {});
  const closedAt = new Promise<number>((resolve) =>
    socket.on("close", () => {
      closed = true;
      resolve(performance.now() - opened);
    }),
  );
  const client: RawClient = {
    write: (text) => {
      socket.write(text);
    },
    received: () => Buffer.concat(chunks).toString("utf8"),
    isClosed: () => closed,
    closed: closedAt,
    destroy: () => socket.destroy(),
  };
  return new Promise((resolve, reject) => {
    socket.once(ca === undefined ? "connect" : "secureConnect", () => resolve(client));
    socket.once("close", () => reject(new Error("closed before it was open")));
  });
}

/**
 * A request whose headers say 1000 bytes of body, then one byte of it, then nothing. It is signed
 * by a real client (for the whole body it never sends), so it passes every check the server can make
 * before reading the body: only the body's slowness holds it up.
 */
export function slowBody(server: TestServer): string {
  const host = `127.0.0.1:${server.port}`;
  const authorization = signRequest({
    credentials: server.credentials,
    method: "POST",
    host,
    target: "/edgekv/v1/tokens",
    body: Buffer.alloc(1000, 0x20),
  });
  return `POST /edgekv/v1/tokens HTTP/1.1\r\nHost: ${host}\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`;
}

/** Resolves once `count` of `clients` are closed. */
export function whenClosed(clients: readonly RawClient[], count: number): Promise<void> {
  return new Promise((resolve) => {
    let closed = 0;
    for (const client of clients) {
      void client.closed.then(() => {
        closed += 1;
        if (closed === count) resolve();
      });
    }
  });
}

/** Resolves with `promise`, or fails after `ms` with `what` in the message. */
export function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
