import { execFileSync } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  readBundleTokensFile,
  renderTokensFile,
  TokensFileError,
  updateBundle,
} from "../../src/tokens-file/index.ts";
import { walkTar } from "../../src/tokens-file/tar-walk.ts";
import { enhancedToken, importTokensModule, legacyToken, OTHER_UUID, UUID } from "./support.ts";

const NOW = new Date("2025-06-07T08:09:10Z");
const LONG_PATH = `deep/${"a".repeat(60)}/${"b".repeat(60)}/file.js`;
const OTHERS = { name: "other_token", reference: OTHER_UUID };

/** Files of a typical bundle, with distinct modes and modification times. */
const FILES: readonly { path: string; content: string | Buffer; mode: number; mtime: number }[] = [
  { path: "main.js", content: 'import { EdgeKV } from "./edgekv.js";\n', mode: 0o644, mtime: 1_700_000_000 },
  { path: "bundle.json", content: '{"edgeworker-version":"1.0"}\n', mode: 0o600, mtime: 1_700_000_100 },
  { path: "edgekv.js", content: "export class EdgeKV {}\n".repeat(100), mode: 0o644, mtime: 1_700_000_200 },
  { path: "utils/x.js", content: Buffer.from([0, 1, 2, 255, 254, 10]), mode: 0o755, mtime: 1_700_000_300 },
  { path: LONG_PATH, content: "export const deep = 1;\n", mode: 0o640, mtime: 1_700_000_400 },
];
const ARGS = ["main.js", "bundle.json", "edgekv.js", "utils", LONG_PATH];

let root: string;
let counter = 0;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "edgekv-tokens-bundle-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function tar(args: readonly string[], cwd: string): string {
  return execFileSync("tar", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, TZ: "UTC", LC_ALL: "C" },
  });
}

/** Lines of `tar -tv`, with and without the tokens file's line. */
function listing(dir: string, bundle: string): { others: string[]; tokens: string[] } {
  const lines = tar(["-tvzf", bundle], dir).trimEnd().split("\n");
  const isTokens = (line: string) => /(^|\s|\.\/)edgekv_tokens\.js$/.test(line);
  return { others: lines.filter((line) => !isTokens(line)), tokens: lines.filter(isTokens) };
}

async function makeBundle({
  format,
  existingTokens,
  dotSlash = false,
}: {
  format: "gnu" | "posix" | "ustar";
  existingTokens?: string;
  dotSlash?: boolean;
}): Promise<{ dir: string; src: string; bundle: string }> {
  counter += 1;
  const dir = join(root, `case-${counter}`);
  const src = join(dir, "src");
  for (const file of FILES) {
    const path = join(src, file.path);
    await mkdir(join(path, ".."), { recursive: true });
    await writeFile(path, file.content);
    await chmod(path, file.mode);
    await utimes(path, file.mtime, file.mtime);
  }
  const args = [...ARGS];
  if (existingTokens !== undefined) {
    const path = join(src, "edgekv_tokens.js");
    await writeFile(path, existingTokens);
    await chmod(path, 0o600);
    await utimes(path, 1_600_000_000, 1_600_000_000);
    args.splice(2, 0, "edgekv_tokens.js");
  }
  const bundle = join(dir, "bundle.tgz");
  tar([`--format=${format}`, "-czf", bundle, ...(dotSlash ? ["."] : args)], src);
  return { dir, src, bundle };
}

async function extract(dir: string, bundle: Buffer, name: string): Promise<string> {
  const out = join(dir, name);
  await mkdir(out);
  await writeFile(join(dir, `${name}.tgz`), bundle);
  tar(["-xzf", join(dir, `${name}.tgz`), "-C", out], dir);
  return out;
}

/** Every member but the tokens file, as raw bytes (extended headers, header, data). */
function rawMembers(tgz: Buffer): Map<string, Buffer> {
  const tarBytes = gunzipSync(tgz);
  return new Map(
    walkTar(tarBytes)
      .members.filter((member) => !/^(\.\/)?edgekv_tokens\.js$/.test(member.name))
      .map((member) => [member.name, tarBytes.subarray(member.start, member.end)]),
  );
}

