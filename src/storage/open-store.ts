import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Clock } from "../clock.ts";
import { ensurePrivateFile } from "../fs/private-files.ts";
import { StoreConfigError } from "./errors.ts";
import type { Store } from "./store.ts";

const DEFAULT_POOL = { max: 10, statementTimeoutMs: 5_000 };

/** Where the database lives, for logs and the banner. */
export function describeDatabase({
  database,
  dataDir,
}: {
  database: string | undefined;
  dataDir: string;
}): string {
  if (database === "memory") return "in memory (lost when the process stops)";
  if (database?.startsWith("postgres")) return database.replace(/\/\/[^@/]*@/, "//***@");
  return database ?? join(dataDir, "edgekv.db");
}

/** The SQLite file `--database` names (default `<data-dir>/edgekv.db`); null for memory or PostgreSQL. */
export function sqliteFileOf({
  database,
  dataDir,
}: {
  database: string | undefined;
  dataDir: string;
}): string | null {
  if (database === "memory" || (database !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(database)))
    return null;
  return database ?? join(dataDir, "edgekv.db");
}

/**
 * Opens the store that `--database` names: a `postgres://` URL, `memory`, a SQLite file path, or
 * (default) `<data-dir>/edgekv.db`.
 */
export async function openStore({
  database,
  dataDir,
  clock,
  pool = DEFAULT_POOL,
}: {
  database: string | undefined;
  dataDir: string;
  clock: Clock;
  pool?: { max: number; statementTimeoutMs: number };
}): Promise<Store> {
  // Each adapter is loaded when it is opened: pg and better-sqlite3 cost start-up time, and a
  // process uses one of them.
  if (database === "memory") {
    const { openSqliteStore } = await import("./sqlite/sqlite-store.ts");
    return openSqliteStore({ location: ":memory:", clock });
  }
  if (database !== undefined && /^postgres(ql)?:\/\//.test(database)) {
    const { openPostgresStore } = await import("./postgres/postgres-store.ts");
    return openPostgresStore({ url: database, ...pool, clock });
  }
  if (database !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(database)) {
    throw new StoreConfigError(
      `Unsupported database URL ${database.replace(/\/\/[^@/]*@/, "//***@")}: use postgres://…, a SQLite file path, or memory.`,
    );
  }
  const location = sqliteFileOf({ database, dataDir }) ?? join(dataDir, "edgekv.db");
  mkdirSync(dirname(location), { recursive: true, mode: 0o700 });
  ensurePrivateFile(location);
  const { openSqliteStore } = await import("./sqlite/sqlite-store.ts");
  return openSqliteStore({ location, clock });
}
