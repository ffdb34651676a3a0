import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import type { KvItem, Namespace } from "../../src/kv/model.ts";
import { DatabaseUnreachableError, SchemaTooNewError } from "../../src/storage/errors.ts";
import { applyPostgresMigrations } from "../../src/storage/postgres/migrate.ts";
import { POSTGRES_MIGRATIONS } from "../../src/storage/postgres/migrations.ts";
import { createPool } from "../../src/storage/postgres/pool.ts";
import { openPostgresStore } from "../../src/storage/postgres/postgres-store.ts";
import type { Store } from "../../src/storage/store.ts";
import { POSTGRES_URL, withPostgres } from "../support/postgres.ts";
import { auditStoreContract } from "./audit-contract.ts";
import { stateStoreContract } from "./state-contract.ts";
import { storeContract } from "./store-contract.ts";
import { tokenStoreContract } from "./token-contract.ts";

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

withPostgres("the PostgreSQL store contract suite", (url) => {
  const openFresh = async () =>
    openPostgresStore({
      url,
      max: 4,
      statementTimeoutMs: 5_000,
      schema: await freshSchema(url),
      clock: systemClock,
    });
  storeContract("postgres", openFresh);
  tokenStoreContract("postgres", openFresh);
  auditStoreContract("postgres", openFresh);
  stateStoreContract("postgres", openFresh);

  describe("postgres with several nodes on one database", () => {
    const at = new Date("2026-11-28T10:00:00.000Z");
    const namespace = (name: string): Namespace => ({
      accountId: "acme",
      network: "production",
      name,
      retentionInSeconds: 0,
      geoLocation: "US",
      groupId: 0,
      restrictDataAccess: false,
      createdAt: at,
    });
    const item = (nsName: string, itemKey: string, expiresAt: Date | null = null): KvItem => ({
      accountId: "acme",
      network: "production",
      namespace: nsName,
      group: "g",
      key: itemKey,
      value: Buffer.from(itemKey),
      contentType: "text/plain; charset=utf-8",
      updatedAt: at,
      expiresAt,
    });
    let nodes: Store[] = [];
    beforeEach(async () => {
      const schema = await freshSchema(url);
      const open = () =>
        openPostgresStore({ url, max: 4, statementTimeoutMs: 5_000, schema, clock: systemClock });
      nodes = await Promise.all([open(), open(), open(), open()]);
      await nodes[0]?.accounts.create({
        id: "acme",
        cpcode: null,
        initializedAt: null,
        dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
        createdAt: at,
      });
    });
    afterEach(async () => {
      await Promise.all(nodes.map((node) => node.close()));
    });
    const node = (index: number): Store => nodes[index % nodes.length] as Store;

    it("create namespaces within the limit, counted once across nodes", async () => {
      const names = Array.from({ length: 12 }, (_, index) => `ns${index}`);
      const results = await Promise.all(
        names.map((name, index) => node(index).namespaces.createWithinLimit(namespace(name), { limit: 5 })),
      );
      expect(results.filter((result) => result === "created")).toHaveLength(5);
      expect(results.filter((result) => result === "limit")).toHaveLength(7);
      expect(await node(0).namespaces.list({ accountId: "acme", network: "production" })).toHaveLength(5);
    });

    it("store nothing, and do not fail, when a namespace is deleted while items are put or its deletion is scheduled", async () => {
      const key = { accountId: "acme", network: "production" as const, name: "ns" };
      for (let round = 0; round < 20; round += 1) {
        await node(0).namespaces.createWithinLimit(namespace("ns"), { limit: 100 });
        const puts = Array.from({ length: 8 }, (_, index) => node(index).items.put(item("ns", `k${index}`)));
        const schedules = [0, 1, 2, 3].map((index) => node(index).namespaces.scheduleDelete({ ...key, at }));
        const [deleted, ...outcomes] = await Promise.all([
          node(1).namespaces.delete(key),
          ...schedules,
          ...puts,
        ]);
        expect(deleted).toBe(true);
        for (const scheduled of outcomes.slice(0, schedules.length)) {
          expect(
            scheduled === null || (scheduled instanceof Date && scheduled.getTime() === at.getTime()),
          ).toBe(true);
        }
        await node(3).namespaces.createWithinLimit(namespace("ns"), { limit: 100 });
        expect(
          await node(3).items.listKeys({
            accountId: "acme",
            network: "production",
            namespace: "ns",
            group: "g",
            now: at,
            limit: 100,
          }),
        ).toEqual([]);
        expect(await node(3).namespaces.deleteDue({ now: at })).toBe(0);
        await node(3).namespaces.delete(key);
      }
    });

    it("purge each expired item once, in disjoint batches", async () => {
      await node(0).namespaces.createWithinLimit(namespace("ns"), { limit: 100 });
      const expired = new Date(at.getTime() - 1);
      for (let index = 0; index < 200; index += 1) {
        await node(index).items.put(item("ns", `k${index}`, index % 4 === 0 ? null : expired));
      }
      const purged = await Promise.all(
        [0, 1, 2, 3, 0, 1, 2, 3].map((index) => node(index).items.purgeExpired({ now: at, limit: 20 })),
      );
      const rest = await node(0).items.purgeExpired({ now: at, limit: 1000 });
      expect(purged.reduce((sum, count) => sum + count, 0) + rest).toBe(150);
      const keys = await node(0).items.listKeys({
        accountId: "acme",
        network: "production",
        namespace: "ns",
        group: "g",
        now: new Date(0),
        limit: 1000,
      });
      expect(keys).toHaveLength(50);
    });
  });

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
});

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
