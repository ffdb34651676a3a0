import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CAPABILITIES } from "../../src/accounts/model.ts";
import { parseCapabilities } from "../../src/cli/credentials.ts";
import { httpsTransport } from "../../src/cli/https-transport.ts";
import { systemClock } from "../../src/clock.ts";
import { parseServeConfig } from "../../src/config.ts";
import { parseEdgerc } from "../../src/edgegrid/index.ts";
import { createLogger, startServer } from "../../src/server.ts";
import { openStore } from "../../src/storage/open-store.ts";
import { POSTGRES_URL, warnPostgresSkipped } from "../support/postgres.ts";
import { freshDatabase } from "../support/postgres-database.ts";
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

  it("refuses a .edgerc section that exists, creating no client; --force replaces it and names the old client", async () => {
    const edgerc = join(dir, "taken");
    const before =
      "[acme]\nhost = example.com\nclient_token = akab-old\nclient_secret = s\naccess_token = t\n";
    writeFileSync(edgerc, before);
    const args = [
      "credentials",
      "create",
      "--account",
      "taken",
      "--edgerc",
      edgerc,
      "--section",
      "acme",
      ...store(),
    ];
    const refused = await runEdgekv(args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `edgekv: ${edgerc} already has a section [acme] (client akab-old). Choose another --section, or give --force to replace it (that client stays enabled: edgekv credentials revoke akab-old).\n`,
    );
    expect(readFileSync(edgerc, "utf8")).toBe(before);
    const none = await runEdgekv(["credentials", "list", "--account", "taken", "--json", ...store()]);
    expect(JSON.parse(none.stdout).clients).toEqual([]);

    const forced = await runEdgekv([...args, "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(
      `Wrote section [acme] to ${edgerc} (it held client akab-old, still enabled):`,
    );
    expect(parseEdgerc(readFileSync(edgerc, "utf8")).get("acme")?.client_token).toMatch(/^akab-(?!old)/);
  });

  it("records credentials.create and credentials.revoke in the audit log, without the secret", async () => {
    const created = await runEdgekv(["credentials", "create", "--account", "audited", "--json", ...store()]);
    const { clientToken, clientSecret } = JSON.parse(created.stdout);
    await runEdgekv(["credentials", "revoke", clientToken, ...store()]);
    const db = await openStore({ database: undefined, dataDir: join(dir, "data"), clock: systemClock });
    try {
      const events = await db.audit.list({
        actions: ["credentials.create", "credentials.revoke"],
        limit: 100,
      });
      const mine = events.filter((event) => event.clientToken === clientToken);
      expect(
        mine.map(({ action, target, accountId, status, outcome, traceId }) => ({
          action,
          target,
          accountId,
          status,
          outcome,
          traceId,
        })),
      ).toEqual([
        {
          action: "credentials.revoke",
          target: `clients/${clientToken}`,
          accountId: "audited",
          status: null,
          outcome: "ok",
          traceId: null,
        },
        {
          action: "credentials.create",
          target: `clients/${clientToken}`,
          accountId: "audited",
          status: null,
          outcome: "ok",
          traceId: null,
        },
      ]);
      expect(JSON.stringify(mine)).not.toContain(clientSecret);
    } finally {
      await db.close();
    }
  });

  it("acts on the database EDGEKV_DATABASE or --database names, and says which", async () => {
    const file = join(dir, "elsewhere.db");
    const env = { EDGEKV_DATABASE: file };
    const created = await runEdgekv(
      ["credentials", "create", "--account", "elsewhere", "--data-dir", join(dir, "data")],
      { env },
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`for account elsewhere in ${file}.`);
    const listed = await runEdgekv(["credentials", "list", "--data-dir", join(dir, "data")], { env });
    expect(listed.stderr).toBe(`API clients in ${file}:\n`);
    expect(listed.stdout).toContain("elsewhere");
    // The data directory's own database does not have it.
    const own = await runEdgekv(["credentials", "list", "--account", "elsewhere", "--json", ...store()]);
    expect(JSON.parse(own.stdout)).toEqual({ database: join(dir, "data", "edgekv.db"), clients: [] });
  });

  if (POSTGRES_URL === undefined) warnPostgresSkipped("edgekv credentials on PostgreSQL");
  it.skipIf(POSTGRES_URL === undefined)(
    "creates, lists and revokes clients on PostgreSQL, password masked",
    async () => {
      const database = await freshDatabase(POSTGRES_URL ?? "");
      try {
        const url = new URL(database.url);
        url.password = "not-shown";
        const args = ["--data-dir", join(dir, "data"), "--database", url.toString()];
        const masked = url.toString().replace(/\/\/[^@/]*@/, "//***@");
        const created = await runEdgekv(["credentials", "create", "--account", "pg", "--json", ...args]);
        expect(created.code).toBe(0);
        const output = JSON.parse(created.stdout);
        expect(output.database).toBe(masked);
        expect(created.stdout).not.toContain("not-shown");
        const listed = await runEdgekv(["credentials", "list", "--json", ...args]);
        expect(
          JSON.parse(listed.stdout).clients.map((client: { clientToken: string }) => client.clientToken),
        ).toContain(output.clientToken);
        const revoked = await runEdgekv(["credentials", "revoke", output.clientToken, ...args]);
        expect(revoked.stdout).toBe(`Revoked API client ${output.clientToken} in ${masked}.\n`);
      } finally {
        await database.drop();
      }
    },
  );

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
