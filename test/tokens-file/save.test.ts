import { execFileSync } from "node:child_process";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  parseTokensFile,
  readBundleTokensFile,
  renderTokensFile,
  saveTokensFile,
  TokensFileError,
} from "../../src/tokens-file/index.ts";
import { enhancedToken, OTHER_UUID, UUID } from "./support.ts";

const NOW = new Date("2025-06-07T08:09:10Z");
const MINE = { name: "my_token", reference: UUID };
const OTHERS = { name: "other_token", reference: OTHER_UUID };
const isRoot = process.getuid?.() === 0;

let root: string;
let counter = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "edgekv-tokens-save-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  counter += 1;
  const dir = join(root, `case-${counter}`);
  await mkdir(dir);
  return dir;
}

async function saveError(path: string, overwrite = false): Promise<TokensFileError> {
  const error = await saveTokensFile({ path, token: enhancedToken(), overwrite, now: NOW }).catch(
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokensFileError);
  return error as TokensFileError;
}

describe("saveTokensFile", () => {
  it("writes edgekv_tokens.js into a directory, then finds nothing to change", async () => {
    const dir = await freshDir();
    const file = join(dir, "edgekv_tokens.js");
    const first = await saveTokensFile({ path: dir, token: enhancedToken(), overwrite: false, now: NOW });
    expect(first).toEqual({ file, added: ["namespace-default"], replaced: [], unchanged: [], migrated: [] });
    expect(parseTokensFile(await readFile(file, "utf8"))).toEqual({ "namespace-default": MINE });

    const again = await saveTokensFile({ path: dir, token: enhancedToken(), overwrite: false, now: NOW });
    expect(again).toEqual({ file, added: [], replaced: [], unchanged: ["namespace-default"], migrated: [] });
    expect(await readdir(dir)).toEqual(["edgekv_tokens.js"]);
  });

  it("creates an explicit edgekv_tokens.js path in an existing directory", async () => {
    const file = join(await freshDir(), "edgekv_tokens.js");
    const saved = await saveTokensFile({ path: file, token: enhancedToken(), overwrite: false, now: NOW });
    expect(saved.file).toBe(file);
    expect(parseTokensFile(await readFile(file, "utf8"))).toEqual({ "namespace-default": MINE });
  });

  it("updates an existing file, keeping other entries and the file's mode", async () => {
    const dir = await freshDir();
    const file = join(dir, "edgekv_tokens.js");
    await writeFile(file, renderTokensFile({ "namespace-keep": OTHERS }));
    await chmod(file, 0o600);
    const saved = await saveTokensFile({ path: file, token: enhancedToken(), overwrite: false, now: NOW });
    expect(saved.added).toEqual(["namespace-default"]);
    expect(parseTokensFile(await readFile(file, "utf8"))).toEqual({
      "namespace-default": MINE,
      "namespace-keep": OTHERS,
    });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["edgekv_tokens.js"]);
  });

  it("updates the target of a symbolic link and keeps the link", async () => {
    const dir = await freshDir();
    const target = join(dir, "real-tokens.js");
    const link = join(dir, "edgekv_tokens.js");
    await writeFile(target, renderTokensFile({ "namespace-keep": OTHERS }));
    await symlink(target, link);
    const saved = await saveTokensFile({ path: dir, token: enhancedToken(), overwrite: false, now: NOW });
    expect(saved.file).toBe(target);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(Object.keys(parseTokensFile(await readFile(target, "utf8")))).toEqual([
      "namespace-default",
      "namespace-keep",
    ]);
  });

  it("updates a .tgz bundle in place, atomically", async () => {
    const dir = await freshDir();
    await writeFile(join(dir, "main.js"), "export function onClientRequest() {}\n");
    await writeFile(join(dir, "bundle.json"), "{}\n");
    const bundle = join(dir, "bundle.tgz");
    execFileSync("tar", ["-czf", bundle, "main.js", "bundle.json"], { cwd: dir });
    await chmod(bundle, 0o640);

    const saved = await saveTokensFile({ path: bundle, token: enhancedToken(), overwrite: false, now: NOW });
    expect(saved).toEqual({
      file: bundle,
      added: ["namespace-default"],
      replaced: [],
      unchanged: [],
      migrated: [],
    });
    expect(execFileSync("tar", ["-tzf", bundle], { encoding: "utf8" }).trim().split("\n")).toEqual([
      "main.js",
      "bundle.json",
      "edgekv_tokens.js",
    ]);
    const text = readBundleTokensFile(await readFile(bundle));
    expect(text === null ? null : parseTokensFile(text)).toEqual({ "namespace-default": MINE });
    expect((await stat(bundle)).mode & 0o777).toBe(0o640);
    expect((await readdir(dir)).sort()).toEqual(["bundle.json", "bundle.tgz", "main.js"]);
  });

  it("leaves the file untouched when it refuses to replace another token's entry", async () => {
    const file = join(await freshDir(), "edgekv_tokens.js");
    const before = renderTokensFile({ "namespace-default": OTHERS });
    await writeFile(file, before);
    const error = await saveError(file);
    expect(error.message).toBe(
      `${file}: namespace-default already holds token "other_token"; pass --overwrite to replace it`,
    );
    expect(await readFile(file, "utf8")).toBe(before);
  });

  it("names the file and the line of a syntax error", async () => {
    const file = join(await freshDir(), "edgekv_tokens.js");
    await writeFile(
      file,
      'var edgekv_access_tokens = {\n  "namespace-a" { }\n}\nexport { edgekv_access_tokens };\n',
    );
    const error = await saveError(file);
    expect(error.message).toBe(`${file}: line 2: expected \`:\` after "namespace-a", found "{"`);
    expect(error.line).toBe(2);
  });

  it.each([
    ["a missing directory", "nope", "no such file or directory; pass an existing directory"],
    ["a missing directory for edgekv_tokens.js", "nope/edgekv_tokens.js", "create the directory first"],
    ["a missing bundle", "nope.tgz", "build the EdgeWorker bundle first"],
    ["a path under a regular file", "plain.txt/edgekv_tokens.js", "plain.txt is not a directory"],
    ["a bundle under a regular file", "plain.txt/bundle.tgz", "a part of the path is not a directory"],
    ["a file of another kind", "plain.txt", "is not a directory, an edgekv_tokens.js file or a .tgz bundle"],
    ["a directory named like a bundle", "dir.tgz", "is not a bundle file"],
  ])("refuses %s, saying what to do", async (_case, relative, message) => {
    const dir = await freshDir();
    await writeFile(join(dir, "plain.txt"), "text\n");
    await mkdir(join(dir, "dir.tgz"));
    const error = await saveError(join(dir, relative));
    expect(error.message).toContain(message);
    expect(error.message).toMatch(
      /pass an existing directory|create the directory|build the EdgeWorker bundle/,
    );
  });

  if (isRoot) {
    console.warn(
      "tokens-file save.test.ts: running as root, so skipping the read-only directory case " +
        "(root ignores permission bits); the not-a-directory cases still cover unwritable paths",
    );
  }
  it.skipIf(isRoot)("refuses a directory it cannot write to", async () => {
    const dir = await freshDir();
    await chmod(dir, 0o500);
    try {
      const error = await saveError(dir);
      expect(error.message).toContain(
        "permission denied; make it readable and writable, or choose another path",
      );
    } finally {
      await chmod(dir, 0o700);
    }
  });
});
