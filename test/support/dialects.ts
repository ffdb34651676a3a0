import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import type { Clock } from "../../src/clock.ts";
import { openPostgresStore } from "../../src/storage/postgres/postgres-store.ts";
import { openSqliteStore } from "../../src/storage/sqlite/sqlite-store.ts";
import type { Store } from "../../src/storage/store.ts";
import { POSTGRES_URL, runSql, warnPostgresSkipped } from "./postgres.ts";

export type Dialect = "sqlite" | "postgres";

/** Every dialect this run can test: SQLite always, PostgreSQL when EDGEKV_TEST_DATABASE_URL is set. */
export const DIALECTS: readonly Dialect[] = POSTGRES_URL === undefined ? ["sqlite"] : ["sqlite", "postgres"];

let current: Dialect = "sqlite";

/** The dialect the harness opens stores in right now. */
export const currentDialect = (): Dialect => current;

/**
 * Runs a suite once per dialect, as kysely runs every suite against every database: the harness
 * created inside opens its store in that dialect.
 */
export function describeEachDialect(name: string, suite: (dialect: Dialect) => void): void {
  if (POSTGRES_URL === undefined) warnPostgresSkipped(`${name} on PostgreSQL`);
  describe.each(DIALECTS)(`${name} [%s]`, (dialect) => {
    beforeAll(() => {
      current = dialect;
    });
    afterAll(() => {
      current = "sqlite";
    });
    suite(dialect);
  });
}

/** A fresh, empty store in the current dialect, and how to throw it away. */
export async function openTestStore(clock: Clock): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (current === "sqlite" || POSTGRES_URL === undefined) {
    const store = openSqliteStore({ location: ":memory:", clock });
    return { store, dispose: () => store.close() };
  }
  const url = POSTGRES_URL;
  const schema = `edgekv_test_${randomBytes(6).toString("hex")}`;
  const admin = (sql: string) => runSql(url, sql);
  await admin(`CREATE SCHEMA ${schema}`);
  const store = await openPostgresStore({ url, max: 4, statementTimeoutMs: 5_000, schema, clock });
  return {
    store,
    dispose: async () => {
      await store.close();
      await admin(`DROP SCHEMA ${schema} CASCADE`);
    },
  };
}
