import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.ts";
import { openPostgresStore } from "../../src/storage/postgres/postgres-store.ts";
import type { Store } from "../../src/storage/store.ts";
import { runSql, withPostgres } from "../support/postgres.ts";
import { ISSUED_AT as at, storedToken } from "../support/tokens.ts";

// Two PostgreSQL nodes running the scheduler at once must share the due tokens rather than both
// take the same ones: each batch a node takes is claimed, until refreshed or for a minute.

const TODAY = "2027-01-27";

const dueToken = (index: number) =>
  storedToken({
    uuid: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
    name: `due${index}`,
    nextRefreshOn: "2027-01-01",
    credential: `jwt-${index}`,
  });

withPostgres("the PostgreSQL scheduled-refresh claim suite", (url) => {
  const sql = (text: string, schema?: string) => runSql(url, text, schema);

  describe("scheduled refresh claims: postgres, two nodes on one database", () => {
    let schema = "";
    let a: Store;
    let b: Store;
    beforeEach(async () => {
      schema = `edgekv_test_${randomBytes(6).toString("hex")}`;
      await sql(`CREATE SCHEMA ${schema}`);
      const settings = { url, max: 4, statementTimeoutMs: 5_000, schema, clock: systemClock };
      a = await openPostgresStore(settings);
      b = await openPostgresStore(settings);
      await a.accounts.create({
        id: "acme",
        cpcode: "1234567",
        initializedAt: at,
        dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
        createdAt: at,
      });
      for (let index = 1; index <= 250; index += 1) await a.tokens.insert(dueToken(index), { limit: 500 });
    });
    afterEach(async () => {
      await a?.close();
      await b?.close();
      await sql(`DROP SCHEMA ${schema} CASCADE`);
    });

    it("hands each node different due tokens when both take a batch at once", async () => {
      const [fromA, fromB] = await Promise.all([
        a.tokens.listDueRefreshes({ today: TODAY, limit: 100 }),
        b.tokens.listDueRefreshes({ today: TODAY, limit: 100 }),
      ]);
      expect(fromA).toHaveLength(100);
      expect(fromB).toHaveLength(100);
      const names = new Set([...fromA, ...fromB].map((token) => token.name));
      expect(names.size).toBe(200);
      // What is left goes to whoever asks next; then nothing, while the claims last.
      expect(await b.tokens.listDueRefreshes({ today: TODAY, limit: 100 })).toHaveLength(50);
      expect(await a.tokens.listDueRefreshes({ today: TODAY, limit: 100 })).toEqual([]);
    });

    it("frees a token's claim when it is refreshed, and a claim that lapsed", async () => {
      const [first] = await a.tokens.listDueRefreshes({ today: TODAY, limit: 1 });
      if (first === undefined) throw new Error("no due token");
      const refreshed = await a.tokens.refresh({
        uuid: first.uuid,
        expectedVersion: 1,
        credential: "jwt-new",
        previousCredential: first.credential,
        latestRefreshOn: "2027-01-01",
        // Due again at once (a manual clock moved far ahead): the claim must not hold it back.
        nextRefreshOn: "2027-01-02",
        activationDueAt: at,
        activationOutcome: "COMPLETE",
      });
      expect(refreshed).toBe(true);
      const all = await b.tokens.listDueRefreshes({ today: TODAY, limit: 500 });
      expect(all.map((token) => token.name)).toContain(first.name);
      expect(all).toHaveLength(250);

      // A node that stopped leaves its claims; once they lapse, another node takes the tokens.
      expect(await a.tokens.listDueRefreshes({ today: TODAY, limit: 500 })).toEqual([]);
      await sql("UPDATE tokens SET refresh_claimed_until = 0", schema);
      expect(await a.tokens.listDueRefreshes({ today: TODAY, limit: 500 })).toHaveLength(250);
    });
  });
});
