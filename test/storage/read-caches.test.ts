import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import type { Namespace } from "../../src/kv/model.ts";
import { CACHE_TTL_MS } from "../../src/storage/postgres/change-feed.ts";
import { openPostgresStore } from "../../src/storage/postgres/postgres-store.ts";
import { openSqliteStore } from "../../src/storage/sqlite/sqlite-store.ts";
import type { Store } from "../../src/storage/store.ts";
import type { Token } from "../../src/tokens/model.ts";
import { runSql, withPostgres } from "../support/postgres.ts";
import { ISSUED_AT as at, storedToken } from "../support/tokens.ts";

// The caches in front of the hottest reads (tokens, token lists, data-plane item reads) must never
// hide a change made elsewhere: on SQLite by another connection to the same file (the CLI), at
// once; on PostgreSQL by another node, within a second (in practice, a notification later).

const TOKEN = storedToken({ name: "cached" });
const NAMESPACE: Namespace = {
  accountId: "acme",
  network: "production",
  name: "default",
  retentionInSeconds: 0,
  geoLocation: "US",
  groupId: 0,
  restrictDataAccess: false,
  createdAt: at,
};
const ADDRESS = {
  accountId: "acme",
  network: "production" as const,
  namespace: "default",
  group: "g",
  key: "k",
};

/** Polls `read` until `done` holds; returns how long that took (fails after 1 s). */
async function within(read: () => Promise<unknown>, done: (value: unknown) => boolean): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (done(await read())) return performance.now() - started;
    if (performance.now() - started > 1_000) throw new Error("the change was not seen within 1 s");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function readCacheSuite(name: string, open: () => Promise<{ a: Store; b: Store; dispose(): Promise<void> }>) {
  describe(`read caches see another writer's changes: ${name}`, () => {
    let a: Store;
    let b: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ a, b, dispose } = await open());
      await b.accounts.create({
        id: "acme",
        cpcode: "1234567",
        initializedAt: at,
        dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
        createdAt: at,
      });
      await b.namespaces.createWithinLimit(NAMESPACE, { limit: 10 });
      await b.tokens.insert(TOKEN, { limit: 10 });
    });
    afterEach(async () => {
      await dispose();
    });

    it("a token revoked by the other writer", async () => {
      for (let read = 0; read < 3; read += 1)
        expect((await a.tokens.getByUuid(TOKEN.uuid))?.revokedAt).toBeNull();
      expect(await a.tokens.getByName({ accountId: "acme", name: "cached" })).not.toBeNull();
      await b.tokens.revoke({ accountId: "acme", name: "cached", at });
      const seenAfter = await within(
        () => a.tokens.getByUuid(TOKEN.uuid),
        (token) => (token as Token | null)?.revokedAt?.getTime() === at.getTime(),
      );
      // Not merely the cache's time limit running out: the other writer's change was announced.
      expect(seenAfter).toBeLessThan(CACHE_TTL_MS * 0.8);
      await within(
        () => a.tokens.getByName({ accountId: "acme", name: "cached" }),
        (token) => token === null,
      );
      await within(
        () => a.tokens.list("acme"),
        (list) => (list as unknown[]).length === 0,
      );
    });

    it("a token created, and a token refreshed, by the other writer", async () => {
      expect(await a.tokens.list("acme")).toHaveLength(1);
      await b.tokens.insert(
        { ...TOKEN, uuid: "00000000-0000-4000-8000-000000000002", name: "second" },
        { limit: 10 },
      );
      await within(
        () => a.tokens.list("acme"),
        (list) => (list as unknown[]).length === 2,
      );
      expect((await a.tokens.getByUuid(TOKEN.uuid))?.credential).toBe("jwt-1");
      await b.tokens.refresh({
        uuid: TOKEN.uuid,
        expectedVersion: 1,
        credential: "jwt-2",
        previousCredential: "jwt-1",
        latestRefreshOn: "2026-11-28",
        nextRefreshOn: "2027-01-27",
        activationDueAt: at,
        activationOutcome: "COMPLETE",
      });
      await within(
        () => a.tokens.getByUuid(TOKEN.uuid),
        (token) => (token as Token | null)?.credential === "jwt-2",
      );
    });

    it("an item written, rewritten and deleted by the other writer, and its namespace deleted", async () => {
      expect(await a.items.lookup(ADDRESS, at)).toEqual({ namespace: "present", item: null });
      const item = {
        ...ADDRESS,
        value: Buffer.from("one"),
        contentType: "text/plain; charset=utf-8" as const,
        updatedAt: at,
        expiresAt: null,
      };
      await b.items.put(item);
      const valueIn = (found: unknown) => {
        const lookup = found as Awaited<ReturnType<Store["items"]["lookup"]>>;
        return lookup.namespace === "present" ? (lookup.item?.value.toString() ?? null) : lookup.namespace;
      };
      await within(
        () => a.items.lookup(ADDRESS, at),
        (found) => valueIn(found) === "one",
      );
      await b.items.put({ ...item, value: Buffer.from("two") });
      await within(
        () => a.items.lookup(ADDRESS, at),
        (found) => valueIn(found) === "two",
      );
      await b.items.delete(ADDRESS, at);
      await within(
        () => a.items.lookup(ADDRESS, at),
        (found) => valueIn(found) === null,
      );
      await b.namespaces.delete({ accountId: "acme", network: "production", name: "default" });
      await within(
        () => a.items.lookup(ADDRESS, at),
        (found) => valueIn(found) === "missing",
      );
    });
  });
}

readCacheSuite("sqlite, two connections to one file", async () => {
  const dir = await mkdtemp(join(tmpdir(), "edgekv-read-cache-"));
  const location = join(dir, "edgekv.db");
  const a = openSqliteStore({ location, clock: systemClock });
  const b = openSqliteStore({ location, clock: systemClock });
  return {
    a,
    b,
    dispose: async () => {
      await a.close();
      await b.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

withPostgres("the PostgreSQL read-cache suite", (url) => {
  const admin = (sql: string) => runSql(url, sql);
  readCacheSuite("postgres, two nodes on one database", async () => {
    const schema = `edgekv_test_${randomBytes(6).toString("hex")}`;
    await admin(`CREATE SCHEMA ${schema}`);
    const settings = { url, max: 2, statementTimeoutMs: 5_000, schema, clock: systemClock };
    const a = await openPostgresStore(settings);
    const b = await openPostgresStore(settings);
    return {
      a,
      b,
      dispose: async () => {
        await a.close();
        await b.close();
        await admin(`DROP SCHEMA ${schema} CASCADE`);
      },
    };
  });
});