describe("updateBundle", () => {
  it.each([
    { format: "gnu", existing: false },
    { format: "gnu", existing: true },
    { format: "posix", existing: false },
    { format: "posix", existing: true },
    { format: "ustar", existing: false },
    { format: "ustar", existing: true },
  ] as const)("$format tar, existing edgekv_tokens.js: $existing", async ({ format, existing }) => {
    const existingTokens = existing ? renderTokensFile({ "namespace-keep": OTHERS }) : undefined;
    const { dir, src, bundle } = await makeBundle({ format, ...(existingTokens ? { existingTokens } : {}) });
    const before = listing(dir, bundle);
    const input = await readFile(bundle);

    const result = updateBundle({ bundle: input, token: enhancedToken(), overwrite: false, now: NOW });
    expect(result).toMatchObject({ added: ["namespace-default"], replaced: [], unchanged: [], migrated: [] });

    const updated = join(dir, "updated.tgz");
    await writeFile(updated, result.bundle);
    expect(() => tar(["-tzf", updated], dir)).not.toThrow();
    const after = listing(dir, updated);
    expect(after.others).toEqual(before.others);
    expect(after.others.some((line) => line.endsWith(LONG_PATH))).toBe(true);
    expect(after.tokens).toHaveLength(1);
    expect(after.tokens[0]).toMatch(
      existing
        ? /^-rw------- .* 2025-06-07 08:09 edgekv_tokens\.js$/
        : /^-rw-r--r-- 0\/0 .* 2025-06-07 08:09 edgekv_tokens\.js$/,
    );
    expect(rawMembers(result.bundle)).toEqual(rawMembers(input));

    const out = await extract(dir, result.bundle, "out");
    for (const file of FILES) {
      const [original, extracted] = [join(src, file.path), join(out, file.path)];
      expect(await readFile(extracted)).toEqual(await readFile(original));
      const [a, b] = [await stat(original), await stat(extracted)];
      expect({ mode: b.mode, mtime: b.mtimeMs }).toEqual({ mode: a.mode, mtime: a.mtimeMs });
    }
    const tokens = await importTokensModule(join(out, "edgekv_tokens.js"));
    expect(tokens).toEqual({
      "namespace-default": { name: "my_token", reference: UUID },
      ...(existing ? { "namespace-keep": OTHERS } : {}),
    });
    expect(readBundleTokensFile(result.bundle)).toBe(result.text);
  });

  it("names a new file ./edgekv_tokens.js in a ./-prefixed bundle", async () => {
    const { dir, bundle } = await makeBundle({ format: "gnu", dotSlash: true });
    const before = listing(dir, bundle);
    const result = updateBundle({
      bundle: await readFile(bundle),
      token: legacyToken(),
      overwrite: false,
      now: NOW,
    });
    const updated = join(dir, "updated.tgz");
    await writeFile(updated, result.bundle);
    const after = listing(dir, updated);
    expect(after.others).toEqual(before.others);
    expect(after.tokens).toEqual([expect.stringMatching(/ \.\/edgekv_tokens\.js$/)]);
    const out = await extract(dir, result.bundle, "out");
    const tokens = await importTokensModule(join(out, "edgekv_tokens.js"));
    expect(tokens["namespace-default"]?.value).toBe(legacyToken().credential);
  });

  it("returns the bundle itself when the entries are already there", async () => {
    const { bundle } = await makeBundle({
      format: "gnu",
      existingTokens: renderTokensFile({ "namespace-default": { name: "my_token", reference: UUID } }),
    });
    const input = await readFile(bundle);
    const result = updateBundle({ bundle: input, token: enhancedToken(), overwrite: false, now: NOW });
    expect(result.bundle).toBe(input);
    expect(result).toMatchObject({ added: [], unchanged: ["namespace-default"] });
  });

  it("refuses to replace another token's entry without overwrite, and replaces it with overwrite", async () => {
    const { dir, bundle } = await makeBundle({
      format: "gnu",
      existingTokens: renderTokensFile({ "namespace-default": OTHERS }),
    });
    const input = await readFile(bundle);
    expect(() => updateBundle({ bundle: input, token: enhancedToken(), overwrite: false, now: NOW })).toThrow(
      'namespace-default already holds token "other_token"; pass --overwrite to replace it',
    );
    const result = updateBundle({ bundle: input, token: enhancedToken(), overwrite: true, now: NOW });
    expect(result.replaced).toEqual(["namespace-default"]);
    const out = await extract(dir, result.bundle, "out");
    expect((await importTokensModule(join(out, "edgekv_tokens.js")))["namespace-default"]?.reference).toBe(
      UUID,
    );
  });

  it("reads the tokens file of a bundle, or null without one", async () => {
    const text = renderTokensFile({ "namespace-keep": OTHERS });
    expect(
      readBundleTokensFile(
        await readFile((await makeBundle({ format: "gnu", existingTokens: text })).bundle),
      ),
    ).toBe(text);
    expect(readBundleTokensFile(await readFile((await makeBundle({ format: "gnu" })).bundle))).toBeNull();
  });

  it.each([
    ["not gzip", Buffer.from("plain text, not a bundle"), "not a gzip-compressed tar"],
    ["gzip but not tar", gzipSync(Buffer.alloc(1024, "x")), "a header with a bad checksum at byte 0"],
  ])("rejects a bundle that is %s", (_case, bundle, message) => {
    expect(() => updateBundle({ bundle, token: enhancedToken(), overwrite: false, now: NOW })).toThrow(
      expect.objectContaining({ name: "TokensFileError", message: expect.stringContaining(message) }),
    );
    expect(() => readBundleTokensFile(bundle)).toThrow(TokensFileError);
  });

  it("rejects a truncated bundle", async () => {
    const tarBytes = gunzipSync(await readFile((await makeBundle({ format: "gnu" })).bundle));
    const truncated = gzipSync(tarBytes.subarray(0, 512 + 100));
    expect(() =>
      updateBundle({ bundle: truncated, token: enhancedToken(), overwrite: false, now: NOW }),
    ).toThrow("the bundle is not a readable tar archive: a member whose data runs past the end at byte 0");
  });

  it("rejects a bundle holding edgekv_tokens.js twice", async () => {
    const { dir, src } = await makeBundle({ format: "gnu", existingTokens: renderTokensFile({}) });
    const bundle = join(dir, "twice.tgz");
    tar(["-czf", bundle, "main.js", "edgekv_tokens.js", "./edgekv_tokens.js"], src);
    const input = await readFile(bundle);
    expect(() => updateBundle({ bundle: input, token: enhancedToken(), overwrite: false, now: NOW })).toThrow(
      "the bundle holds edgekv_tokens.js 2 times; keep one and retry",
    );
  });
});
