import { chmod, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { parseServeConfig } from "../../src/config.ts";
import { createLogger, type RunningServer, startServer } from "../../src/server.ts";

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe("the data directory's files", () => {
  let dir: string;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function start(dataDir: string) {
    const lines: Array<{ level: number; msg: string; path?: string }> = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString("utf8").split("\n")) if (line !== "") lines.push(JSON.parse(line));
        done();
      },
    });
    server = await startServer(parseServeConfig({ port: 0, dataDir, tls: false }), {
      logger: createLogger({ logLevel: "info", logFormat: "json" }, sink),
    });
    return lines;
  }

  it("are readable by their owner only: the database and its -wal and -shm hold tokens and values", async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-modes-"));
    const dataDir = join(dir, "data");
    const lines = await start(dataDir);
    expect(await modeOf(dataDir)).toBe(0o700);
    for (const file of ["edgekv.db", "edgekv.db-wal", "edgekv.db-shm", "secret.key", "edgerc"]) {
      expect([file, await modeOf(join(dataDir, file))]).toEqual([file, 0o600]);
    }
    expect(lines.filter((line) => line.level === 40)).toEqual([]);
  });

  it("warns at start when an existing data directory or database can be read by others", async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-modes-"));
    const dataDir = join(dir, "data");
    await start(dataDir);
    await server?.close();
    server = undefined;
    await chmod(dataDir, 0o755);
    await chmod(join(dataDir, "edgekv.db"), 0o644);
    const lines = await start(dataDir);
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings.map((line) => line.path)).toEqual(
      expect.arrayContaining([dataDir, join(dataDir, "edgekv.db")]),
    );
    expect(warnings.find((line) => line.path === dataDir)?.msg).toMatch(/mode 0755.*chmod 700/);
    expect(warnings.find((line) => line.path === join(dataDir, "edgekv.db"))?.msg).toMatch(
      /mode 0644.*chmod 600/,
    );
  });
});
