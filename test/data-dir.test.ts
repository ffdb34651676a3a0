import { describe, expect, it } from "vitest";
import { edgercPathFor } from "../src/data-dir.ts";

// The issue: `--database memory` (and a PostgreSQL start) overwrote the .edgerc written for the
// SQLite database in the same data directory.
describe("the .edgerc a start writes", () => {
  it.each([
    ["the data directory's own database", undefined, /\/data\/edgerc$/],
    ["the same database named explicitly", "/srv/data/edgekv.db", /\/data\/edgerc$/],
    ["memory", "memory", /\/data\/edgerc-memory$/],
    ["PostgreSQL", "postgres://u:p@db.internal:5432/edgekv", /\/data\/edgerc-postgres-edgekv-[0-9a-f]{8}$/],
    ["another SQLite file", "/tmp/other.db", /\/data\/edgerc-other_db-[0-9a-f]{8}$/],
  ])("for %s is its own", (_case, database, path) => {
    expect(edgercPathFor({ dataDir: "/srv/data", database })).toMatch(path);
  });

  it("differs between two PostgreSQL databases and never is the SQLite one's", () => {
    const a = edgercPathFor({ dataDir: "/srv/data", database: "postgres://h/one" });
    const b = edgercPathFor({ dataDir: "/srv/data", database: "postgres://h/two" });
    expect(new Set([a, b, edgercPathFor({ dataDir: "/srv/data", database: undefined })]).size).toBe(3);
  });
});
