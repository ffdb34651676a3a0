import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request as httpsRequest } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { parseServeConfig } from "../../src/config.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import type { Dialect } from "../support/dialects.ts";
import { npmClient } from "../support/edgegrid-npm.ts";
import { POSTGRES_URL } from "../support/postgres.ts";
import { freshDatabase } from "../support/postgres-database.ts";

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): Record<string, unknown>;
}

export interface ConsoleServer {
  server: RunningServer;
  ca: string;
  /** https://127.0.0.1:<port>: the Origin the console's page sends. */
  origin: string;
  /** The key in the start banner's console URL. */
  bannerKey: string;
  /** A request over TLS, with the page's Origin on requests that change state unless told. */
  send(
    method: string,
    path: string,
    options?: { cookie?: string; origin?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<Answer>;
  /** A request signed with EdgeGrid by Akamai's own client, with the first-run .edgerc. */
  signed(method: string, path: string, body?: unknown): Promise<{ status: number; data: unknown }>;
  /** Logs in with a fresh key (from the key endpoint): the session cookie, `edgekv_console=…`. */
  login(): Promise<string>;
  close(): Promise<void>;
}

/** The real server over real TLS on a free port, on SQLite or on a PostgreSQL database of its own. */
export async function startConsoleServer(dialect: Dialect): Promise<ConsoleServer> {
  const dataDir = await mkdtemp(join(tmpdir(), "edgekv-console-"));
  const database =
    dialect === "postgres" && POSTGRES_URL !== undefined ? await freshDatabase(POSTGRES_URL) : null;
  const server = await startServer(
    parseServeConfig({ port: "0", dataDir, ...(database === null ? {} : { database: database.url }) }),
    { logger: pino({ level: "silent" }) },
  );
  if (server.certPath === null) throw new Error("expected a generated certificate");
  const ca = readFileSync(server.certPath, "utf8");
  const origin = server.url;
  const client = npmClient({ edgerc: server.edgercPath, ca });

  const send: ConsoleServer["send"] = (method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const body =
        options.body === undefined
          ? undefined
          : typeof options.body === "string"
            ? options.body
            : JSON.stringify(options.body);
      const changes = method !== "GET" && method !== "HEAD";
      const sentOrigin = options.origin === undefined ? (changes ? origin : null) : options.origin;
      const request = httpsRequest(
        `${server.url}${path}`,
        {
          method,
          ca,
          agent: false,
          headers: {
            ...(options.cookie === undefined ? {} : { cookie: options.cookie }),
            ...(sentOrigin === null ? {} : { origin: sentOrigin }),
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...options.headers,
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              text,
              json: () => JSON.parse(text) as Record<string, unknown>,
            });
          });
        },
      );
      request.on("error", reject);
      request.end(body);
    });

  const signed: ConsoleServer["signed"] = async (method, path, body) => {
    const answer = await client.request({
      method,
      path,
      ...(body === undefined ? {} : { body, headers: { "Content-Type": "application/json" } }),
    });
    return { status: answer.status, data: answer.data };
  };

  return {
    server,
    ca,
    origin,
    bannerKey: new URL(server.consoleUrl).hash.replace(/^#key=/, ""),
    send,
    signed,
    login: async () => {
      const key = await signed("POST", "/_edgekv/v1/console/keys");
      const answer = await send("POST", "/_edgekv/console/api/session", {
        body: { key: (key.data as { key: string }).key },
      });
      const cookie = String(answer.headers["set-cookie"] ?? "").split(";")[0];
      if (answer.status !== 200 || cookie === undefined) throw new Error(`login failed: ${answer.text}`);
      return cookie;
    },
    close: async () => {
      await server.close();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
