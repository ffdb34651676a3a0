import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { parseServeConfig } from "../../src/config.ts";
import { startBanner, startServer } from "../../src/server.ts";

describe("a start on another database in the same data directory", () => {
  let dir: string;
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes its own .edgerc, leaves the SQLite database's alone, and names it in the banner", async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-edgerc-"));
    const dataDir = join(dir, "data");
    const logger = pino({ level: "silent" });
    const first = await startServer(parseServeConfig({ port: 0, dataDir, tls: false }), { logger });
    await first.close();
    const sqliteEdgerc = await readFile(join(dataDir, "edgerc"), "utf8");

    const memory = await startServer(parseServeConfig({ port: 0, dataDir, tls: false, database: "memory" }), {
      logger,
    });
    await memory.close();
    expect(memory.edgercPath).toBe(join(dataDir, "edgerc-memory"));
    expect(await readFile(join(dataDir, "edgerc"), "utf8")).toBe(sqliteEdgerc);
    expect(await readFile(join(dataDir, "edgerc-memory"), "utf8")).not.toBe(sqliteEdgerc);
    expect(startBanner(memory, dir)).toContain(join("data", "edgerc-memory"));
  });
});
