import type Database from "better-sqlite3";
import { SchemaTooNewError } from "../errors.ts";
import { type Migration, SQLITE_MIGRATIONS } from "./migrations.ts";

/** Applies every migration newer than the database's version, each in its own transaction. */
export function applySqliteMigrations(
  db: Database.Database,
  { now, migrations = SQLITE_MIGRATIONS }: { now: () => Date; migrations?: readonly Migration[] },
): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const applied: number[] = [];
  const latestKnown = migrations.at(-1)?.version ?? 0;
  const current = () =>
    db.prepare<[], { v: number | null }>("SELECT max(version) AS v FROM schema_migrations").get()?.v ?? 0;
  const found = current();
  if (found > latestKnown) throw new SchemaTooNewError(found, latestKnown);
  const record = db.prepare<[number, string, number]>(
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
  );
  for (const migration of migrations) {
    // BEGIN IMMEDIATE takes the write lock first, so two processes starting at once apply it once.
    db.transaction(() => {
      if (current() >= migration.version) return;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now().getTime());
      applied.push(migration.version);
    }).immediate();
  }
  return applied;
}
