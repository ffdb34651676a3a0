import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEdgerc } from "../../src/edgegrid/index.ts";
import { runCli, startChildServer } from "../support/child-server.ts";

// A newcomer's run: `edgekv serve` as a real process in an empty directory, then the command its
// banner prints, then a restart on another port.
describe("first run of the real binary", () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), "edgekv-first-run-"));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it("starts, prints a working command, stops on SIGTERM, and reuses everything on restart", async () => {
    const first = await startChildServer(["--port", "0"], {}, cwd);
    const banner = first.output();
    expect(banner).toContain(".edgekv/edgerc");
    expect(banner).toContain(".edgekv/tls/cert.pem");
    const command = /npx edgekv (request .+)/.exec(banner)?.[1];
    expect(command).toBeDefined();
    const args = (command ?? "").split(" ");
    const result = await runCli(args, { cwd });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ tokens: [] });

    const firstEdgerc = parseEdgerc(readFileSync(join(cwd, ".edgekv/edgerc"), "utf8")).get("default");
    const firstCert = readFileSync(join(cwd, ".edgekv/tls/cert.pem"), "utf8");
    expect(await first.stop("SIGTERM")).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');

    const second = await startChildServer(["--port", "0"], {}, cwd);
    try {
      const secondEdgerc = parseEdgerc(readFileSync(join(cwd, ".edgekv/edgerc"), "utf8")).get("default");
      expect(secondEdgerc?.host).toBe(new URL(second.url).host);
      expect(secondEdgerc?.host).not.toBe(firstEdgerc?.host);
      expect(secondEdgerc?.client_token).toBe(firstEdgerc?.client_token);
      expect(secondEdgerc?.client_secret).toBe(firstEdgerc?.client_secret);
      expect(readFileSync(join(cwd, ".edgekv/tls/cert.pem"), "utf8")).toBe(firstCert);
      const again = await runCli(args, { cwd });
      expect(again.code).toBe(0);
      expect(second.output()).toMatch(/"status":200/);
    } finally {
      await second.stop("SIGINT");
    }
  });

  it("says how to fix a port already in use", async () => {
    const running = await startChildServer(["--port", "0", "--database", "memory"], {}, cwd);
    try {
      const port = new URL(running.url).port;
      const clash = await runCli(["serve", "--port", port, "--database", "memory", "--log-level", "silent"], {
        cwd,
      });
      expect(clash.code).toBe(1);
      expect(clash.stderr).toMatch(/EADDRINUSE.*pick one with --port/);
    } finally {
      await running.stop();
    }
  });

  it("takes the PostgreSQL pool settings as flags, and stops on SIGTERM", async () => {
    const server = await startChildServer(
      [
        ...["--db-pool-size", "3", "--db-statement-timeout", "2000"],
        ...["--database", "memory", "--port", "0", "--data-dir", join(cwd, "pool")],
      ],
      {},
      cwd,
    );
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await server.stop("SIGTERM")).toBe(0);
  });

  it.concurrent.each<[string[], NodeJS.ProcessEnv, RegExp]>([
    [
      ["serve", "--port", "99999"],
      {},
      /^edgekv: Invalid --port "99999": must be an integer from 0 to 65535\.\n$/,
    ],
    [
      ["serve", "--database", "memory"],
      { EDGEKV_DB_POOL_SIZE: "abc" },
      /^edgekv: Invalid EDGEKV_DB_POOL_SIZE "abc": must be an integer from 1 to 200\.\n$/,
    ],
    [
      ["serve", "--db-pool-size", "abc", "--database", "memory"],
      {},
      /^edgekv: Invalid --db-pool-size "abc": must be an integer from 1 to 200\.\n$/,
    ],
    [
      ["serve", "--clock", "sideways"],
      {},
      /^edgekv: Invalid --clock "sideways": must be one of system, manual\.\n$/,
    ],
    [
      ["serve", "--tls-cert", "x.pem"],
      {},
      /--tls-cert and --tls-key go together, but only --tls-cert is given/,
    ],
    [
      ["serve", "--database", "postgres://nobody@127.0.0.1:1/x"],
      {},
      /Cannot reach the PostgreSQL database at postgres:\/\/\*\*\*@127.0.0.1:1\/x/,
    ],
    [["serve", "--database", "mysql://localhost/x"], {}, /Unsupported database URL mysql:/],
  ])("refuses bad settings %j (env %j) with one line and exit 1", async (args, env, message) => {
    const result = await runCli([...args, "--data-dir", join(cwd, "bad")], { cwd, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });
});
