import { createHash } from "node:crypto";
import { basename, join, resolve } from "node:path";

/**
 * The `.edgerc` a server writes into its data directory: `edgerc` for the data directory's own
 * SQLite database, and a file of its own for any other database (`--database memory`, a PostgreSQL
 * URL, another SQLite file), so that a start on one never overwrites the credentials of another.
 */
export function edgercPathFor({
  dataDir,
  database,
}: {
  dataDir: string;
  database: string | undefined;
}): string {
  const home = resolve(dataDir);
  if (database === undefined || resolve(database) === join(home, "edgekv.db")) return join(home, "edgerc");
  if (database === "memory") return join(home, "edgerc-memory");
  const digest = createHash("sha256").update(database).digest("hex").slice(0, 8);
  if (/^postgres(ql)?:\/\//.test(database)) {
    const name =
      database
        .replace(/[?#].*$/, "")
        .split("/")
        .pop() || "postgres";
    return join(home, `edgerc-postgres-${name.replace(/[^A-Za-z0-9_-]/g, "_")}-${digest}`);
  }
  return join(home, `edgerc-${basename(database).replace(/[^A-Za-z0-9_-]/g, "_")}-${digest}`);
}
