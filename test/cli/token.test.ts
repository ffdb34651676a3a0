import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { httpsTransport } from "../../src/cli/https-transport.ts";
import { parseEdgerc } from "../../src/edgegrid/index.ts";
import { TEST_HOST } from "../support/harness.ts";
import { daysFromToday, hostLineFor, oneLine, writeEdgerc } from "./cli-server.ts";
import { cliHarness, edgercText, runEdgekv, tokenCreateArgs } from "./in-process.ts";

const TRACE = "trace id [0-9a-f]{16}";
const DATE = "\\d{4}-\\d{2}-\\d{2}";
const allow = (name: string, ...extra: string[]) => [
  ...tokenCreateArgs(name, { namespace: "default+rwd" }),
  ...extra,
];
// Activation takes 1 s of the harness clock, which each --wait pause moves.
const settings = { activationDelaySeconds: 1 };

// `edgekv token …` in-process against the app (see in-process.ts); each test has its own harness.
describe.concurrent("edgekv token", () => {
  it("creates with --wait, lists, shows, downloads, refreshes with --wait and revokes a token", async (t) => {
    const s = await cliHarness(t, { settings });
    const created = await s.cli(allow("life", "--wait"));
    expect(created.stderr).toBe(s.hostLine);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^Created token life\.\n/);
    expect(created.stdout).toMatch(/^Activation status:\s+COMPLETE$/m);
    expect(created.stdout).toMatch(/^Expiry date:\s+INDEFINITE$/m);
    expect(created.stdout).toMatch(/^Valid for EWIDs:\s+all$/m);
    expect(created.stdout).toMatch(/^Valid on staging:\s+yes$/m);
    expect(created.stdout).toMatch(/^Valid on production:\s+no$/m);
    expect(created.stdout).toMatch(/^ {2}default: \[READ,WRITE,DELETE\]$/m);
    expect(created.stdout).toMatch(/"namespace-default": \{ "name": "life", "reference": "[0-9a-f-]{36}" \}/);

    const listed = await s.cli(["token", "list"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^NAME\s+STATUS\s+ISSUED\s+LATEST REFRESH\s+NEXT REFRESH\s+EXPIRY\n/);
    expect(listed.stdout).toMatch(
      new RegExp(`^life\\s+COMPLETE\\s+${DATE}\\s+-\\s+${DATE} \\(in 60 days\\)\\s+INDEFINITE$`, "m"),
    );

    const shown = await s.cli(["token", "show", "life", "--json"]);
    expect(shown.stderr).toBe("");
    const token = JSON.parse(shown.stdout);
    expect(token).toMatchObject({
      name: "life",
      expiry: "9999-12-31",
      tokenActivationStatus: "COMPLETE",
      allowOnStaging: true,
      allowOnProduction: false,
      latestRefreshDate: null,
      namespacePermissions: { default: ["r", "w", "d"] },
    });
    expect(token).not.toHaveProperty("restrictToEdgeWorkerIds");

    const bundleDir = join(s.dir, "bundle");
    mkdirSync(bundleDir);
    const downloaded = await s.cli(["token", "download", "life", "--save_path", bundleDir]);
    expect(downloaded.code).toBe(0);
    expect(downloaded.stdout).toContain(
      `Saved token life to ${join(bundleDir, "edgekv_tokens.js")} (added namespace-default).`,
    );
    expect(readFileSync(join(bundleDir, "edgekv_tokens.js"), "utf8")).toContain(
      `"namespace-default": { "name": "life", "reference": "${token.uuid}" }`,
    );

    // Into an EdgeWorker bundle: only edgekv_tokens.js changes; a second download without
    // --overwrite finds the same entry unchanged.
    const bundleSource = join(s.dir, "bundle-src");
    mkdirSync(bundleSource);
    writeFileSync(join(bundleSource, "main.js"), "export function onClientRequest() {}\n");
    writeFileSync(join(bundleSource, "bundle.json"), '{"edgeworker-version":"1"}\n');
    const tgz = join(s.dir, "bundle.tgz");
    execFileSync("tar", ["-czf", tgz, "-C", bundleSource, "main.js", "bundle.json"]);
    const intoBundle = await s.cli(["token", "download", "life", "--save_path", tgz]);
    expect(intoBundle.stderr).toBe(s.hostLine);
    expect(intoBundle.code).toBe(0);
    const unpacked = join(s.dir, "bundle-out");
    mkdirSync(unpacked);
    execFileSync("tar", ["-xzf", tgz, "-C", unpacked]);
    expect(readFileSync(join(unpacked, "main.js"), "utf8")).toBe("export function onClientRequest() {}\n");
    expect(readFileSync(join(unpacked, "bundle.json"), "utf8")).toBe('{"edgeworker-version":"1"}\n');
    expect(readFileSync(join(unpacked, "edgekv_tokens.js"), "utf8")).toContain(
      `"namespace-default": { "name": "life", "reference": "${token.uuid}" }`,
    );
    expect((await s.cli(["token", "download", "life", "--save_path", tgz])).code).toBe(0);

    const refreshed = await s.cli(["token", "refresh", "life", "--wait", "--timeout", "20", "--json"]);
    expect(refreshed.stderr).toBe("");
    expect(refreshed.code).toBe(0);
    expect(JSON.parse(refreshed.stdout)).toMatchObject({
      name: "life",
      uuid: token.uuid,
      tokenActivationStatus: "COMPLETE",
      latestRefreshDate: daysFromToday(0),
    });

    const revoked = await s.cli(["token", "revoke", "life"]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toBe("life was revoked and removed from the EdgeKV access token list.\n");
    const gone = await s.cli(["token", "show", "life", "--json"]);
    expect(gone.code).toBe(1);
    expect(gone.stdout).toBe("");
    expect(gone.stderr).toMatch(oneLine(`Token with name life does not exist\\. \\(EKV_3000, ${TRACE}\\)`));
  });

  it("shows a legacy token's JWT claims, days to expiry and a warning under 30 days", async (t) => {
    const s = await cliHarness(t, { settings });
    const expiry = daysFromToday(10);
    const created = await s.cli([
      "token",
      "create",
      "legacy",
      "--staging",
      "allow",
      "--production",
      "allow",
      "--ewids",
      "12,34",
      "--namespace",
      "default+r",
      "--expiry",
      expiry,
    ]);
    expect(created.stderr).toBe(s.hostLine);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(new RegExp(`^Expiry date:\\s+${expiry} \\(in 10 days\\)$`, "m"));
    expect(created.stdout).toMatch(/^Valid for EWIDs:\s+12,34$/m);
    expect(created.stdout).toMatch(/^Valid on production:\s+yes$/m);
    expect(created.stdout).toMatch(/^CP code:\s+\d{7}$/m);
    expect(created.stdout).toMatch(/^Value:\s+eyJ[\w-]+\.[\w-]+\.[\w-]+$/m);
    expect(created.stdout).toMatch(/^ {2}default: \[READ\]$/m);
    expect(created.stdout).toContain(`Warning: token legacy expires in 10 days (${expiry})`);
    expect(created.stdout).toMatch(/"namespace-default": \{ "name": "legacy", "value": "eyJ/);

    const listed = await s.cli(["token", "list"]);
    expect(listed.stdout).toMatch(
      new RegExp(`^legacy\\s+COMPLETE\\s+${DATE}\\s+-\\s+-\\s+${expiry} \\(in 10 days\\)$`, "m"),
    );
    expect(listed.stdout).toContain(`Warning: token legacy expires in 10 days (${expiry})`);

    const refused = await s.cli(["token", "refresh", "legacy"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(oneLine(`.*legacy token.* \\(EKV_2000, ${TRACE}\\)`, s.hostLine));
  });

  it("prints one JSON document with --json and sends the EdgeWorker ids", async (t) => {
    const s = await cliHarness(t, { settings });
    const created = await s.cli([...allow("scoped", "--json"), "--ewids", "1234,5678"]);
    expect(created.stderr).toBe("");
    expect(JSON.parse(created.stdout)).toMatchObject({
      name: "scoped",
      restrictToEdgeWorkerIds: ["1234", "5678"],
      tokenActivationStatus: "IN_PROGRESS",
    });
    const listed = await s.cli(["token", "list", "--include-expired", "--json"]);
    expect(JSON.parse(listed.stdout).tokens).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "scoped" })]),
    );
  });

  it("prints a 4xx as one line with the server's detail, error code and trace id, and nothing on stdout", async (t) => {
    const s = await cliHarness(t, { settings });
    const invalid = await s.cli(allow("bad!name", "--json"));
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe("");
    expect(invalid.stderr).toMatch(oneLine(`Name contains invalid characters\\..* \\(EKV_2000, ${TRACE}\\)`));

    const switched = await s.cli(["token", "list", "--accountkey", "nobody"]);
    expect(switched.code).toBe(1);
    expect(switched.stderr).toMatch(oneLine(`.*nobody.* \\(EKV_1000, ${TRACE}\\)`, s.hostLine));
  });

  it("prints a gateway authentication error with its status instead of an error code", async (t) => {
    const s = await cliHarness(t, { settings });
    const wrong = join(s.dir, "wrong-secret");
    writeFileSync(
      wrong,
      edgercText(TEST_HOST, { ...s.harness.credentials, clientSecret: "bm90IHRoZSBzZWNyZXQ=" }),
    );
    const result = await s.run(["token", "list", "--edgerc", wrong]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      oneLine(
        `The signature does not match \\(HTTP 401, ${TRACE}\\)`,
        hostLineFor(TEST_HOST, `${wrong} [default]`),
      ),
    );
  });

  // Trusting NODE_EXTRA_CA_CERTS, and the message without it, need a real process: binary.test.ts.
  it("finds credentials through AKAMAI_EDGERC or AKAMAI_*", async (t) => {
    const s = await cliHarness(t, { settings });
    const trusted = await s.run(["token", "list", "--json"], { env: { AKAMAI_EDGERC: s.edgerc } });
    expect(trusted.stderr).toBe("");
    expect(trusted.code).toBe(0);
    expect(JSON.parse(trusted.stdout)).toHaveProperty("tokens");

    const section = parseEdgerc(readFileSync(s.edgerc, "utf8")).get("default") ?? {};
    const fromVariables = await s.run(["token", "list", "--json"], {
      env: {
        AKAMAI_EDGERC: join(s.dir, "no-such-edgerc"),
        AKAMAI_HOST: section.host,
        AKAMAI_CLIENT_TOKEN: section.client_token,
        AKAMAI_CLIENT_SECRET: section.client_secret,
        AKAMAI_ACCESS_TOKEN: section.access_token,
      },
    });
    expect(fromVariables.stderr).toBe("");
    expect(fromVariables.code).toBe(0);
  });

  it("says how to fix an unreachable server", async (t) => {
    const s = await cliHarness(t, { settings });
    const edgerc = writeEdgerc(join(s.dir, "unreachable"), "127.0.0.1:1");
    // The real HTTPS transport, in-process: its network errors are what this test is about.
    const result = await runEdgekv(["token", "list", "--edgerc", edgerc, "--json"], {
      transport: httpsTransport,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      oneLine("Cannot connect to 127\\.0\\.0\\.1:1: connection refused\\. Is the server running.*"),
    );
  });

  it("checks --save_path before creating anything", async (t) => {
    const s = await cliHarness(t, { settings });
    const missing = join(s.dir, "no-such-dir");
    const result = await s.cli(allow("unsaved", "--save_path", missing));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(oneLine(`Cannot use --save_path ${missing}: no such directory.*`));
    expect(s.sent).toEqual([]);
    const listed = await s.cli(["token", "list", "--json"]);
    expect(JSON.parse(listed.stdout).tokens.map((t: { name: string }) => t.name)).not.toContain("unsaved");
  });

  it("shows and initializes the account's EdgeKV status", async (t) => {
    const s = await cliHarness(t, { settings });
    const status = await s.cli(["status", "--json"]);
    expect(JSON.parse(status.stdout)).toMatchObject({ accountStatus: "INITIALIZED" });
    const init = await s.cli(["init"]);
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^EdgeKV was already initialized\.\n\nAccount status:\s+INITIALIZED$/m);
  });
});
