import type Database from "better-sqlite3";

const MAX_ENTRIES = 20_000;

/**
 * Reads remembered until the database changes. `total_changes()` counts every row this connection
 * has written; `PRAGMA data_version` changes when another connection (the CLI on the same file, a
 * second process) commits. While neither moves, a read gives what it gave before, so the cache is
 * exact: no write, here or elsewhere, is ever missed. Both are checked at each read (a few
 * microseconds); any write anywhere forgets everything, which costs nothing on a database that is
 * mostly read (the data plane, token lists) and little on one that is written.
 */
export function createReadCache(db: Database.Database) {
  const markers = db
    .prepare<[], [number, number]>("SELECT total_changes(), data_version FROM pragma_data_version()")
    .raw(true);
  let changes = -1;
  let version = -1;
  const stores: Array<Map<string, unknown>> = [];

  function fresh(): void {
    const [nowChanges, nowVersion] = markers.get() ?? [-1, -1];
    if (nowChanges === changes && nowVersion === version) return;
    changes = nowChanges;
    version = nowVersion;
    for (const entries of stores) entries.clear();
  }

  /** A cache of one kind of read; `load` runs when the database changed or the key is new. */
  return function memo<V>(): (key: string, load: () => V) => V {
    const entries = new Map<string, V>();
    stores.push(entries as Map<string, unknown>);
    return (key, load) => {
      fresh();
      if (entries.has(key)) return entries.get(key) as V;
      const value = load();
      if (entries.size >= MAX_ENTRIES) entries.clear();
      entries.set(key, value);
      return value;
    };
  };
}

export type ReadCache = ReturnType<typeof createReadCache>;
