// The package as a user installs it: `npm pack` in the checkout, `npm install --global` of that
// tarball into a temporary prefix, then the installed `edgekv`, found by name on PATH, run from a
// directory outside the checkout: --version, serve, and a signed command against that server, all
// on 127.0.0.1. Slow (npm fetches the dependencies; better-sqlite3 compiles from source where its
// prebuilt binary cannot be downloaded), so it runs with `npm run test:package`, not `npm test`.
import { mkdir, mkdtemp, readdir, readFile, realpath, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBounded, type Served, startServe } from "./processes.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PACK_TIMEOUT_MS = 5 * 60_000;
const INSTALL_TIMEOUT_MS = 15 * 60_000;

const versionOf = (manifest: unknown): unknown =>
  typeof manifest === "object" && manifest !== null && "version" in manifest ? manifest.version : undefined;

describe("the packed package, installed globally", () => {
  let work = "";
  let project = "";
  let prefix = "";
  let env: NodeJS.ProcessEnv = {};
  let listing: string[] = [];
  let server: Served | undefined;
  let tarball = "";

  const edgekv = (args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    runBounded("edgekv", args, { cwd: project, env: { ...env, ...extraEnv }, timeoutMs: 30_000 });

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "edgekv-package-"));
    const packs = join(work, "packs");
    prefix = join(work, "prefix");
    // The user's EdgeWorker project: anywhere but the checkout.
    project = join(work, "my-edgeworker");
    await Promise.all([mkdir(packs), mkdir(prefix), mkdir(project)]);
    env = { ...process.env, PATH: `${join(prefix, "bin")}${delimiter}${process.env.PATH ?? ""}` };

    const pack = await runBounded("npm", ["pack", "--pack-destination", packs], {
      cwd: ROOT,
      env: process.env,
      timeoutMs: PACK_TIMEOUT_MS,
    });
    expect(pack.code, pack.stderr).toBe(0);
    const tarballs = (await readdir(packs)).filter((name) => name.endsWith(".tgz"));
    expect(tarballs).toHaveLength(1);
    tarball = join(packs, tarballs[0] ?? "");
    listing = (await runBounded("tar", ["-tzf", tarball], { cwd: work, env, timeoutMs: 30_000 })).stdout
      .split("\n")
      .filter((line) => line !== "");

    const install = await runBounded(
      "npm",
      ["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", tarball],
      { cwd: project, env, timeoutMs: INSTALL_TIMEOUT_MS },
    );
    expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);
  });

  afterAll(async () => {
    await server?.stop();
    if (work !== "") await rm(work, { recursive: true, force: true });
  });

  it("holds the compiled program and the docs, not the sources, the tests or build leftovers", () => {
    for (const file of [
      "bin/edgekv.js",
      "dist/cli/program.js",
      "dist/server.js",
      "dist/console-ui/index.html",
      "README.md",
      "package.json",
    ]) {
      expect(listing).toContain(`package/${file}`);
    }
    expect(listing.some((path) => path.startsWith("package/docs/"))).toBe(true);
    // The web console ships built (dist/console-ui/: its page, one script, one stylesheet), not its sources.
    expect(
      listing.filter((path) => /^package\/dist\/console-ui\/assets\/console\.\w+\.(js|css)$/.test(path)),
    ).toHaveLength(2);
    expect(listing.filter((path) => /^package\/(src|test|bench|scripts|console)\//.test(path))).toEqual([]);
    // Declarations (.d.ts) ship for the startEdgeKV API; the sources do not.
    expect(listing.filter((path) => /(?<!\.d)\.ts$|\.tsbuildinfo$/.test(path))).toEqual([]);
    expect(listing).toContain("package/dist/index.d.ts");
  });

  it("puts `edgekv` on the prefix's PATH, running the installed copy rather than the checkout", async () => {
    const target = await realpath(join(prefix, "bin", "edgekv"));
    expect(target.startsWith(await realpath(prefix))).toBe(true);
    expect(target.startsWith(ROOT)).toBe(false);
  });

  it("answers --version from a directory outside the checkout", async () => {
    const manifest: unknown = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
    const result = await edgekv(["--version"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${String(versionOf(manifest))}\n`);
  });

  it("serves in the user's project and answers a signed command from there", async () => {
    server = startServe(["--port", "0", "--log-format", "json"], { cwd: project, env });
    const url = await server.ready;
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);

    // The server's first start wrote an .edgerc and a certificate into ./.edgekv.
    const result = await edgekv(["token", "list", "--json"], {
      AKAMAI_EDGERC: join(project, ".edgekv", "edgerc"),
      NODE_EXTRA_CA_CERTS: join(project, ".edgekv", "tls", "cert.pem"),
    });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ tokens: [] });

    expect(await server.stop()).toBe(0);
  });

  // README's "Testing an EdgeWorker with startEdgeKV": its files as printed, in a project of their own
  // that installs the tarball and Vitest as the README says, then runs its command.
  it(
    "runs the README's Vitest example from a project that installed the tarball",
    async () => {
      const example = join(work, "vitest-example");
      await mkdir(example);
      const readme = await readFile(join(ROOT, "README.md"), "utf8");
      const blocks = readmeExample(readme);
      expect([...blocks.keys()]).toEqual(["greeting.js", "greeting.test.js", "run"]);
      for (const [name, text] of blocks) if (name !== "run") await writeFile(join(example, name), text);
      const manifest: unknown = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8"));
      const vitest = devDependency(manifest, "vitest");
      const install = await runBounded(
        "npm",
        ["install", "--save-dev", "--no-audit", "--no-fund", `vitest@${vitest}`, tarball],
        { cwd: example, env, timeoutMs: INSTALL_TIMEOUT_MS },
      );
      expect(install.code, `${install.stdout}\n${install.stderr}`).toBe(0);
      const command = (blocks.get("run") ?? "").trim();
      expect(command).toBe("npx vitest run");
      const run = await runBounded("sh", ["-c", command], {
        cwd: example,
        env: { ...env, CI: "1", NO_COLOR: "1" },
        timeoutMs: 120_000,
      });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/Tests\s+3 passed \(3\)/);
    },
    INSTALL_TIMEOUT_MS + 180_000,
  );
});

/** The README's code blocks marked `<!-- vitest-example: <name> -->`, by name, in order. */
function readmeExample(readme: string): Map<string, string> {
  const blocks = new Map<string, string>();
  for (const match of readme.matchAll(/<!-- vitest-example: (\S+) -->\n```\w*\n([\s\S]*?)```/g)) {
    blocks.set(match[1] ?? "", match[2] ?? "");
  }
  return blocks;
}

function devDependency(manifest: unknown, name: string): string {
  const range =
    typeof manifest === "object" && manifest !== null && "devDependencies" in manifest
      ? (manifest.devDependencies as Record<string, string>)[name]
      : undefined;
  if (range === undefined) throw new Error(`package.json has no devDependency ${name}`);
  return range;
}
