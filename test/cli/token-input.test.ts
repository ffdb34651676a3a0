import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { oneLine, writeEdgerc } from "./cli-server.ts";
import { runEdgekv } from "./in-process.ts";

const create = (overrides: Record<string, string>) => {
  const options = {
    "--staging": "allow",
    "--production": "deny",
    "--ewids": "all",
    "--namespace": "default+rwd",
    ...overrides,
  };
  return ["token", "create", "t1", ...Object.entries(options).flat()];
};

const NAMESPACE = (entry: string, why: string) => `Invalid --namespace "${entry}": ${why}; e\\.g\\. .*`;

// Checked before any request: runEdgekv has no transport unless given one, so sending anything would
// show up as an unexpected error (exit 2) instead of the expected message.
describe("edgekv token create refuses bad input before sending anything", () => {
  let dir: string;
  let edgerc: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-token-input-"));
    edgerc = writeEdgerc(join(dir, "edgerc"), "127.0.0.1:1");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.concurrent.each([
    ["default", NAMESPACE("default", "no permissions: add \\+ and some of r, w, d")],
    ["default+", NAMESPACE("default\\+", "no permissions after \\+: give some of r, w, d")],
    ["+rwd", NAMESPACE("\\+rwd", "the namespace name before \\+ is missing")],
    ["default+rwx", NAMESPACE("default\\+rwx", 'unknown permission "x": use only r, w and d')],
    ["default+q", NAMESPACE("default\\+q", 'unknown permission "q": use only r, w and d')],
    ["default+rr", NAMESPACE("default\\+rr", "each permission letter at most once")],
    ["a+r,a+w", NAMESPACE("a\\+r,a\\+w", "namespace a is given twice")],
    ["default +r", NAMESPACE("default \\+r", "spaces are not allowed")],
    ["a+b+r", NAMESPACE("a\\+b\\+r", "one \\+ per namespace")],
    ["a+r,", NAMESPACE("a\\+r,", "an entry is empty \\(check the commas\\)")],
  ])("--namespace %j", async (namespace, message) => {
    const result = await runEdgekv([...create({ "--namespace": namespace }), "--edgerc", edgerc]);
    expect(result.stderr).toMatch(oneLine(message));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
  });

  it.concurrent.each([
    [
      { "--staging": "deny", "--production": "deny" },
      'A token must be allowed somewhere: .*both are "deny"\\)\\.',
    ],
    [{ "--ewids": "1,2,3,4,5,6,7,8,9" }, 'Invalid --ewids: at most 8 EdgeWorker ids, not 9; use "all".*'],
    [{ "--ewids": "12,abc" }, 'Invalid --ewids "12,abc": "abc" is not an EdgeWorker id.*'],
    [{ "--expiry": "2027-13-01" }, 'Invalid --expiry "2027-13-01": give a date as YYYY-MM-DD.*'],
    [{ "--expiry": "2027-02-30" }, 'Invalid --expiry "2027-02-30": give a date as YYYY-MM-DD.*'],
    [{ "--expiry": "tomorrow" }, 'Invalid --expiry "tomorrow": give a date as YYYY-MM-DD.*'],
    [{ "--timeout": "soon" }, 'Invalid --timeout "soon".*'],
  ])("%j", async (overrides, message) => {
    const result = await runEdgekv([...create(overrides), "--edgerc", edgerc, "--json"]);
    expect(result.stderr).toMatch(oneLine(message));
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
  });

  it.concurrent("--save_path that does not exist", async () => {
    const missing = join(dir, "missing", "bundle.tgz");
    const result = await runEdgekv([...create({ "--save_path": missing }), "--edgerc", edgerc]);
    expect(result.stderr).toMatch(oneLine(`Cannot use --save_path ${missing}: the bundle does not exist.*`));
    expect(result.code).toBe(1);
  });

  it.concurrent("a --save_path file that is not edgekv_tokens.js or a bundle", async () => {
    const result = await runEdgekv([...create({ "--save_path": edgerc }), "--edgerc", edgerc]);
    expect(result.stderr).toMatch(oneLine(`Cannot use --save_path ${edgerc}: give a directory, .*`));
    expect(result.code).toBe(1);
  });

  it.concurrent("a missing .edgerc section", async () => {
    const result = await runEdgekv([...create({}), "--edgerc", edgerc, "--section", "nope"]);
    expect(result.stderr).toMatch(oneLine("Section \\[nope\\] not found in .*; it has: \\[default\\]\\..*"));
    expect(result.code).toBe(1);
  });

  it.concurrent("a missing .edgerc file, also through AKAMAI_EDGERC", async () => {
    const missing = join(dir, "no-edgerc");
    const result = await runEdgekv(["token", "list"], { env: { AKAMAI_EDGERC: missing } });
    expect(result.stderr).toMatch(oneLine(`Cannot read the \\.edgerc file ${missing} \\(ENOENT\\)\\..*`));
    expect(result.code).toBe(1);
  });

  it.concurrent("a --staging that is neither allow nor deny", async () => {
    const result = await runEdgekv([...create({ "--staging": "maybe" }), "--edgerc", edgerc]);
    expect(result.stderr).toMatch(/option '--staging <allow\|deny>' argument 'maybe' is invalid/);
    expect(result.code).toBe(1);
  });

  it.concurrent("a required option left out", async () => {
    const result = await runEdgekv(["token", "create", "t1", "--staging", "allow", "--edgerc", edgerc]);
    expect(result.stderr).toMatch(/required option '--production <allow\|deny>' not specified/);
    expect(result.code).toBe(1);
  });
});
