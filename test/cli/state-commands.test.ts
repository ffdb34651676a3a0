import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Command } from "commander";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/program.ts";
import { systemClock } from "../../src/clock.ts";
import { openStore } from "../../src/storage/open-store.ts";
import { at, example } from "../state/seed-support.ts";
import { TEST_HOST } from "../support/harness.ts";
import { POSTGRES_URL } from "../support/postgres.ts";
import { freshDatabase } from "../support/postgres-database.ts";
import { cliHarness, runEdgekv } from "./in-process.ts";

const EXAMPLE_PATH = join(import.meta.dirname, "..", "..", "docs", "examples", "seed.json");
const ADDED_BY_EXAMPLE = "added 1 account, 2 API clients, 6 namespaces, 3 tokens, 6 items";

function helpOf(command: Command): string {
  let text = "";
  command.configureOutput({ writeOut: (chunk) => (text += chunk), writeErr: (chunk) => (text += chunk) });
  command.outputHelp();
  return text;
}

/** Human output against a server starts with the line naming it; what follows is the command's. */
function afterHostLine(stderr: string): string {
  const [first = "", ...rest] = stderr.split(/(?<=\n)/);
  expect(first).toMatch(new RegExp(`^edgekv: using https://${TEST_HOST.replace(/\./g, "\\.")} \\(.+\\)\n$`));
  return rest.join("");
}

