import type Database from "better-sqlite3";

const MAX_ENTRIES = 20_000;

/**
 * Reads remembered until the database changes, so exact that no write is ever missed:
 *
 * - `total_changes()` counts every row this connection has written (a few nanoseconds to ask), and
 *   is asked at every read: a write made here is seen by the very next read.
 * - `PRAGMA data_version` changes when another connection (the CLI on the same file, a second
 *   process) commits. Asking costs microseconds, so it is asked once per turn of the event loop:
 *   the requests read in one turn are answered as of that turn's start, and a client who saw
 *   another process commit and then sends a request has its request read in a later turn.
 *
 * Any write anywhere forgets everything: nothing on a database that is mostly read (the data
 * plane, token lists), little on one that is written.
 */
export function createReadCache(db: Database.Database) {
  const totalChanges = db.prepare<[], number>("SELECT total_changes()").pluck();
  const dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
  let changes = -1;
  let version = -1;
  let versionChecked = false;
  const stores: Array<Map<string, unknown>> = [];

  function fresh(): void {
    const nowChanges = totalChanges.get() ?? -1;
    let nowVersion = version;
    if (!versionChecked) {
      nowVersion = dataVersion.get() ?? -1;
      versionChecked = true;
      setImmediate(() => {
        versionChecked = false;
      });
    }
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
