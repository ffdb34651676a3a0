import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { parseServeConfig } from "../../src/config.ts";
import { createHttpApp } from "../../src/http/http-app.ts";
import { registerRoutes } from "../../src/http/pipeline.ts";
import { healthRoute } from "../../src/http/public-routes.ts";
import { startServer } from "../../src/server.ts";

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });

const health = (port: number) =>
  new Promise<number>((resolve) => {
    const outgoing = request(
      { host: "127.0.0.1", port, path: "/_edgekv/health", timeout: 200 },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    outgoing.on("error", () => resolve(0));
    outgoing.on("timeout", () => outgoing.destroy());
    outgoing.end();
  });

// The issue saw health answer 200 before <data-dir>/edgerc existed on 23 of 30 first starts.
describe("health on a first start", () => {
  let root: string;
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("answers 200 only once the .edgerc exists, on every one of 10 first starts", async () => {
    root = await mkdtemp(join(tmpdir(), "edgekv-ready-"));
    for (let start = 0; start < 10; start += 1) {
      const dataDir = join(root, `data-${start}`);
      const port = await freePort();
      const starting = startServer(parseServeConfig({ port, dataDir, tls: false }), {
        logger: pino({ level: "silent" }),
      });
      let ok = false;
      let polls = 0;
      const deadline = Date.now() + 10_000;
      while (!ok && Date.now() < deadline) {
        const status = await health(port);
        polls += 1;
        if (status === 200) {
          ok = true;
          expect([start, existsSync(join(dataDir, "edgerc"))]).toEqual([start, true]);
        } else {
          expect([0, 503]).toContain(status);
        }
      }
      expect(ok).toBe(true);
      expect(polls).toBeGreaterThan(0);
      await (await starting).close();
    }
  });

  it("says starting (503) while the server is not ready", async () => {
    const app = createHttpApp({ logger: false, tls: null, bodyLimit: 1024, clock: systemClock });
    let ready = false;
    registerRoutes(app, [healthRoute(() => ready)]);
    expect((await app.inject({ method: "GET", url: "/_edgekv/health" })).json()).toEqual({
      status: "starting",
    });
    expect((await app.inject({ method: "GET", url: "/_edgekv/health" })).statusCode).toBe(503);
    ready = true;
    expect((await app.inject({ method: "GET", url: "/_edgekv/health" })).statusCode).toBe(200);
    await app.close();
  });
});
