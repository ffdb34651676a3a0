import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITIES } from "../../src/accounts/model.ts";
import { parseCapabilities } from "../../src/cli/credentials.ts";
import { httpsTransport } from "../../src/cli/https-transport.ts";
import { parseServeConfig } from "../../src/config.ts";
import { parseEdgerc } from "../../src/edgegrid/index.ts";
import { createLogger, startServer } from "../../src/server.ts";
import { injectTransport, runEdgekv } from "./in-process.ts";

// `edgekv credentials` works on the database directly, with or without a running server; here
// in-process on a temporary data directory.
describe("edgekv credentials", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-credentials-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const store = () => ["--data-dir", join(dir, "data")];

  it("creates a client, writes its .edgerc section beside others, lists and revokes it while a server runs", async () => {
    const edgerc = join(dir, "edgerc");
    writeFileSync(
      edgerc,
      "[other]\nhost = example.com\nclient_token = a\nclient_secret = b\naccess_token = c\n",
    );
    // The server runs in this process on the same data directory, so it sees what the commands
    // write; `edgekv request` reaches it through inject() (plain HTTP: no certificate to generate).
    const server = await startServer(
      parseServeConfig({ port: 0, dataDir: join(dir, "data"), tls: false, logLevel: "silent" }),
      { logger: createLogger({ logLevel: "silent", logFormat: "json" }) },
    );
    const transport = injectTransport(server.app);
    try {
      const port = String(server.port);
      const created = await runEdgekv([
        "credentials",
        "create",
        "--account",
        "acme",
        "--capabilities",
        "VIEW_TOKEN",
        "--edgerc",
        edgerc,
        "--section",
        "acme",
        "--host",
        `127.0.0.1:${port}`,
        "--json",
        ...store(),
      ]);
      expect(created.stderr).toBe("");
      expect(created.code).toBe(0);
      const output = JSON.parse(created.stdout);
      expect(output).toMatchObject({
        account: "acme",
        capabilities: ["VIEW_TOKEN"],
        enabled: true,
        clientToken: expect.stringMatching(/^akab-/),
        clientSecret: expect.stringMatching(/=$/),
        host: `127.0.0.1:${port}`,
      });
      const sections = parseEdgerc(readFileSync(edgerc, "utf8"));
      expect(sections.get("other")).toEqual({
        host: "example.com",
        client_token: "a",
        client_secret: "b",
        access_token: "c",
      });
      expect(sections.get("acme")?.client_secret).toBe(output.clientSecret);

      const request = ["request", "GET", "/edgekv/v1/tokens", "--edgerc", edgerc, "--section", "acme"];
      const allowed = await runEdgekv(request, { transport });
      expect(allowed.code).toBe(0);
      expect(JSON.parse(allowed.stdout)).toEqual({ tokens: [] });
      const forbidden = await runEdgekv(
        ["request", "POST", "/edgekv/v1/tokens", "--data", "{}", "--edgerc", edgerc, "--section", "acme"],
        { transport },
      );
      expect(forbidden.code).toBe(1);
      expect(JSON.parse(forbidden.stdout)).toMatchObject({ status: 403, errorCode: "EKV_1000" });

      const listed = await runEdgekv(["credentials", "list", "--account", "acme", "--json", ...store()]);
      expect(JSON.parse(listed.stdout).clients).toEqual([
        expect.objectContaining({ clientToken: output.clientToken, enabled: true }),
      ]);
      expect(listed.stdout).not.toContain(output.clientSecret);
      const table = await runEdgekv(["credentials", "list", ...store()]);
      expect(table.stdout).toMatch(/^CLIENT TOKEN\s+ACCOUNT\s+STATE/);
      expect(table.stdout).toContain(output.clientToken);

      const revoked = await runEdgekv(["credentials", "revoke", output.clientToken, ...store()]);
      expect(revoked.code).toBe(0);
      expect(revoked.stdout).toContain(`Revoked API client ${output.clientToken}`);
      // The server remembers a client for 250 ms of real time (CLIENT_CACHE_MS in src/accounts/edgegrid-auth.ts).
      await delay(300);
      const refused = await runEdgekv(request, { transport });
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stdout)).toMatchObject({ status: 401, detail: "Inactive client token" });
    } finally {
      await server.close();
    }
  });

  it.each([
    [["credentials", "create", "--account", "acme", "--capabilities", "FLY"], /Unknown capability FLY/],
    [["credentials", "create", "--account", "-bad"], /Invalid account id/],
    [["credentials", "create"], /required option '--account <id>'/],
    [["credentials", "revoke", "akab-nobody"], /No API client akab-nobody/],
  ])("refuses %j with one line and exit 1", async (args, message) => {
    const result = await runEdgekv([...args, ...store()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
  });

  it("says how to fix an unreachable server", async () => {
    const edgerc = join(dir, "unreachable");
    writeFileSync(
      edgerc,
      "[default]\nhost = 127.0.0.1:1\nclient_token = a\nclient_secret = b\naccess_token = c\n",
    );
    // The real HTTPS transport, in-process: its network errors are what this test is about.
    const result = await runEdgekv(["request", "GET", "/edgekv/v1/tokens", "--edgerc", edgerc], {
      transport: httpsTransport,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot connect to 127.0.0.1:1: connection refused. Is the server running/);
  });

  it("says which section is missing", async () => {
    const result = await runEdgekv([
      "request",
      "GET",
      "/",
      "--edgerc",
      join(dir, "unreachable"),
      "--section",
      "nope",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Section \[nope\] not found/);
  });
});

describe("parseCapabilities", () => {
  it("reads all as every EdgeKV capability, without SERVER_ADMIN", () => {
    expect(parseCapabilities("all")).toEqual([...CAPABILITIES]);
    expect(parseCapabilities(undefined)).not.toContain("SERVER_ADMIN");
  });

  it("gives SERVER_ADMIN only by name", () => {
    expect(parseCapabilities("view_token,SERVER_ADMIN")).toEqual(["VIEW_TOKEN", "SERVER_ADMIN"]);
  });
});
