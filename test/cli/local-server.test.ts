import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TEST_HOST } from "../support/harness.ts";
import { hostLineFor, oneLine, writeEdgerc } from "./cli-server.ts";
import { type CliHarness, cliHarness, edgercText, runEdgekv } from "./in-process.ts";

const settings = { activationDelaySeconds: 0 };
const CA = "-----BEGIN CERTIFICATE-----\nnot a real one\n-----END CERTIFICATE-----\n";

/**
 * Under the test's directory: `work/.edgekv` as `edgekv serve` leaves it (edgerc for the harness,
 * tls/cert.pem), and a home whose ~/.edgerc points at an Akamai account elsewhere.
 */
function directories(s: CliHarness) {
  const work = join(s.dir, "work");
  mkdirSync(join(work, ".edgekv", "tls"), { recursive: true });
  writeFileSync(join(work, ".edgekv", "edgerc"), edgercText(TEST_HOST, s.harness.credentials));
  writeFileSync(join(work, ".edgekv", "tls", "cert.pem"), CA);
  const home = join(s.dir, "home");
  mkdirSync(home);
  writeEdgerc(join(home, ".edgerc"), "akab-real-account.luna.akamaiapis.net");
  const elsewhere = join(s.dir, "elsewhere");
  mkdirSync(elsewhere);
  return { work, home, elsewhere };
}

const LOCAL = hostLineFor(TEST_HOST, ".edgekv/edgerc [default], the local server's, not ~/.edgerc");
const HOME = hostLineFor("akab-real-account.luna.akamaiapis.net", "~/.edgerc [default]");

