import { execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "../support/child-server.ts";
import { type CliServer, hostLineFor, oneLine, startCliServer, writeEdgerc } from "./cli-server.ts";
import { tokenCreateArgs } from "./in-process.ts";

const TRACE = "trace id [0-9a-f]{16}";

// The few things only the real process shows: the exit code bin/edgekv.js hands to the shell, what
// reaches its stdout and stderr, and TLS against a real `edgekv serve` (NODE_EXTRA_CA_CERTS is read
// only at process start). Behaviour is tested in-process in the other files.
describe.concurrent("the edgekv binary", { timeout: 60_000 }, () => {
  let s: CliServer;
  beforeAll(async () => {
    s = await startCliServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it("exits 0 with its output on stdout, trusting NODE_EXTRA_CA_CERTS, the .edgerc from AKAMAI_EDGERC", async () => {
    const result = await runCli(["token", "list", "--json"], {
      env: { AKAMAI_EDGERC: join(s.dir, "edgerc"), NODE_EXTRA_CA_CERTS: join(s.dir, "tls", "cert.pem") },
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty("tokens");
  });

  it("prints a user's mistake as one line on stderr and exits 1: an untrusted certificate", async () => {
    const edgerc = join(s.dir, "edgerc");
    const result = await runCli(["token", "list"], { env: { AKAMAI_EDGERC: edgerc } });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(
      oneLine(
        ".*is not trusted .*--ca-cert .*NODE_EXTRA_CA_CERTS.*",
        hostLineFor(new URL(s.server.url).host, `${edgerc} [default]`),
      ),
    );
  });

  it("exits 1 on an API error, with the detail, error code and trace id", async () => {
    const result = await s.cli(["token", "show", "nope", "--json"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(oneLine(`Token with name nope does not exist\\. \\(EKV_3000, ${TRACE}\\)`));
  });

  it("prints shell lines that, eval'd in bash, point Akamai's tools and this CLI at the server", async () => {
    const edgekv = `"${process.execPath}" "${BIN}"`;
    const script = [
      `eval "$(${edgekv} env --data-dir "${s.dir}")"`,
      'echo "$AKAMAI_EDGERC|$AKAMAI_EDGERC_SECTION|$NODE_EXTRA_CA_CERTS"',
      `${edgekv} list tokens --jsonout`,
    ].join("\n");
    // No AKAMAI_* credentials of the test's own environment may win over AKAMAI_EDGERC.
    const { stdout, stderr } = await promisify(execFile)("bash", ["-c", script], {
      env: { PATH: process.env.PATH, HOME: s.dir },
    });
    const [variables = "", ...rest] = stdout.split("\n");
    expect(variables).toBe(`${join(s.dir, "edgerc")}|default|${join(s.dir, "tls", "cert.pem")}`);
    expect(JSON.parse(rest.join("\n"))).toMatchObject({ cliStatus: 0, data: { tokens: [] } });
    expect(stderr).toBe("");
  });

  it("uses ./.edgekv/edgerc and trusts ./.edgekv/tls/cert.pem over TLS, rather than ~/.edgerc", async () => {
    const dir = mkdtempSync(join(tmpdir(), "edgekv-local-"));
    try {
      const work = join(dir, "work");
      mkdirSync(work);
      symlinkSync(s.dir, join(work, ".edgekv"));
      const home = join(dir, "home");
      mkdirSync(home);
      writeEdgerc(join(home, ".edgerc"), "akab-real-account.luna.akamaiapis.net");
      const bundle = join(dir, "roots.pem");
      writeFileSync(bundle, rootCertificates.slice(0, 3).join("\n"));
      const result = await runCli(["show", "status"], {
        cwd: work,
        // A bundle of public roots, as some machines set it: the server's certificate is not in it.
        env: { HOME: home, NODE_EXTRA_CA_CERTS: bundle, AKAMAI_EDGERC: "" },
      });
      expect(result.stderr).toBe(
        hostLineFor(
          new URL(s.server.url).host,
          ".edgekv/edgerc [default], the local server's, not ~/.edgerc",
        ),
      );
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Account status:\s+INITIALIZED$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits 0 for --help, with usage and examples on stdout", async () => {
    const root = await runCli(["--help"]);
    expect(root.code).toBe(0);
    expect(root.stdout).toMatch(/^Usage: edgekv /);
    expect(root.stdout).toMatch(/^ {2}token\s/m);
    expect(root.stdout).toMatch(/\nExamples:\n/);
  });

  it("exits 1 for an unknown command, saying so on stderr", async () => {
    const result = await runCli(["frobnicate"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe("error: unknown command 'frobnicate'\n(run with --help for usage)\n");
  });

  it("follows the audit log until Ctrl-C, then exits 0", async ({ expect, onTestFinished }) => {
    const child = spawn(process.execPath, [BIN, "audit", "--follow", "--interval", "0.2", ...s.connection], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    onTestFinished(() => {
      if (child.exitCode === null) child.kill();
    });
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("TARGET")) resolve();
      });
    });
    // A token created meanwhile shows up at the next poll.
    expect((await s.cli([...tokenCreateArgs("followed")])).code).toBe(0);
    await expect.poll(() => stdout, { timeout: 10_000 }).toMatch(/token\.create .* tokens\/followed\n/);
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(stderr).toContain("edgekv: following the audit log every 0.2 s; Ctrl-C stops.\n");
  });

  it("reads a token for verify from stdin, refusing what is not one in one line", async ({ expect }) => {
    const child = spawn(process.execPath, [BIN, "token", "verify", "-", ...s.connection], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdin.end("not a token\n");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(1);
    expect(stderr).toMatch(oneLine('"not a token" is neither a token JWT .*'));
  });

  it("exits 0 without a stack trace when its reader closes the pipe (`| head`)", async ({ expect }) => {
    const child = spawn(process.execPath, [BIN, "serve", "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // The reader is gone before the help is written, as `head -1` is after its first line.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});
