import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Store } from "../../src/storage/store.ts";
import type { SigningKey, Token } from "../../src/tokens/model.ts";
import { ISSUED_AT, storedToken } from "../support/tokens.ts";

/** Token and signing-key storage: part of the contract every adapter passes. */
export function tokenStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`token store contract: ${name}`, () => {
    let store: Store;
    const at = ISSUED_AT;
    beforeEach(async () => {
      store = await open();
      for (const id of ["acme", "beta"]) {
        await store.accounts.create({
          id,
          cpcode: "1234567",
          initializedAt: at,
          dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
          createdAt: at,
        });
      }
    });
    afterEach(async () => {
      await store.close();
    });

    let counter = 0;
    const token = (tokenName: string, overrides: Partial<Token> = {}): Token => {
      counter += 1;
      return storedToken({
        uuid: `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
        name: tokenName,
        namespacePermissions: { zeta: ["r"], default: ["r", "w", "d"] },
        edgeWorkerIds: ["1234", "5678"],
        credential: `jwt-${counter}`,
        activationDueAt: new Date(at.getTime() + 5000),
        ...overrides,
      });
    };

    it("inserts a token and reads it back whole, keeping the namespace order", async () => {
      const stored = token("alpha", {
        kind: "legacy",
        expiry: "2027-03-01",
        expiresAt: new Date("2027-03-01T23:59:59Z"),
        edgeWorkerIds: null,
      });
      expect(await store.tokens.insert(stored, { limit: 10 })).toBe("inserted");
      expect(await store.tokens.getByName({ accountId: "acme", name: "alpha" })).toEqual(stored);
      expect(await store.tokens.getByUuid(stored.uuid)).toEqual(stored);
      expect(Object.keys((await store.tokens.getByUuid(stored.uuid))?.namespacePermissions ?? {})).toEqual([
        "zeta",
        "default",
      ]);
      expect(await store.tokens.getByName({ accountId: "beta", name: "alpha" })).toBeNull();
      expect(await store.tokens.getByUuid("00000000-0000-4000-8000-999999999999")).toBeNull();
    });

    it("refuses a live name twice (case-sensitive) and enforces the limit, also when asked at once", async () => {
      const results = await Promise.all(
        [1, 2, 3].map(() => store.tokens.insert(token("same"), { limit: 10 })),
      );
      expect(results.sort()).toEqual(["duplicate", "duplicate", "inserted"]);
      expect(await store.tokens.insert(token("SAME"), { limit: 10 })).toBe("inserted");
      expect(await store.tokens.insert(token("other", { accountId: "beta" }), { limit: 1 })).toBe("inserted");
      expect(await store.tokens.insert(token("third"), { limit: 2 })).toBe("limit");
      const racing = await Promise.all(
        ["x", "y", "z"].map((n) => store.tokens.insert(token(n), { limit: 4 })),
      );
      expect(racing.filter((r) => r === "inserted")).toHaveLength(2);
      // The count stops at the limit: an account far past a lowered limit is still refused, and one
      // below a raised limit is not.
      expect(await store.tokens.insert(token("lowered"), { limit: 1 })).toBe("limit");
      expect(await store.tokens.insert(token("raised"), { limit: 5 })).toBe("inserted");
      expect(await store.tokens.insert(token("full"), { limit: 5 })).toBe("limit");
    });

    it("lists live tokens by name in byte order, without revoked ones", async () => {
      for (const n of ["b", "a", "B", "c"]) await store.tokens.insert(token(n), { limit: 10 });
      await store.tokens.revoke({ accountId: "acme", name: "c", at });
      const listed = await store.tokens.list("acme");
      expect(listed.map((t) => t.name)).toEqual(["B", "a", "b"]);
      expect(listed[0]).toEqual({
        uuid: expect.any(String),
        name: "B",
        kind: "enhanced",
        allowOnProduction: true,
        expiry: "9999-12-31",
        expiresAt: null,
        issuedAt: at,
        latestRefreshOn: null,
        nextRefreshOn: "2027-01-27",
        activationDueAt: new Date(at.getTime() + 5000),
        activationOutcome: "COMPLETE",
      });
      expect(await store.tokens.list("beta")).toEqual([]);
    });

    it("revokes once, frees the name, and keeps the revoked token readable by uuid", async () => {
      const first = token("t");
      await store.tokens.insert(first, { limit: 10 });
      const revoked = await store.tokens.revoke({ accountId: "acme", name: "t", at });
      expect(revoked).toEqual({ ...first, revokedAt: at });
      expect(await store.tokens.revoke({ accountId: "acme", name: "t", at })).toBeNull();
      expect((await store.tokens.getByUuid(first.uuid))?.revokedAt).toEqual(at);
      expect(await store.tokens.insert(token("t"), { limit: 10 })).toBe("inserted");
    });

    it("refreshes only the version it read, and never a revoked token", async () => {
      const t = token("t");
      await store.tokens.insert(t, { limit: 10 });
      const refresh = {
        uuid: t.uuid,
        expectedVersion: 1,
        credential: "jwt-new",
        previousCredential: t.credential,
        latestRefreshOn: "2027-01-27",
        nextRefreshOn: "2027-03-28",
        activationDueAt: new Date("2027-01-27T00:00:05Z"),
        activationOutcome: "ERROR" as const,
      };
      const raced = await Promise.all([store.tokens.refresh(refresh), store.tokens.refresh(refresh)]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(await store.tokens.getByUuid(t.uuid)).toEqual({
        ...t,
        credential: "jwt-new",
        previousCredential: t.credential,
        latestRefreshOn: "2027-01-27",
        nextRefreshOn: "2027-03-28",
        activationDueAt: refresh.activationDueAt,
        activationOutcome: "ERROR",
        credentialVersion: 2,
      });
      await store.tokens.revoke({ accountId: "acme", name: "t", at });
      expect(await store.tokens.refresh({ ...refresh, expectedVersion: 2 })).toBe(false);
    });

    it("applies many refreshes sent at once, each at its own version (a scheduler batch)", async () => {
      const tokens = Array.from({ length: 30 }, (_, index) => token(`batch${index}`));
      for (const t of tokens) await store.tokens.insert(t, { limit: 100 });
      const answers = await Promise.all(
        tokens.map((t, index) =>
          store.tokens.refresh({
            uuid: t.uuid,
            // Every third one was read at a version it no longer has.
            expectedVersion: index % 3 === 0 ? 7 : 1,
            credential: `jwt-new-${index}`,
            previousCredential: t.credential,
            latestRefreshOn: "2027-01-27",
            nextRefreshOn: "2027-03-28",
            activationDueAt: at,
            activationOutcome: "COMPLETE",
          }),
        ),
      );
      expect(answers).toEqual(tokens.map((_, index) => index % 3 !== 0));
      for (const [index, t] of tokens.entries()) {
        const stored = await store.tokens.getByUuid(t.uuid);
        expect(stored?.credential).toBe(index % 3 === 0 ? t.credential : `jwt-new-${index}`);
        expect(stored?.credentialVersion).toBe(index % 3 === 0 ? 1 : 2);
      }
    });

    it("finds enhanced live tokens due for refresh, oldest first", async () => {
      await store.tokens.insert(token("late", { nextRefreshOn: "2027-02-01" }), { limit: 10 });
      await store.tokens.insert(token("due", { nextRefreshOn: "2027-01-27" }), { limit: 10 });
      await store.tokens.insert(token("early", { nextRefreshOn: "2027-01-01" }), { limit: 10 });
      await store.tokens.insert(token("legacy", { kind: "legacy", nextRefreshOn: null, expiresAt: at }), {
        limit: 10,
      });
      await store.tokens.insert(token("gone", { nextRefreshOn: "2027-01-01" }), { limit: 10 });
      await store.tokens.revoke({ accountId: "acme", name: "gone", at });
      expect(
        (await store.tokens.listDueRefreshes({ today: "2027-01-27", limit: 1 })).map((t) => t.name),
      ).toEqual(["early"]);
      // PostgreSQL claims what it hands out, SQLite does not: "early" may come again, nothing else.
      const due = (await store.tokens.listDueRefreshes({ today: "2027-01-27", limit: 10 })).map(
        (t) => t.name,
      );
      expect(due).toContain("due");
      expect(due.filter((name) => name !== "early")).toEqual(["due"]);
    });

    it("purges long-expired and long-revoked tokens only", async () => {
      await store.tokens.insert(
        token("expired", { kind: "legacy", expiresAt: new Date("2026-10-01T00:00:00Z") }),
        { limit: 10 },
      );
      await store.tokens.insert(
        token("recent", { kind: "legacy", expiresAt: new Date("2026-11-20T00:00:00Z") }),
        { limit: 10 },
      );
      await store.tokens.insert(token("revoked"), { limit: 10 });
      await store.tokens.revoke({ accountId: "acme", name: "revoked", at: new Date("2026-10-01T00:00:00Z") });
      await store.tokens.insert(token("live"), { limit: 10 });
      const cutoff = new Date("2026-10-29T00:00:00Z");
      expect(await store.tokens.purge({ expiredBefore: cutoff, revokedBefore: cutoff })).toBe(2);
      expect((await store.tokens.list("acme")).map((t) => t.name)).toEqual(["live", "recent"]);
    });

    it("counts live tokens of every account by kind and activation status at a given time", async () => {
      const second = 1000;
      const due = (ms: number) => new Date(at.getTime() + ms);
      await store.tokens.insert(token("pending", { activationDueAt: due(10 * second) }), { limit: 10 });
      await store.tokens.insert(token("done"), { limit: 10 });
      await store.tokens.insert(token("failed", { activationOutcome: "ERROR" }), { limit: 10 });
      await store.tokens.insert(token("other", { accountId: "beta" }), { limit: 10 });
      const legacy = { kind: "legacy", expiresAt: due(20 * second) } as const;
      await store.tokens.insert(token("old", legacy), { limit: 10 });
      await store.tokens.insert(token("gone"), { limit: 10 });
      await store.tokens.revoke({ accountId: "acme", name: "gone", at });
      const sorted = async (now: Date) =>
        (await store.tokens.countByStatus(now)).sort((a, b) =>
          `${a.kind} ${a.status}`.localeCompare(`${b.kind} ${b.status}`),
        );
      // At `at` every activation is still due; five seconds on, all but one are done.
      expect(await sorted(at)).toEqual([
        { kind: "enhanced", status: "IN_PROGRESS", count: 4 },
        { kind: "legacy", status: "IN_PROGRESS", count: 1 },
      ]);
      expect(await sorted(due(5 * second))).toEqual([
        { kind: "enhanced", status: "COMPLETE", count: 2 },
        { kind: "enhanced", status: "ERROR", count: 1 },
        { kind: "enhanced", status: "IN_PROGRESS", count: 1 },
        { kind: "legacy", status: "COMPLETE", count: 1 },
      ]);
      // A legacy token counts until the instant it expires, not after.
      expect((await sorted(due(20 * second))).filter((row) => row.kind === "legacy")).toHaveLength(1);
      expect((await sorted(due(20 * second + 1))).filter((row) => row.kind === "legacy")).toEqual([]);
    });

    const key = (kid: string, createdAt: Date, publishUntil: Date): SigningKey => ({
      kid,
      algorithm: "ES256",
      sealedPrivateJwk: `sealed-${kid}`,
      publicJwk: { kty: "EC", crv: "P-256", x: "x", y: "y", kid, alg: "ES256", use: "sig" },
      createdAt,
      publishUntil,
    });

    it("rotates signing keys once per period and publishes them until their time is up", async () => {
      const day = 86_400_000;
      const first = key("k1", at, new Date(at.getTime() + 100 * day));
      expect(await store.signingKeys.insertUnlessRotated(first, new Date(at.getTime() - 30 * day))).toBe(
        true,
      );
      const later = new Date(at.getTime() + 10 * day);
      expect(
        await store.signingKeys.insertUnlessRotated(
          key("k2", later, later),
          new Date(later.getTime() - 30 * day),
        ),
      ).toBe(false);
      const next = new Date(at.getTime() + 31 * day);
      const attempts = await Promise.all(
        ["k3", "k4"].map((kid) =>
          store.signingKeys.insertUnlessRotated(
            key(kid, next, new Date(next.getTime() + 100 * day)),
            new Date(next.getTime() - 30 * day),
          ),
        ),
      );
      expect(attempts.filter(Boolean)).toHaveLength(1);
      const published = await store.signingKeys.listPublished(next);
      expect(published.map((k) => k.kid)).toEqual([attempts[0] ? "k3" : "k4", "k1"]);
      expect(published[1]).toEqual(first);
      expect(
        (await store.signingKeys.listPublished(new Date(at.getTime() + 101 * day))).map((k) => k.kid),
      ).not.toContain("k1");
    });
  });
}
