import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_HOST } from "../support/harness.ts";
import { daysFromToday, oneLine } from "./cli-server.ts";
import { type CliHarness, cliHarness, edgercText, tokenCreateArgs } from "./in-process.ts";

// Activation takes 1 s of the harness clock, which each --wait pause moves.
const settings = { activationDelaySeconds: 1 };

/** A token on staging only, `default+rw`; its uuid, or with --expiry its JWT. */
async function create(
  s: CliHarness,
  name: string,
  ...extra: string[]
): Promise<{ uuid: string; value?: string }> {
  const created = await s.cli([...tokenCreateArgs(name, { namespace: "default+rw" }), "--json", ...extra]);
  expect(created.code, created.stderr).toBe(0);
  return JSON.parse(created.stdout);
}

describe.concurrent("edgekv token verify", () => {
  it("says a token is valid by its uuid, with what it grants, and exits 0", async (t) => {
    const s = await cliHarness(t, { settings });
    const { uuid } = await create(s, "checked", "--wait");
    const run = await s.cli(["token", "verify", uuid]);
    expect(run.stderr).toBe(s.hostLine);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Valid: token checked \(its current credential\)\.\n\n/);
    expect(run.stdout).toMatch(new RegExp(`^Token UUID:\\s+${uuid}$`, "m"));
    expect(run.stdout).toMatch(/^Kind:\s+enhanced$/m);
    expect(run.stdout).toMatch(/^Activation status:\s+COMPLETE$/m);
    expect(run.stdout).toMatch(/^Expiry date:\s+INDEFINITE$/m);
    expect(run.stdout).toMatch(/^Valid on production:\s+no$/m);
    expect(run.stdout).toMatch(/^Namespace permissions:\n {2}default: \[READ,WRITE\]\n$/m);
    expect(s.sent.at(-1)?.target).toBe("/_edgekv/v1/tokens/verify");
  });

  it("checks one request: accepted (exit 0) or refused with the reason (exit 1)", async (t) => {
    const s = await cliHarness(t, { settings });
    const { uuid } = await create(s, "scoped", "--wait");
    const ask = (...options: string[]) => s.cli(["token", "verify", uuid, ...options]);

    const accepted = await ask("--namespace", "default", "--operation", "write", "--network", "staging");
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toMatch(
      /^Accepted: token scoped \(its current credential\) allows write on namespace default on staging\.\n/,
    );
    const refusals: Array<[string, string, string, string]> = [
      ["default", "read", "production", "Token scoped is not allowed on the production network."],
      ["default", "delete", "staging", 'Token scoped lacks the "d" permission on namespace default.'],
      ["other", "read", "staging", "Token scoped grants nothing on namespace other."],
    ];
    for (const [namespace, operation, network, reason] of refusals) {
      const refused = await ask("--namespace", namespace, "--operation", operation, "--network", network);
      expect(refused.code, reason).toBe(1);
      expect(refused.stdout.split("\n")[0]).toBe(`Refused: ${reason}`);
      expect(refused.stdout).toMatch(/^Token name:\s+scoped$/m);
    }

    const json = await ask(
      "--namespace",
      "default",
      "--operation",
      "read",
      "--network",
      "staging",
      "--ewid",
      "42",
      "--json",
    );
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: true,
      credential: "current",
      access: { allowed: true },
      token: { name: "scoped", uuid, restrictToEdgeWorkerIds: null },
    });
  });

  it("reads a legacy token's JWT from stdin with -, its expiry in days", async (t) => {
    const s = await cliHarness(t, { settings });
    const expiry = daysFromToday(10);
    const { value } = await create(s, "legacy", "--expiry", expiry);
    const run = await s.cli(["token", "verify", "-"], { stdin: `${value ?? ""}\n` });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Valid: token legacy \(its current credential\)\./);
    expect(run.stdout).toMatch(/^Kind:\s+legacy$/m);
    expect(run.stdout).toMatch(new RegExp(`^Expiry date:\\s+${expiry} \\(in 10 days\\)$`, "m"));
    expect(JSON.parse(s.sent.at(-1)?.body?.toString() ?? "")).toEqual({ token: value });

    const tampered = `${value?.slice(0, -4) ?? ""}AAAA`;
    const refused = await s.cli(["token", "verify", tampered, "--json"]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toEqual({ valid: false, reason: "bad-signature", token: null });
  });

  it("says why a token is not valid, and exits 1: not active yet, revoked, unknown", async (t) => {
    const s = await cliHarness(t, { settings, serverClockFollowsWait: false });
    const { uuid } = await create(s, "pending");
    const pending = await s.cli(["token", "verify", uuid]);
    expect(pending.code).toBe(1);
    expect(pending.stdout).toMatch(
      /^Not valid: token pending is not active yet; wait for it with: edgekv token show pending --wait\n\n/,
    );
    expect(pending.stdout).toMatch(/^Activation status:\s+IN_PROGRESS$/m);

    await s.cli(["token", "revoke", "pending"]);
    const revoked = await s.cli(["token", "verify", uuid.toUpperCase()]);
    expect(revoked.code).toBe(1);
    expect(revoked.stdout).toMatch(/^Not valid: token pending was revoked\.\n/);
    const json = await s.cli(["token", "verify", uuid, "--json"]);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe("");
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      reason: "revoked",
      token: { name: "pending" },
    });

    const unknown = await s.cli(["token", "verify", "00000000-0000-4000-8000-000000000000"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toMatch(/^Not valid: no token of this account has it \(.*\)\.\n$/);
  });

  it("says when a reference stands for the previous credential, during a refresh", async (t) => {
    const s = await cliHarness(t, { settings, serverClockFollowsWait: false });
    const { uuid } = await create(s, "turning");
    s.harness.clock.advance(1_000);
    expect((await s.cli(["token", "refresh", "turning"])).code).toBe(0);
    const run = await s.cli(["token", "verify", uuid]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Valid: token turning \(its previous credential, which works until the refreshed one is active\)\.\n/,
    );
  });

  it.for([
    [[], "error: missing required argument 'jwt\\|uuid'"],
    [
      ["my_token"],
      'edgekv: "my_token" is neither a token JWT .* nor a token uuid; for a token by name, take its uuid from: edgekv token show <name>',
    ],
    [["a.b"], 'edgekv: "a\\.b" is neither a token JWT .*'],
    [["-"], "edgekv: Standard input held no token: pipe a JWT or a token uuid into it\\."],
    [
      ["a.b.c", "--namespace", "default"],
      "edgekv: To check a request, give --namespace, --operation and --network together \\(missing --operation, --network\\)\\.",
    ],
    [
      ["a.b.c", "--ewid", "1"],
      "edgekv: To check a request, .*\\(missing --namespace, --operation, --network\\)\\.",
    ],
    [
      ["a.b.c", "--namespace", "default", "--operation", "list", "--network", "staging"],
      'edgekv: Invalid --operation "list": give read, write or delete\\.',
    ],
    [
      ["a.b.c", "--namespace", "default", "--operation", "read", "--network", "prod"],
      'edgekv: The network must be staging or production, not "prod"\\.',
    ],
    [
      ["a.b.c", "--namespace", "default", "--operation", "read", "--network", "staging", "--ewid", "ew1"],
      'edgekv: Invalid --ewid "ew1": an EdgeWorker id is a number, up to 18 digits\\.',
    ],
  ] as const)("refuses %j in one line, exit 1, before sending", async ([args, message], t) => {
    const s = await cliHarness(t);
    const run = await s.cli(["token", "verify", ...args]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(new RegExp(`^${message}\\n$`));
    expect(s.sent).toEqual([]);
  });

  it("says in one line what the server refused: a client that may not view tokens", async (t) => {
    const s = await cliHarness(t);
    const client = await s.harness.addClient({ capabilities: ["CREATE_TOKEN"] });
    const edgerc = join(s.dir, "limited");
    await writeFile(edgerc, edgercText(TEST_HOST, client));
    const run = await s.run([
      "token",
      "verify",
      "00000000-0000-4000-8000-000000000000",
      "--edgerc",
      edgerc,
      "--json",
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(
      oneLine(".*lacks the VIEW_TOKEN or VIEW_STAGING_TOKEN capability.*EKV_1000.*"),
    );
  });

  it("has help that states the exit code and shows examples", async (t) => {
    const s = await cliHarness(t);
    const help = await s.run(["token", "verify", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: edgekv token verify \[options\] <jwt\|uuid>/);
    expect(help.stdout).toContain("Exit code: 0 when the token is valid");
    expect(help.stdout).toMatch(/\n {2}\$ edgekv token verify [0-9a-f-]{36} --namespace default /);
    expect(help.stdout).toContain("$ edgekv token verify - --json < legacy-token.jwt");
  });
});
