import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type ClientCredentials, loadCredentials, signedRequest } from "../../src/cli/edgegrid-client.ts";
import { httpsTransport } from "../../src/cli/https-transport.ts";
import { parseServeConfig } from "../../src/config.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { startChildServer } from "../support/child-server.ts";

// A SQLite server keeps the nonces it accepted in memory and in a journal beside the database: a
// request signed before a restart, or a kill -9, must not be accepted again after it (the issue saw
// a create and a delete replayed 2.9 s after a restart).
describe("a request replayed after a restart", () => {
  let dir: string;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const start = (dataDir: string, port: number) =>
    startServer(parseServeConfig({ port, dataDir, activationDelaySeconds: 0 }), {
      logger: pino({ level: "silent" }),
    });

  it("is refused as a used nonce, so neither a create nor a delete happens twice", async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-replay-"));
    const dataDir = join(dir, "data");
    server = await start(dataDir, 0);
    const port = server.port;
    const credentials: ClientCredentials = await loadCredentials({
      edgerc: server.edgercPath,
      section: undefined,
      env: {},
    });
    const ca = await readFile(join(dataDir, "tls", "cert.pem"), "utf8");
    const body = Buffer.from(
      JSON.stringify({
        name: "once",
        allowOnStaging: true,
        allowOnProduction: true,
        namespacePermissions: { default: ["r"] },
      }),
    );
    const create = signedRequest({
      credentials,
      method: "POST",
      target: "/edgekv/v1/tokens",
      body,
      ca,
      headers: { "Content-Type": "application/json" },
    });
    const revoke = signedRequest({ credentials, method: "DELETE", target: "/edgekv/v1/tokens/once", ca });
    expect((await httpsTransport(create)).status).toBe(200);
    expect((await httpsTransport(revoke)).status).toBe(200);

    await server.close();
    server = await start(dataDir, port);
    for (const replay of [create, revoke]) {
      const response = await httpsTransport(replay);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ detail: "Nonce has already been used" });
    }
    // Nothing was created again: the name is free, and a freshly signed request works.
    const list = await httpsTransport(
      signedRequest({ credentials, method: "GET", target: "/edgekv/v1/tokens", ca }),
    );
    expect(JSON.parse(list.body)).toEqual({ tokens: [] });
  });

  it("is refused after a kill -9 too: the journal was written before the answer", async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-replay-"));
    const dataDir = join(dir, "data");
    const first = await startChildServer(["--port", "0", "--data-dir", dataDir]);
    const port = new URL(first.url).port;
    const credentials = await loadCredentials({
      edgerc: join(dataDir, "edgerc"),
      section: undefined,
      env: {},
    });
    const ca = await readFile(join(dataDir, "tls", "cert.pem"), "utf8");
    const list = signedRequest({ credentials, method: "GET", target: "/edgekv/v1/tokens", ca });
    expect((await httpsTransport(list)).status).toBe(200);
    expect(await first.stop("SIGKILL")).toBeNull();
    const second = await startChildServer(["--port", port, "--data-dir", dataDir]);
    try {
      const replay = await httpsTransport(list);
      expect(replay.status).toBe(401);
      expect(JSON.parse(replay.body)).toMatchObject({ detail: "Nonce has already been used" });
    } finally {
      await second.stop();
    }
  });
});
