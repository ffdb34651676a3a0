import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { openPostgresStore } from "../../src/storage/postgres/postgres-store.ts";
import type { Store } from "../../src/storage/store.ts";
import { runSql, withPostgres } from "../support/postgres.ts";

// PostgreSQL records the nonces of concurrent requests in one statement: each must still be
// accepted once, across nodes, whatever batch it travels in.

withPostgres("the PostgreSQL nonce batches", (url) => {
  const schema = `edgekv_test_${randomBytes(6).toString("hex")}`;
  const admin = (sql: string) => runSql(url, sql);
  describe("nonce batches on PostgreSQL, two nodes", () => {
    let a: Store;
    let b: Store;
    beforeAll(async () => {
      await admin(`CREATE SCHEMA ${schema}`);
      const settings = { url, max: 3, statementTimeoutMs: 5_000, schema, clock: systemClock };
      a = await openPostgresStore(settings);
      b = await openPostgresStore(settings);
    });
    afterAll(async () => {
      await a.close();
      await b.close();
      await admin(`DROP SCHEMA ${schema} CASCADE`);
    });
    const now = new Date();
    const later = new Date(now.getTime() + 60_000);
    const remember = (store: Store, nonce: string, at = now, expiresAt = later) =>
      store.nonces.remember({ clientToken: "client", nonce, expiresAt, now: at });

    it("accepts many distinct nonces sent at once, each once", async () => {
      const nonces = Array.from({ length: 200 }, (_, index) => `distinct-${index}`);
      expect(await Promise.all(nonces.map((nonce) => remember(a, nonce)))).toEqual(nonces.map(() => true));
      expect(await Promise.all(nonces.map((nonce) => remember(b, nonce)))).toEqual(nonces.map(() => false));
    });

    it("accepts a nonce sent many times at once, to both nodes, exactly once", async () => {
      for (let round = 0; round < 5; round += 1) {
        const nonce = `replayed-${round}`;
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, index) => remember(index % 2 === 0 ? a : b, nonce)),
        );
        expect(answers.filter(Boolean)).toHaveLength(1);
      }
    });

    it("replaces an expired nonce, and keeps refusing a live one", async () => {
      expect(await remember(a, "expiring", now, new Date(now.getTime() + 1_000))).toBe(true);
      expect(await remember(b, "expiring", new Date(now.getTime() + 500))).toBe(false);
      expect(await remember(b, "expiring", new Date(now.getTime() + 2_000))).toBe(true);
    });
  });
});
