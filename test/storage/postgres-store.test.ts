import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { applyPostgresMigrations } from "../../src/storage/postgres/migrate.ts";
import { POSTGRES_MIGRATIONS } from "../../src/storage/postgres/migrations.ts";
import { createPool } from "../../src/storage/postgres/pool.ts";
import { DatabaseUnreachableError, openPostgresStore } from "../../src/storage/postgres/postgres-store.ts";
import { SchemaTooNewError } from "../../src/storage/sqlite/migrate.ts";
import { POSTGRES_URL, warnPostgresSkipped } from "../support/postgres.ts";
import { storeContract } from "./store-contract.ts";

const schemas: string[] = [];
async function freshSchema(url: string): Promise<string> {
  const schema = `edgekv_test_${randomBytes(6).toString("hex")}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.end();
  schemas.push(schema);
  return schema;
}

afterAll(async () => {
  if (POSTGRES_URL === undefined || schemas.length === 0) return;
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

if (POSTGRES_URL === undefined) {
  warnPostgresSkipped("the PostgreSQL store contract suite");
  describe.skip("store contract: postgres (EDGEKV_TEST_DATABASE_URL is not set)", () => {
    it("is skipped", () => undefined);
  });
} else {
  const url = POSTGRES_URL;
  storeContract("postgres", async () =>
    openPostgresStore({
      url,
      max: 4,
      statementTimeoutMs: 5_000,
      schema: await freshSchema(url),
      clock: systemClock,
    }),
  );

  describe("postgres migrations", () => {
    it("are applied exactly once when several nodes start at once", async () => {
      const schema = await freshSchema(url);
      const pools = [1, 2, 3, 4].map(() => createPool({ url, max: 2, statementTimeoutMs: 5_000, schema }));
      try {
        const applied = await Promise.all(
          pools.map((pool) => applyPostgresMigrations(pool, { now: () => new Date() })),
        );
        expect(applied.flat().sort()).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
        const { rows } = await (pools[0] as pg.Pool).query(
          "SELECT version FROM schema_migrations ORDER BY version",
        );
        expect(rows.map((row: { version: number }) => row.version)).toEqual(
          POSTGRES_MIGRATIONS.map((m) => m.version),
        );
      } finally {
        await Promise.all(pools.map((pool) => pool.end()));
      }
    });

    it("refuse a schema newer than the code", async () => {
      const schema = await freshSchema(url);
      const pool = createPool({ url, max: 1, statementTimeoutMs: 5_000, schema });
      try {
        await applyPostgresMigrations(pool, { now: () => new Date() });
        await pool.query(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 0)",
        );
        await expect(applyPostgresMigrations(pool, { now: () => new Date() })).rejects.toThrow(
          SchemaTooNewError,
        );
      } finally {
        await pool.end();
      }
    });
  });
}

describe("an unreachable PostgreSQL", () => {
  it("fails at start with a clear error", async () => {
    await expect(
      openPostgresStore({
        url: "postgres://nobody:secret@127.0.0.1:1/none",
        max: 1,
        statementTimeoutMs: 1000,
        clock: systemClock,
      }),
    ).rejects.toThrow(DatabaseUnreachableError);
    await expect(
      openPostgresStore({
        url: "postgres://nobody:secret@127.0.0.1:1/none",
        max: 1,
        statementTimeoutMs: 1000,
        clock: systemClock,
      }),
    ).rejects.toThrow(/Cannot reach the PostgreSQL database at postgres:\/\/\*\*\*@127\.0\.0\.1:1\/none/);
  });
});