describe.concurrent("a local server's data directory", () => {
  it("is used, with its certificate, rather than ~/.edgerc when nothing else names credentials", async (t) => {
    const s = await cliHarness(t, { settings });
    const { work, home } = directories(s);
    const listed = await s.run(["list", "tokens"], { cwd: work, env: { HOME: home } });
    expect(listed.code).toBe(0);
    expect(listed.stderr).toBe(LOCAL);
    expect(s.sent.map(({ host, ca }) => [host, ca])).toEqual([[TEST_HOST, CA]]);

    const json = await s.run(["token", "list", "--json"], { cwd: work, env: { HOME: home } });
    expect(json.stderr).toBe("");
    expect(JSON.parse(json.stdout)).toEqual({ tokens: [] });
  });

  it("is what `edgekv request` uses too, which prints the body alone, without a host line", async (t) => {
    const s = await cliHarness(t, { settings });
    const { work, home } = directories(s);
    const result = await s.run(["request", "GET", "/edgekv/v1/tokens"], { cwd: work, env: { HOME: home } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ tokens: [] });
    expect(s.sent.map(({ host, ca }) => [host, ca])).toEqual([[TEST_HOST, CA]]);
  });

  it("trusts its certificate whatever NODE_EXTRA_CA_CERTS holds (often a system bundle), --ca-cert instead when given", async (t) => {
    const s = await cliHarness(t, { settings });
    const { work, home } = directories(s);
    const bundle = { HOME: home, NODE_EXTRA_CA_CERTS: "/etc/ssl/certs/ca-certificates.crt" };
    await s.run(["status"], { cwd: work, env: bundle });
    const own = join(s.dir, "own.pem");
    writeFileSync(own, "own CA");
    await s.run(["status", "--ca-cert", own], { cwd: work, env: { HOME: home } });
    expect(s.sent.map(({ ca }) => ca)).toEqual([CA, "own CA"]);
  });

  it.for([
    ["--edgerc", (s: CliHarness) => ({ args: ["--edgerc", s.edgerc], env: {} })],
    ["AKAMAI_EDGERC", (s: CliHarness) => ({ args: [], env: { AKAMAI_EDGERC: s.edgerc } })],
  ] as const)("gives way to %s", async ([, given], t) => {
    const s = await cliHarness(t, { settings });
    const { work, home } = directories(s);
    const { args, env } = given(s);
    const result = await s.run(["status", ...args], { cwd: work, env: { HOME: home, ...env } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(s.hostLine);
    expect(s.sent[0]?.ca).toBeUndefined();
  });

  it("is not there elsewhere: ~/.edgerc is, and the host line says so", async (t) => {
    const s = await cliHarness(t, { settings });
    const { home, elsewhere } = directories(s);
    const result = await s.run(["show", "status"], { cwd: elsewhere, env: { HOME: home } });
    // The made-up ~/.edgerc does not sign for the harness: what matters is where the request went.
    expect(result.stderr.startsWith(HOME)).toBe(true);
    expect(s.sent.map(({ host }) => host)).toEqual(["akab-real-account.luna.akamaiapis.net"]);
  });

  it("is found through EDGEKV_DATA_DIR, as the server finds it", async (t) => {
    const s = await cliHarness(t, { settings });
    const { work, home, elsewhere } = directories(s);
    const result = await s.run(["status"], {
      cwd: elsewhere,
      env: { HOME: home, EDGEKV_DATA_DIR: join(work, ".edgekv") },
    });
    expect(result.code).toBe(0);
    // Outside the working directory, the path is shown in full.
    expect(result.stderr).toBe(
      hostLineFor(
        TEST_HOST,
        `${join(work, ".edgekv", "edgerc")} [default], the local server's, not ~/.edgerc`,
      ),
    );
  });

  it("says whose .edgerc lacks a section, and how to reach the Akamai account instead", async (t) => {
    const s = await cliHarness(t, { settings });
    const { work, home } = directories(s);
    const result = await s.run(["status", "--section", "prod"], { cwd: work, env: { HOME: home } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      oneLine(
        "Section \\[prod\\] not found in .*; it has: \\[default\\]\\..* \\(\\.edgekv/edgerc is the local server's, " +
          "used because no --edgerc, AKAMAI_EDGERC or AKAMAI_\\* variables were given; for your Akamai account pass --edgerc ~/\\.edgerc\\.\\)",
      ),
    );
    expect(s.sent).toEqual([]);
  });
});

describe("edgekv env", () => {
  it("prints export lines with absolute, quoted paths for eval", async (t) => {
    const s = await cliHarness(t, { settings });
    const { work } = directories(s);
    const result = await runEdgekv(["env"], { cwd: work });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe("");
    const dataDir = join(work, ".edgekv");
    expect(result.stdout).toBe(
      [
        `# The edgekv server of ${dataDir}; apply with: eval "$(edgekv env)"`,
        `export AKAMAI_EDGERC='${dataDir}/edgerc'`,
        "export AKAMAI_EDGERC_SECTION='default'",
        `export NODE_EXTRA_CA_CERTS='${dataDir}/tls/cert.pem'`,
        "",
      ].join("\n"),
    );
  });

  it("takes --data-dir (or EDGEKV_DATA_DIR), quotes what the shell would expand, and says what is missing", async (t) => {
    const s = await cliHarness(t, { settings });
    const odd = join(s.dir, "it's $HOME");
    const result = await runEdgekv(["env", "--data-dir", odd, "--json"], { cwd: s.dir });
    expect(JSON.parse(result.stdout)).toEqual({
      AKAMAI_EDGERC: join(odd, "edgerc"),
      AKAMAI_EDGERC_SECTION: "default",
      NODE_EXTRA_CA_CERTS: join(odd, "tls", "cert.pem"),
    });
    expect(result.stderr).toBe(
      `edgekv: ${join(odd, "edgerc")} and ${join(odd, "tls", "cert.pem")} do not exist yet; \`edgekv serve --data-dir ${odd}\` writes them.\n`,
    );
    const lines = await runEdgekv(["env"], { cwd: s.dir, env: { EDGEKV_DATA_DIR: odd } });
    expect(lines.stdout).toContain(`export AKAMAI_EDGERC='${s.dir}/it'\\''s $HOME/edgerc'\n`);
  });

  it("unsets the AKAMAI_* credentials that would win over AKAMAI_EDGERC", async (t) => {
    const s = await cliHarness(t, { settings });
    const { work } = directories(s);
    const env = {
      AKAMAI_HOST: "akab-real.luna.akamaiapis.net",
      AKAMAI_CLIENT_TOKEN: "a",
      AKAMAI_CLIENT_SECRET: "b",
      AKAMAI_ACCESS_TOKEN: "c",
    };
    const result = await runEdgekv(["env"], { cwd: work, env });
    expect(result.stdout.split("\n")[1]).toBe(
      "unset AKAMAI_HOST AKAMAI_CLIENT_TOKEN AKAMAI_CLIENT_SECRET AKAMAI_ACCESS_TOKEN",
    );
  });

  it("says when NODE_EXTRA_CA_CERTS named another file, which Node then no longer reads", async (t) => {
    const s = await cliHarness(t, { settings });
    const { work } = directories(s);
    const bundle = "/etc/ssl/certs/ca-certificates.crt";
    const result = await runEdgekv(["env"], { cwd: work, env: { NODE_EXTRA_CA_CERTS: bundle } });
    expect(result.stderr).toBe(
      `edgekv: NODE_EXTRA_CA_CERTS was ${bundle}; these lines make it the server's certificate alone.\n`,
    );
    const same = join(work, ".edgekv", "tls", "cert.pem");
    expect((await runEdgekv(["env"], { cwd: work, env: { NODE_EXTRA_CA_CERTS: same } })).stderr).toBe("");
  });
});
