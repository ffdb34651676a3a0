import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { SchemaTooNewError } from "../../src/storage/errors.ts";
import { applySqliteMigrations } from "../../src/storage/sqlite/migrate.ts";
import { SQLITE_MIGRATIONS } from "../../src/storage/sqlite/migrations.ts";
import { openSqliteStore } from "../../src/storage/sqlite/sqlite-store.ts";
import { PURGE_TOKENS } from "../../src/storage/sqlite/token-tables.ts";
import { auditStoreContract } from "./audit-contract.ts";
import { stateStoreContract } from "./state-contract.ts";
import { storeContract } from "./store-contract.ts";
import { tokenStoreContract } from "./token-contract.ts";

const dir = mkdtempSync(join(tmpdir(), "edgekv-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

storeContract("sqlite memory", async () => openSqliteStore({ location: ":memory:", clock: systemClock }));
tokenStoreContract("sqlite memory", async () =>
  openSqliteStore({ location: ":memory:", clock: systemClock }),
);
auditStoreContract("sqlite memory", async () =>
  openSqliteStore({ location: ":memory:", clock: systemClock }),
);
stateStoreContract("sqlite memory", async () =>
  openSqliteStore({ location: ":memory:", clock: systemClock }),
);
const openFile = async () => {
  counter += 1;
  return openSqliteStore({ location: join(dir, `contract-${counter}.db`), clock: systemClock });
};
storeContract("sqlite file", openFile);
tokenStoreContract("sqlite file", openFile);
auditStoreContract("sqlite file", openFile);
stateStoreContract("sqlite file", openFile);

describe("sqlite query plans", () => {
  it("purges expired and revoked tokens through their indexes, never reading every token", async () => {
    const location = join(dir, "plans.db");
    await (await openSqliteStore({ location, clock: systemClock })).close();
    const db = new Database(location);
    try {
      const plan = db
        .prepare<[number, number], { detail: string }>(`EXPLAIN QUERY PLAN ${PURGE_TOKENS}`)
        .all(0, 0)
        .map((row) => row.detail);
      expect(plan.join("\n")).toMatch(/USING INDEX tokens_expiring/);
      expect(plan.join("\n")).toMatch(/USING INDEX tokens_revoked/);
      expect(plan.some((detail) => /^SCAN tokens\b/.test(detail))).toBe(false);
    } finally {
      db.close();
    }
  });
});

describe("sqlite migrations", () => {
  it("applies each migration once and keeps data across reopening", async () => {
    const location = join(dir, "reopen.db");
    const first = openSqliteStore({ location, clock: systemClock });
    await first.settings.set("kept", "yes");
    await first.close();
    const second = openSqliteStore({ location, clock: systemClock });
    expect(await second.settings.get("kept")).toBe("yes");
    await second.close();
    const db = new Database(location);
    expect(applySqliteMigrations(db, { now: () => new Date() })).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM schema_migrations").get()).toEqual({
      n: SQLITE_MIGRATIONS.length,
    });
    db.close();
  });

  it("refuses a database whose schema is newer than the code", () => {
    const db = new Database(":memory:");
    applySqliteMigrations(db, { now: () => new Date() });
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)").run();
    expect(() => applySqliteMigrations(db, { now: () => new Date() })).toThrow(SchemaTooNewError);
    db.close();
  });
});
