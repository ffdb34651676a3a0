// `edgekv --version` and `--help` must start fast (README, npm run bench:cli): they load the CLI's
// own modules and commander, never zod, a database driver, https or the server. The timing is the
// benchmark's to measure; what is loaded is checked here, the same on every machine.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BINARY = join(import.meta.dirname, "..", "..", "bin", "edgekv.js");
const HEAVY = [
  /node_modules\/zod\//,
  /node_modules\/pg\//,
  /better-sqlite3/,
  /^node:https$/,
  /dist\/server\.js$/,
];

describe("what the binary loads to start", () => {
  let dir = "";
  let register = "";
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-loads-"));
    const hooks = join(dir, "hooks.mjs");
    // Every module the program resolves, on stderr.
    await writeFile(
      hooks,
      "export async function resolve(specifier, context, next) {\n" +
        "  const resolved = await next(specifier, context);\n" +
        '  process.stderr.write("LOADED " + resolved.url + "\\n");\n' +
        "  return resolved;\n" +
        "}\n",
    );
    register = join(dir, "register.mjs");
    await writeFile(
      register,
      `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
  });
  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it.each([["--version"], ["--help"], ["token", "--help"]])(
    "edgekv %s loads nothing heavy",
    async (...args) => {
      const { stderr } = await promisify(execFile)(
        process.execPath,
        ["--import", register, BINARY, ...args],
        {
          cwd: dir,
        },
      );
      const loaded = stderr
        .split("\n")
        .filter((line) => line.startsWith("LOADED "))
        .map((line) => line.slice("LOADED ".length));
      expect(loaded.some((url) => url.endsWith("/dist/cli/program.js"))).toBe(true);
      expect(loaded.filter((url) => HEAVY.some((pattern) => pattern.test(url)))).toEqual([]);
    },
  );
});
