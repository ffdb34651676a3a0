import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { oneLine } from "./cli-server.ts";
import { type CliHarness, type CliRun, cliHarness } from "./in-process.ts";

const settings = { activationDelaySeconds: 0 };

/** `edgekv <words>` as a script for `akamai edgekv` would run it: credentials from AKAMAI_EDGERC. */
function official(s: CliHarness) {
  return async (...words: string[]): Promise<CliRun> => {
    const result = await s.run(words, { env: { AKAMAI_EDGERC: s.edgerc } });
    expect(result.code, `edgekv ${words.join(" ")}\n${result.stderr}`).toBe(0);
    return result;
  };
}

/** `--jsonout`'s document, checked for its shape. */
function document(result: CliRun): { cliStatus: number; msg: string; data: unknown } {
  const parsed = JSON.parse(result.stdout);
  expect(parsed).toEqual({ cliStatus: 0, msg: expect.any(String), data: expect.anything() });
  return parsed;
}

// A script written in the official CLI's order and option names, every step checked for its effect.
describe.concurrent("the official akamai edgekv commands", () => {
  it("run a whole script: initialize, namespaces, items, tokens, permission groups, the data access policy", async (t) => {
    const s = await cliHarness(t, { settings });
    const edgekv = official(s);

    const initialized = await edgekv("initialize");
    expect(initialized.stdout).toMatch(/^EdgeKV was already initialized\.\n/);
    expect(initialized.stderr).toBe(s.hostLine);
    expect((await edgekv("show", "status")).stdout).toMatch(/^Account status:\s+INITIALIZED$/m);

    const created = await edgekv("create", "ns", "staging", "marketing", "--retention", "0");
    expect(created.stdout).toMatch(/^Created namespace marketing on staging\.\n/);
    expect(created.stdout).toMatch(/^Retention:\s+indefinite$/m);
    await edgekv("create", "ns", "production", "marketing", "--retention", "0", "--geoLocation", "US");
    expect((await edgekv("list", "ns", "staging")).stdout).toMatch(/^marketing$/m);
    expect((await edgekv("l", "ns", "production", "-d")).stdout).toMatch(
      /^marketing\s+indefinite\s+US\s+0$/m,
    );
    expect((await edgekv("show", "ns", "staging", "marketing")).stdout).toMatch(/^Namespace:\s+marketing$/m);
    const modified = await edgekv("modify", "ns", "staging", "marketing", "--retention", "30");
    expect(modified.stdout).toMatch(/^Retention:\s+30 days$/m);

    await edgekv("write", "text", "staging", "marketing", "countries", "DE", "Germany");
    const file = join(s.dir, "fr.json");
    writeFileSync(file, '{"name":"France"}');
    await edgekv("write", "jsonfile", "staging", "marketing", "countries", "FR", file);
    expect((await edgekv("read", "item", "staging", "marketing", "countries", "DE")).stdout).toBe(
      "Germany\n",
    );
    expect((await edgekv("show", "item", "staging", "marketing", "countries", "FR")).stdout).toBe(
      '{"name":"France"}\n',
    );
    expect((await edgekv("list", "items", "staging", "marketing", "countries")).stdout).toMatch(
      /^ITEM\nDE\nFR\n\n2 items\.\n$/,
    );
    expect((await edgekv("list", "groups", "staging", "marketing")).stdout).toMatch(/^GROUP\ncountries\n/);

    const token = await edgekv(
      ...["create", "token", "tok", "--staging", "allow", "--production", "deny"],
      ...["--ewids", "all", "--namespace", "marketing+rwd"],
    );
    expect(token.stdout).toMatch(/^Created token tok\.\n/);
    expect(token.stdout).toMatch(/^ {2}marketing: \[READ,WRITE,DELETE\]$/m);
    expect((await edgekv("list", "tokens", "--include-expired")).stdout).toMatch(/^tok\s+COMPLETE\s/m);
    expect((await edgekv("l", "tkn")).stdout).toMatch(/^tok\s+COMPLETE\s/m);
    const bundle = join(s.dir, "bundle");
    mkdirSync(bundle);
    const downloaded = await edgekv("download", "token", "tok", "--save_path", bundle);
    expect(downloaded.stdout).toContain(`Saved token tok to ${join(bundle, "edgekv_tokens.js")}`);
    expect(readFileSync(join(bundle, "edgekv_tokens.js"), "utf8")).toMatch(
      /"namespace-marketing": \{ "name": "tok", "reference": "[0-9a-f-]{36}" \}/,
    );
    expect((await edgekv("dnld", "tkn", "tok")).stdout).toMatch(/^Token tok:\n/);
    expect((await edgekv("refresh", "token", "tok")).stdout).toMatch(/^Token tok has been refreshed\.\n/);

    expect((await edgekv("list", "auth-groups")).stdout).toMatch(/^0\s+Default group\s+\S*READ_DATA/m);
    const moved = await edgekv("modify", "auth-group", "marketing", "5");
    expect(moved.stdout).toBe(
      "Namespace marketing is now in permission group 5, on every network it exists on.\n",
    );
    expect((await edgekv("list", "auth-groups", "--groupIds", "5")).stdout).toMatch(/^5\s+Group 5\s/m);
    expect((await edgekv("show", "ns", "production", "marketing")).stdout).toMatch(/^Group id:\s+5$/m);

    const policy = await edgekv(
      ...["modify", "db", "--dataAccessPolicy"],
      "restrictDataAccess=true,allowNamespacePolicyOverride=false",
    );
    expect(policy.stdout).toMatch(
      /^Data access policy:\s+restrictDataAccess=true, allowNamespacePolicyOverride=false$/m,
    );
    await edgekv(
      ...["modify", "db", "--dataAccessPolicy"],
      "restrictDataAccess=false,allowNamespacePolicyOverride=true",
    );

    const deleted = await edgekv("delete", "item", "staging", "marketing", "countries", "DE");
    expect(deleted.stdout).toBe("Deleted item DE in group countries of namespace marketing on staging.\n");
    await edgekv("del", "item", "staging", "marketing", "countries", "FR");
    const read = await s.run(["read", "item", "staging", "marketing", "countries", "DE"], {
      env: { AKAMAI_EDGERC: s.edgerc },
    });
    expect(read.stderr).toMatch(oneLine(".* \\(EKV_9000, trace id [0-9a-f]{16}\\)", s.hostLine));
    const gone = await edgekv("delete", "ns", "staging", "marketing", "--sync");
    expect(gone.stdout).toBe("Deleted namespace marketing on staging.\n");
    expect((await edgekv("list", "ns", "staging")).stdout).not.toMatch(/^marketing$/m);

    const revoked = await edgekv("revoke", "token", "tok");
    expect(revoked.stdout).toBe("tok was revoked and removed from the EdgeKV access token list.\n");
    expect((await edgekv("list", "tokens")).stdout).not.toMatch(/^tok\s/m);
  });

  it("send what the noun-verb commands send", async (t) => {
    const s = await cliHarness(t, { settings });
    const edgekv = official(s);
    await edgekv("create", "ns", "staging", "twin", "--retention", "0");
    await edgekv("namespace", "create", "production", "twin", "--retention", "0");
    await edgekv("write", "text", "staging", "twin", "g", "k", '{"a":1}');
    await edgekv("item", "write", "production", "twin", "g", "k", '{"a":1}');
    const [a, b, c, d] = s.sent;
    expect([a?.method, a?.target, a?.body?.toString()]).toEqual([
      "POST",
      "/edgekv/v1/networks/staging/namespaces",
      b?.body?.toString(),
    ]);
    expect(b?.target).toBe("/edgekv/v1/networks/production/namespaces");
    expect([c?.method, c?.body?.toString(), c?.headers["Content-Type"]]).toEqual([
      "PUT",
      d?.body?.toString(),
      d?.headers["Content-Type"],
    ]);
  });

  it("print {cliStatus, msg, data} with --jsonout, before or after the command, and no host line", async (t) => {
    const s = await cliHarness(t, { settings });
    const edgekv = official(s);
    const tokens = await edgekv(
      ...["--jsonout", "create", "token", "j", "--staging", "allow", "--production", "deny"],
      ...["--ewids", "all", "--namespace", "default+r"],
    );
    expect(tokens.stderr).toBe("");
    expect(document(tokens)).toMatchObject({
      msg: expect.stringMatching(/^Add the token reference in edgekv_tokens\.js file/),
      data: { name: "j", namespacePermissions: { default: ["r"] } },
    });
    const listed = document(await edgekv("list", "tokens", "--jsonout"));
    expect(listed.msg).toBe("The following tokens are available for you to download");
    expect(listed.data).toEqual({ tokens: [expect.objectContaining({ name: "j" })] });

    const namespaces = await edgekv(
      "--jsonout",
      "l",
      "ns",
      "staging",
      "-d",
      "--order-by",
      "namespace",
      "--desc",
    );
    expect(document(namespaces)).toEqual({
      cliStatus: 0,
      msg: "The following namespaces are provisioned on the staging environment",
      data: [{ NamespaceId: "default", RetentionPeriod: "indefinite", GeoLocation: "US", AccessGroupId: 0 }],
    });
    await edgekv("write", "text", "staging", "default", "g", "k", "v");
    expect(document(await edgekv("read", "item", "staging", "default", "g", "k", "--jsonout"))).toEqual({
      cliStatus: 0,
      msg: "Item k from group g, namespace default and environment staging retrieved successfully",
      data: "v",
    });
    expect(document(await edgekv("--jsonout", "revoke", "token", "j"))).toEqual({
      cliStatus: 0,
      msg: "j was successfully revoked and removed from the EdgeKV access token list.",
      data: {},
    });
  });

  it("write that document to a file with --json <path>, and keep --json alone as it was", async (t) => {
    const s = await cliHarness(t, { settings });
    const edgekv = official(s);
    const out = join(s.dir, "out");
    const toDirectory = await edgekv("--json", `${out}/`, "show", "status");
    const file = join(out, "ekvcli_output.json");
    expect(toDirectory.stdout).toBe(`Saving JSON output at: ${file}\n`);
    expect(toDirectory.stderr).toBe("");
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
      cliStatus: 0,
      msg: "EdgeKV already INITIALIZED",
      data: { accountStatus: "INITIALIZED" },
    });
    const named = join(s.dir, "groups.json");
    await edgekv("list", "ns", "staging", `--json=${named}`);
    expect(JSON.parse(readFileSync(named, "utf8")).data).toEqual([{ NamespaceId: "default" }]);
    const plain = await edgekv("list", "ns", "staging", "--json");
    expect(JSON.parse(plain.stdout)).toEqual({ namespaces: [{ namespace: "default" }] });
    expect(plain.stderr).toBe("");
  });

  it("accept --include_ew_groups (and -incewg), saying that EdgeWorkers groups are not available here", async (t) => {
    const s = await cliHarness(t, { settings });
    const edgekv = official(s);
    const note =
      "edgekv: EdgeWorkers groups are not available here: this server has no EdgeWorkers API, so --include_ew_groups lists EdgeKV capabilities only.\n";
    const human = await edgekv("list", "auth-groups", "--include_ew_groups");
    expect(human.stderr).toBe(`${s.hostLine}${note}`);
    expect(human.stdout).toMatch(/^GROUP ID\s+GROUP NAME\s+EDGEKV CAPABILITIES\n0\s+Default group\s/);
    const short = await edgekv("--jsonout", "list", "auth-groups", "-incewg", "--groupIds", "0");
    expect(short.stderr).toBe(note);
    expect(document(short)).toMatchObject({
      msg: "User has the following permission access for group: 0",
      data: { authGroups: { groups: [expect.objectContaining({ groupId: 0 })] }, ewGroups: [] },
    });
  });

  it.for([
    [
      ["create", "ns", "moon", "x", "--retention", "0"],
      'The network must be staging or production, not "moon"\\.',
    ],
    [["modify", "db", "--dataAccessPolicy", "restrictDataAccess=maybe"], "Invalid --dataAccessPolicy .*"],
    [["modify", "auth-group", "marketing", "five"], 'Invalid groupId "five": .*'],
    [["list", "auth-groups", "--groupIds", "1,x"], 'Invalid --groupIds "1,x": .*'],
    [["list", "ns", "staging", "--order-by", "retention"], "--order-by needs --details \\(-d\\)\\."],
    [["write", "jsonfile", "staging", "default", "g", "k", "/no/such.json"], "Cannot read the JSON file .*"],
  ] as const)("refuse %j with one line before sending anything", async ([args, message], t) => {
    const s = await cliHarness(t, { settings });
    const result = await s.cli(args);
    expect(result.stderr).toMatch(oneLine(message));
    expect(result.code).toBe(1);
    expect(s.sent).toEqual([]);
  });

  it("answer an unknown noun the way commander does, naming the verb's nouns in its help", async (t) => {
    const s = await cliHarness(t, { settings });
    const unknown = await s.cli(["create", "bucket", "x"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: unknown command 'bucket'/);
    const help = await s.run(["create", "--help"]);
    expect(help.stdout).toMatch(/^ {2}ns\|namespace \[options\] <network> <namespace>/m);
    expect(help.stdout).toMatch(/^ {2}token\|tkn \[options\] <name>/m);
  });
});
