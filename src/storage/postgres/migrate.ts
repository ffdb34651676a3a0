import type pg from "pg";
import { SchemaTooNewError } from "../errors.ts";
import type { Migration } from "../sqlite/migrations.ts";
import { POSTGRES_MIGRATIONS } from "./migrations.ts";

/** One lock id for schema changes: nodes that start together apply each migration once. */
const MIGRATION_LOCK = 7_433_001;

export async function applyPostgresMigrations(
  pool: pg.Pool,
  { now, migrations = POSTGRES_MIGRATIONS }: { now: () => Date; migrations?: readonly Migration[] },
): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`);
    const found =
      (await client.query<{ v: number | null }>("SELECT max(version) AS v FROM schema_migrations")).rows[0]
        ?.v ?? 0;
    const latestKnown = migrations.at(-1)?.version ?? 0;
    if (found > latestKnown) throw new SchemaTooNewError(found, latestKnown);
    for (const migration of migrations) {
      if (migration.version <= found) continue;
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [
          migration.version,
          migration.name,
          now().getTime(),
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw error;
      }
      applied.push(migration.version);
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
  return applied;
}