describe("edgekv seed, reset, export and import", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-state-cli-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it.each(["seed", "reset", "export", "import"])("edgekv %s --help ends with examples of itself", (name) => {
    const command = buildProgram().commands.find((child) => child.name() === name);
    if (command === undefined) throw new Error(`no command ${name}`);
    const help = helpOf(command);
    expect(help).toMatch(/\nExamples:\n {2}\$ edgekv /);
    expect(help).toContain(`$ edgekv ${name}`);
    expect(help).toContain("stays empty on failure");
  });

  describe("against a running server", () => {
    it("seeds from a file, and a second time adds nothing", async (test) => {
      const { cli, harness } = await cliHarness(test);
      const first = await cli(["seed", EXAMPLE_PATH]);
      expect(afterHostLine(first.stderr)).toBe("");
      expect(first.stdout).toBe(`Seeded ${TEST_HOST} from ${EXAMPLE_PATH}: ${ADDED_BY_EXAMPLE}.\n`);
      const second = await cli(["seed", EXAMPLE_PATH, "--json"]);
      expect(JSON.parse(second.stdout)).toEqual({
        target: TEST_HOST,
        added: { accounts: 0, clients: 0, namespaces: 0, tokens: 0, items: 0 },
      });
      expect(await harness.store.accounts.get("acme")).not.toBeNull();
    });

    it("refuses a wrong file in one line, before sending anything", async (test) => {
      const { cli, sent } = await cliHarness(test);
      const seed = example();
      at(seed, "accounts", 0, "tokens", 0).namespacePermissions = { default: ["x"] };
      const path = await file("wrong.json", JSON.stringify(seed));
      const run = await cli(["seed", path]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `edgekv: ${path}: accounts[0].tokens[0].namespacePermissions.default[0]: must give 1 to 3 of "r", "w", "d", each once\n`,
      );
      expect(run.stdout).toBe("");
      expect(sent).toEqual([]);
    });

    it("says in one line what the server refused", async (test) => {
      const { cli } = await cliHarness(test);
      await cli(["seed", EXAMPLE_PATH]);
      const seed = example();
      at(seed, "accounts", 1).cpcode = "7654321";
      const run = await cli(["seed", await file("other.json", JSON.stringify(seed))]);
      expect(run.code).toBe(1);
      expect(afterHostLine(run.stderr)).toMatch(
        /^edgekv: accounts\[1\]\.cpcode: account acme exists with CP code 1234567 \(EKV_3000, trace id [0-9a-f]{16}\)\n$/,
      );
    });

    it("resets an account or all, and refuses a mistake in one line", async (test) => {
      const { cli, sent } = await cliHarness(test);
      await cli(["seed", EXAMPLE_PATH]);
      const acme = await cli(["reset", "--account", "acme"]);
      expect(acme.stdout).toBe(
        "Reset account acme: deleted 1 token, 3 namespaces, 1 item; it is initialized again, with its default namespace on both networks.\n",
      );
      const all = await cli(["reset", "--all", "--credentials", "--json"]);
      expect(JSON.parse(all.stdout)).toMatchObject({
        accounts: ["acme", "default"],
        deleted: { clients: 2 },
      });
      const count = sent.length;
      const both = await cli(["reset", "--account", "acme", "--all"]);
      expect(both).toMatchObject({
        code: 1,
        stdout: "",
        stderr: "edgekv: Give --account or --all, not both.\n",
      });
      expect(sent).toHaveLength(count);
      const ghost = await cli(["reset", "--account", "ghost"]);
      expect(afterHostLine(ghost.stderr)).toBe("edgekv: There is no account ghost; nothing was reset.\n");
      const reseed = await cli(["reset", "--reseed"]);
      expect(afterHostLine(reseed.stderr)).toMatch(/^edgekv: reseed: this server was started without --seed/);
    });
  });

  describe("on a database", () => {
    const data = (name: string) => ["--data-dir", join(dir, name)];

    it("seeds a SQLite database directly, and a second time adds nothing", async () => {
      const first = await runEdgekv(["seed", EXAMPLE_PATH, ...data("a")]);
      expect(first.stderr).toBe("");
      expect(first.stdout).toBe(
        `Seeded ${join(dir, "a", "edgekv.db")} from ${EXAMPLE_PATH}: added 2 accounts, 2 API clients, 8 namespaces, 3 tokens, 6 items.\n`,
      );
      const second = await runEdgekv(["seed", EXAMPLE_PATH, ...data("a"), "--json"]);
      expect(JSON.parse(second.stdout).added).toEqual({
        accounts: 0,
        clients: 0,
        namespaces: 0,
        tokens: 0,
        items: 0,
      });
    });

    it("refuses both a database and a server", async () => {
      const run = await runEdgekv(["seed", EXAMPLE_PATH, ...data("a"), "--edgerc", join(dir, "edgerc")]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        "edgekv: Give --data-dir/--database (seed the database directly) or --edgerc/--section (seed a running server), not both.\n",
      );
    });

    it("exports and imports the whole state exactly, and refuses a database that holds something", async () => {
      await runEdgekv(["seed", EXAMPLE_PATH, ...data("a")]);
      const out = join(dir, "state.json");
      const exported = await runEdgekv(["export", ...data("a"), "--out", out]);
      expect(exported.stdout).toBe(
        `Exported ${join(dir, "a", "edgekv.db")}: 2 accounts, 2 API clients, 3 tokens, 1 signing key, 8 namespaces, 6 items to ${out}.\n`,
      );
      expect((await stat(out)).mode & 0o777).toBe(0o600);
      // Another database with the same secret key.
      const other = [...data("a"), "--database", join(dir, "other.db")];
      const imported = await runEdgekv(["import", out, ...other]);
      expect(imported.stderr).toBe("");
      expect(imported.stdout).toMatch(
        /^Imported .*state\.json into .*other\.db: 2 accounts, .* sealed with .*secret\.key/,
      );
      const again = await runEdgekv(["export", ...other]);
      expect(again.stdout).toBe(await readFile(out, "utf8"));
      expect(again.stderr).toMatch(/^Exported .*other\.db: 2 accounts/);
      const refused = await runEdgekv(["import", out, ...other]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe(
        `edgekv: ${join(dir, "other.db")} is not empty. Give --replace to replace everything in it with ${out}.\n`,
      );
      expect((await runEdgekv(["import", out, ...other, "--replace", "--json"])).code).toBe(0);
      // The audit log outlives a replaced state, and says what the command line did to it.
      const db = await openStore({
        database: join(dir, "other.db"),
        dataDir: join(dir, "a"),
        clock: systemClock,
      });
      try {
        const events = await db.audit.list({ limit: 10 });
        expect(events.map(({ action, target, status }) => ({ action, target, status }))).toEqual([
          { action: "state.import", target: "state (replaced)", status: null },
          { action: "state.import", target: "state", status: null },
        ]);
        const seeded = await openStore({ database: undefined, dataDir: join(dir, "a"), clock: systemClock });
        const seeds = await seeded.audit
          .list({ actions: ["state.seed"], limit: 10 })
          .finally(() => seeded.close());
        expect(seeds.length).toBeGreaterThanOrEqual(1);
        expect(seeds[0]).toMatchObject({ target: "state", status: null, outcome: "ok", clientToken: null });
      } finally {
        await db.close();
      }
    });

    it("moves secrets to another secret key only in plain text", async () => {
      await runEdgekv(["seed", EXAMPLE_PATH, ...data("a")]);
      const sealed = join(dir, "sealed.json");
      await runEdgekv(["export", ...data("a"), "--out", sealed]);
      const foreign = await runEdgekv(["import", sealed, ...data("b")]);
      expect(foreign.code).toBe(1);
      expect(foreign.stderr).toBe(
        `edgekv: The snapshot's secrets were sealed with another secret key than this database's (${join(dir, "b", "secret.key")}). ` +
          "Import with the key of the database it came from (EDGEKV_SECRET_KEY, or that data directory's secret.key), " +
          "or export it again with --include-secrets.\n",
      );
      const plain = join(dir, "plain.json");
      await runEdgekv(["export", ...data("a"), "--out", plain, "--include-secrets"]);
      expect(await readFile(plain, "utf8")).toContain(
        '"clientSecret": "Y2ktYWRtaW4tc2VjcmV0LW5vdC1mb3ItcHJvZHVjdGlvbg=="',
      );
      expect((await runEdgekv(["import", plain, ...data("b")])).code).toBe(0);
      const back = await runEdgekv(["export", ...data("b"), "--include-secrets"]);
      expect(back.stdout).toBe(await readFile(plain, "utf8"));
    });

    it("refuses in one line: a file that is not a snapshot, a data directory without its key", async () => {
      const wrong = await file("wrong.json", JSON.stringify({ format: "edgekv-server-state", version: 2 }));
      const run = await runEdgekv(["import", wrong, ...data("a")]);
      expect(run.stderr).toBe(
        `edgekv: ${wrong} is not a snapshot this server can import: version: must be 1, the only version this server reads\n`,
      );
      const keyless = await runEdgekv(["export", ...data("nothing")]);
      expect(keyless.stderr).toBe(
        `edgekv: No secret key: ${join(dir, "nothing", "secret.key")} does not exist and EDGEKV_SECRET_KEY is not set. ` +
          "Give the data directory of the server that wrote this database (--data-dir), or its EDGEKV_SECRET_KEY.\n",
      );
      const key = randomBytes(32).toString("base64");
      const withKey = await runEdgekv(["export", ...data("nothing")], { env: { EDGEKV_SECRET_KEY: key } });
      expect(JSON.parse(withKey.stdout)).toMatchObject({ accounts: [], secrets: "sealed" });
    });

    it.skipIf(POSTGRES_URL === undefined)("seeds, exports and imports PostgreSQL like SQLite", async () => {
      const database = await freshDatabase(POSTGRES_URL ?? "");
      try {
        await runEdgekv(["seed", EXAMPLE_PATH, ...data("a")]);
        const out = join(dir, "state.json");
        await runEdgekv(["export", ...data("a"), "--out", out]);
        const postgres = [...data("a"), "--database", database.url];
        const imported = await runEdgekv(["import", out, ...postgres]);
        expect(imported.stdout).toMatch(/^Imported .* into postgres:\/\/\*\*\*@/);
        expect((await runEdgekv(["export", ...postgres])).stdout).toBe(await readFile(out, "utf8"));
        const seeded = await runEdgekv(["seed", EXAMPLE_PATH, ...postgres]);
        expect(seeded.stdout).toMatch(/: nothing to add/);
      } finally {
        await database.drop();
      }
    });
  });
});
