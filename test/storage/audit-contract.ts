import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditAction, AuditEvent, NewAuditEvent } from "../../src/audit/audit-event.ts";
import type { Store } from "../../src/storage/store.ts";

/** The audit log's storage: part of the contract every adapter passes. */
export function auditStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`audit store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const at = new Date("2026-11-28T10:00:00.000Z");
    const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);
    const event = (action: AuditAction, overrides: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
      at,
      action,
      target: "tokens/t",
      status: 200,
      outcome: "ok",
      accountId: "acme",
      clientToken: "akab-client",
      tokenUuid: null,
      traceId: "0123456789abcdef",
      errorCode: null,
      via: "api",
      ...overrides,
    });
    const ids = (events: readonly AuditEvent[]) => events.map((stored) => stored.id);
    const recordAll = async (events: readonly NewAuditEvent[]) => {
      const stored: AuditEvent[] = [];
      for (const one of events) stored.push(await store.audit.record(one));
      return stored;
    };

    it("records an event whole and gives each a higher id than the last", async () => {
      const first = await store.audit.record(event("token.create"));
      const second = await store.audit.record(
        event("item.write", {
          target: "production/namespaces/ns/groups/g/items/k",
          clientToken: null,
          tokenUuid: "00000000-0000-4000-8000-000000000001",
        }),
      );
      expect(first).toEqual({ id: first.id, ...event("token.create") });
      expect(second.id).toBeGreaterThan(first.id);
      expect(await store.audit.list({ limit: 10 })).toEqual([second, first]);
    });

    it("keeps an event that names no account, client, status or trace (a refused authentication, the command line)", async () => {
      const refused = event("auth.refused", {
        target: "POST /edgekv/v1/tokens",
        status: 401,
        outcome: "refused",
        accountId: null,
        clientToken: null,
        errorCode: "auth_signature",
      });
      const offline = event("credentials.create", { status: null, traceId: null });
      await recordAll([refused, offline]);
      const [second, first] = await store.audit.list({ limit: 10 });
      expect(first).toMatchObject(refused);
      expect(second).toMatchObject(offline);
    });

    it("lists newest first, at most `limit`, even when recorded with equal or older times", async () => {
      const stored = await recordAll([
        event("token.create", { at: later(5) }),
        event("token.refresh", { at: later(5) }),
        event("token.revoke", { at: later(1) }),
      ]);
      expect(ids(await store.audit.list({ limit: 10 }))).toEqual(ids(stored).reverse());
      expect(ids(await store.audit.list({ limit: 2 }))).toEqual(ids(stored).reverse().slice(0, 2));
    });

    it("filters by time (since inclusive, until exclusive) and by actions", async () => {
      const stored = await recordAll([
        event("token.create", { at: later(0) }),
        event("namespace.create", { at: later(10) }),
        event("token.revoke", { at: later(20) }),
        event("auth.refused", { at: later(30) }),
      ]);
      const [create, namespace, revoke, refused] = ids(stored);
      expect(ids(await store.audit.list({ since: later(10), limit: 10 }))).toEqual([
        refused,
        revoke,
        namespace,
      ]);
      expect(ids(await store.audit.list({ until: later(20), limit: 10 }))).toEqual([namespace, create]);
      expect(ids(await store.audit.list({ since: later(10), until: later(30), limit: 10 }))).toEqual([
        revoke,
        namespace,
      ]);
      expect(
        ids(
          await store.audit.list({ actions: ["token.create", "token.revoke", "token.refresh"], limit: 10 }),
        ),
      ).toEqual([revoke, create]);
      expect(ids(await store.audit.list({ actions: ["auth.refused"], since: later(31), limit: 10 }))).toEqual(
        [],
      );
      expect(await store.audit.list({ actions: [], limit: 10 })).toEqual([]);
    });

    it("pages through events of equal times without gaps or repeats, and reads only newer ones", async () => {
      const stored = await recordAll(
        Array.from({ length: 23 }, (_, index) =>
          event(index % 3 === 0 ? "item.delete" : "item.write", { target: `k${index}` }),
        ),
      );
      const seen: number[] = [];
      let beforeId: number | undefined;
      for (;;) {
        const page = await store.audit.list({ beforeId, limit: 5 });
        seen.push(...ids(page));
        const last = page.at(-1);
        if (page.length < 5 || last === undefined) break;
        beforeId = last.id;
      }
      expect(seen).toEqual(ids(stored).reverse());

      const writes = stored.filter((one) => one.action === "item.write");
      const pagedWrites: number[] = [];
      beforeId = undefined;
      for (;;) {
        const page = await store.audit.list({ actions: ["item.write"], beforeId, limit: 4 });
        pagedWrites.push(...ids(page));
        const last = page.at(-1);
        if (last === undefined) break;
        beforeId = last.id;
      }
      expect(pagedWrites).toEqual(ids(writes).reverse());

      const idAt = (index: number) => stored[index]?.id ?? 0;
      expect(ids(await store.audit.list({ afterId: idAt(10), limit: 100 }))).toEqual(
        ids(stored.slice(11)).reverse(),
      );
      expect(ids(await store.audit.list({ afterId: idAt(10), beforeId: idAt(13), limit: 100 }))).toEqual([
        idAt(12),
        idAt(11),
      ]);
    });

    it("gives distinct ids to events recorded at once", async () => {
      const stored = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          store.audit.record(event("item.write", { target: `k${index}` })),
        ),
      );
      expect(new Set(ids(stored)).size).toBe(20);
      expect(await store.audit.list({ limit: 100 })).toHaveLength(20);
    });

    it("prunes events recorded before a time, oldest first and at most `limit` at a time", async () => {
      const stored = await recordAll([
        event("token.create", { at: later(3) }),
        event("token.create", { at: later(1) }),
        event("token.create", { at: later(2) }),
        event("token.create", { at: later(10) }),
      ]);
      expect(await store.audit.prune({ before: later(0), limit: 100 })).toBe(0);
      expect(await store.audit.prune({ before: later(10), limit: 2 })).toBe(2);
      expect(ids(await store.audit.list({ limit: 10 }))).toEqual([stored[3]?.id, stored[0]?.id]);
      expect(await store.audit.prune({ before: later(10), limit: 100 })).toBe(1);
      expect(await store.audit.prune({ before: later(10), limit: 100 })).toBe(0);
      expect(ids(await store.audit.list({ limit: 10 }))).toEqual([stored[3]?.id]);
    });

    it("never reuses the id of a pruned event", async () => {
      const first = await store.audit.record(event("token.create"));
      expect(await store.audit.prune({ before: later(1), limit: 100 })).toBe(1);
      const next = await store.audit.record(event("token.create"));
      expect(next.id).toBeGreaterThan(first.id);
    });
  });
}
