import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { loadCredentials, sendSigned } from "../../src/cli/edgegrid-client.ts";
import { parseServeConfig } from "../../src/config.ts";
import { createLogger, type RunningServer, startServer } from "../../src/server.ts";

const DAY_MS = 86_400_000;

// The issue: after a --clock manual session that advanced 60 days, a plain start showed every token
// IN_PROGRESS with a latest refresh in the future, and nothing said why.
describe("a manual time after the manual session", () => {
  let dir: string;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(dataDir: string, clock: "manual" | "system") {
    const lines: Array<{ level: number; msg: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n")) if (line !== "") lines.push(JSON.parse(line));
        done();
      },
    });
    server = await startServer(parseServeConfig({ port: 0, dataDir, clock }), {
      logger: createLogger({ logLevel: "info", logFormat: "json" }, sink),
    });
    const credentials = await loadCredentials({ edgerc: server.edgercPath, section: undefined, env: {} });
    const ca = await readFile(join(dataDir, "tls", "cert.pem"), "utf8");
    const call = async (method: string, body?: unknown) =>
      JSON.parse(
        (
          await sendSigned({
            credentials,
            method,
            target: "/_edgekv/v1/clock",
            ca,
            ...(body === undefined
              ? {}
              : { body: Buffer.from(JSON.stringify(body)), headers: { "Content-Type": "application/json" } }),
          })
        ).body,
      ) as { now?: string; status?: number };
    return { lines, call };
  }

  it("is said at a system-clock start and forgotten: the next manual start begins at the system time", async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-manual-"));
    const dataDir = join(dir, "data");
    const manual = await start(dataDir, "manual");
    await manual.call("POST", { advanceSeconds: 60 * 86_400 });
    await server?.close();

    const system = await start(dataDir, "system");
    const warning = system.lines.find((line) => line.level === 40 && line.msg.includes("--clock manual"));
    expect(warning?.msg).toMatch(/time had reached \d{4}-\d\d-\d\dT.*forgotten that time/);
    expect((await system.call("GET")).status).toBe(404);
    await server?.close();

    const again = await start(dataDir, "manual");
    const now = Date.parse((await again.call("GET")).now ?? "");
    expect(Math.abs(now - Date.now())).toBeLessThan(DAY_MS);
    expect(again.lines.some((line) => line.level === 40)).toBe(false);
  });
});
