import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { get } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendSigned } from "../../src/cli/edgegrid-client.ts";
import { parseServeConfig } from "../../src/config.ts";
import { parseEdgerc, readEdgercSection } from "../../src/edgegrid/index.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { npmClient, sendPrepared } from "../support/edgegrid-npm.ts";

// The real server on a free port, over real TLS, called by Akamai's own npm client with the
// .edgerc that the first run wrote.
describe("end to end over TLS with akamai-edgegrid", () => {
  let dataDir: string;
  let server: RunningServer;
  let ca: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "edgekv-e2e-"));
    server = await startServer(parseServeConfig({ port: "0", dataDir }), {
      logger: pino({ level: "silent" }),
    });
    if (server.certPath === null) throw new Error("expected a generated certificate");
    ca = readFileSync(server.certPath, "utf8");
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("writes an .edgerc whose [default] section points at the bound port", () => {
    const section = parseEdgerc(readFileSync(server.edgercPath, "utf8")).get("default");
    expect(section?.host).toBe(`127.0.0.1:${server.port}`);
    expect(section?.client_token).toMatch(/^akab-/);
    expect(section?.access_token).toMatch(/^akab-/);
    expect(section?.client_secret).toMatch(/=$/);
  });

  it("accepts a request signed by akamai-edgegrid", async () => {
    const client = npmClient({ edgerc: server.edgercPath, ca });
    const response = await client.request({ method: "GET", path: "/edgekv/v1/initialize" });
    expect(response.status).toBe(200);
    expect(response.data).toMatchObject({
      accountStatus: "INITIALIZED",
      cpcode: expect.stringMatching(/^\d{7}$/),
    });
    expect(response.headers["x-trace-id"]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("accepts a signed POST body and a query string", async () => {
    const client = npmClient({ edgerc: server.edgercPath, ca });
    const response = await client.request({
      method: "PUT",
      path: "/edgekv/v1/initialize?accountSwitchKey=default",
      body: { dataAccessPolicy: { restrictDataAccess: false } },
      headers: { "Content-Type": "application/json" },
    });
    expect(response.status).toBe(200);
  });

  it("verifies the raw request line byte for byte (apostrophes a URL parser would re-encode)", async () => {
    const credentials = readEdgercSection({
      text: readFileSync(server.edgercPath, "utf8"),
      section: "default",
    });
    const response = await sendSigned({
      credentials,
      method: "GET",
      target: "/edgekv/v1/initialize?x='1'&y=%27",
      ca,
    });
    expect(response.status).toBe(200);
  });

  it("refuses the same signed request sent a second time", async () => {
    const client = npmClient({ edgerc: server.edgercPath, ca });
    const first = await client.request({ method: "GET", path: "/edgekv/v1/initialize" });
    expect(first.status).toBe(200);
    const replay = await sendPrepared(client.eg);
    expect(replay.status).toBe(401);
    expect(replay.data).toMatchObject({ detail: "Nonce has already been used", status: 401 });
  });

  it("serves the health check without authentication", async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      get(`${server.url}/_edgekv/health`, { ca }, (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => {
          text += chunk.toString();
        });
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      }).on("error", reject);
    });
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ status: "ok" });
  });
});
