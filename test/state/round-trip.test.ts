import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sendSigned } from "../../src/cli/edgegrid-client.ts";
import { parseServeConfig } from "../../src/config.ts";
import { createLogger, type RunningServer, startServer } from "../../src/server.ts";
import { injectTransport, runEdgekv } from "../cli/in-process.ts";
import { POSTGRES_URL, warnPostgresSkipped } from "../support/postgres.ts";
import { freshDatabase } from "../support/postgres-database.ts";
import { clientOf, example } from "./seed-support.ts";

const EXAMPLE_PATH = join(import.meta.dirname, "..", "..", "docs", "examples", "seed.json");
const logger = createLogger({ logLevel: "silent", logFormat: "json" });

/** Signed calls as the example's admin client, and the data plane, on a server in this process. */
function clientFor(server: RunningServer) {
  const transport = injectTransport(server.app);
  return {
    admin: async (method: "GET" | "POST" | "PUT" | "DELETE", target: string, body?: unknown) => {
      const response = await sendSigned(
        {
          credentials: { host: `127.0.0.1:${server.port}`, ...clientOf(example(), 0) },
          method,
          target,
          ...(body === undefined
            ? {}
            : { body: Buffer.from(JSON.stringify(body)), headers: { "Content-Type": "application/json" } }),
        },
        transport,
      );
      expect(response.status, response.body).toBeLessThan(300);
      return JSON.parse(response.body || "null") as Record<string, unknown>;
    },
    edge: (method: "GET" | "PUT", url: string, reference: string, payload?: string) =>
      server.app.inject({
        method,
        url,
        headers: { "x-akamai-edgedb-auth-ref": reference },
        ...(payload === undefined ? {} : { payload }),
      }),
  };
}

// A seeded SQLite server's state, exported, imported into PostgreSQL (another SQLite file when no
// PostgreSQL is available), served by a server on it and exported again: the same file.
describe("the whole state from a seeded SQLite server to another database and back", () => {
  if (POSTGRES_URL === undefined)
    warnPostgresSkipped("the state round trip through PostgreSQL (SQLite stands in)");
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-round-trip-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("exports the same file after the import, a server on it, and an import back into SQLite", async () => {
    const dataDir = join(dir, "data");
    const start = (settings: Record<string, string>) =>
      startServer(parseServeConfig({ port: "0", dataDir, tls: "false", ...settings }), { logger });

    const first = await start({ seed: EXAMPLE_PATH });
    let reference = "";
    try {
      const { admin, edge } = clientFor(first);
      reference = String((await admin("GET", "/edgekv/v1/tokens/ci-token")).uuid);
      const item = "/net/production/api/v1/namespaces/catalog/groups/live/items/k";
      expect((await edge("PUT", item, reference, "written at the edge")).statusCode).toBe(200);
      await admin("POST", "/edgekv/v1/tokens", {
        name: "short-lived",
        allowOnStaging: true,
        namespacePermissions: { default: ["r"] },
      });
      await admin("DELETE", "/edgekv/v1/tokens/short-lived");
      await admin("DELETE", "/edgekv/v1/networks/staging/namespaces/sessions");
    } finally {
      await first.close();
    }
    const exported = join(dir, "first.json");
    expect((await runEdgekv(["export", "--data-dir", dataDir, "--out", exported])).code).toBe(0);
    const text = await readFile(exported, "utf8");
    const snapshot = JSON.parse(text) as Record<string, unknown[]>;
    expect(snapshot.scheduledDeletions).toHaveLength(1);
    expect(snapshot.tokens).toHaveLength(4);

    const postgres = POSTGRES_URL === undefined ? null : await freshDatabase(POSTGRES_URL);
    const database = postgres?.url ?? join(dir, "second.db");
    try {
      const imported = await runEdgekv(["import", exported, "--data-dir", dataDir, "--database", database]);
      expect(imported.stderr).toBe("");
      const second = await start({ database });
      try {
        const { admin, edge } = clientFor(second);
        expect((await admin("GET", "/edgekv/v1/tokens/ci-token")).uuid).toBe(reference);
        const read = await edge(
          "GET",
          "/net/production/api/v1/namespaces/catalog/groups/live/items/k",
          reference,
        );
        expect(read.body).toBe("written at the edge");
      } finally {
        await second.close();
      }
      const again = await runEdgekv(["export", "--data-dir", dataDir, "--database", database]);
      expect(again.stdout).toBe(text);
      const back = join(dir, "back.db");
      const returned = join(dir, "returned.json");
      await writeFile(returned, again.stdout);
      await runEdgekv(["import", returned, "--data-dir", dataDir, "--database", back]);
      expect((await runEdgekv(["export", "--data-dir", dataDir, "--database", back])).stdout).toBe(text);
    } finally {
      await postgres?.drop();
    }
  });
});
