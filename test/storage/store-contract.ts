import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Account, ApiClient } from "../../src/accounts/model.ts";
import type { ItemAddress, KvItem, Namespace } from "../../src/kv/model.ts";
import type { Store } from "../../src/storage/store.ts";

/** The behaviour every storage adapter must have; each adapter's test file calls this. */
export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    const at = new Date("2026-11-28T10:00:00.000Z");
    const account = (id: string): Account => ({
      id,
      cpcode: null,
      initializedAt: null,
      dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
      createdAt: at,
    });
    const client = (clientToken: string, accountId = "acme"): ApiClient => ({
      clientToken,
      accessToken: `${clientToken}-access`,
      sealedSecret: "v1:sealed",
      accountId,
      capabilities: ["VIEW_TOKEN", "CREATE_TOKEN"],
      canSwitchAccounts: false,
      enabled: true,
      description: "test client",
      createdAt: at,
    });
    const namespace = (network: Namespace["network"], nsName: string): Namespace => ({
      accountId: "acme",
      network,
      name: nsName,
      retentionInSeconds: 0,
      geoLocation: "US",
      groupId: 0,
      restrictDataAccess: false,
      createdAt: at,
    });

    it("creates an account once and reads it back", async () => {
      expect(await store.accounts.create(account("acme"))).toBe(true);
      expect(await store.accounts.create({ ...account("acme"), cpcode: "999" })).toBe(false);
      expect(await store.accounts.get("acme")).toEqual(account("acme"));
      expect(await store.accounts.get("nobody")).toBeNull();
      await store.accounts.create(account("beta"));
      expect((await store.accounts.get("beta"))?.id).toBe("beta");
    });

    it("changes an account's data access policy", async () => {
      await store.accounts.create(account("acme"));
      const policy = { restrictDataAccess: true, allowNamespacePolicyOverride: false };
      expect(await store.accounts.setDataAccessPolicy("acme", policy)).toBe(true);
      expect((await store.accounts.get("acme"))?.dataAccessPolicy).toEqual(policy);
      expect(await store.accounts.setDataAccessPolicy("nobody", policy)).toBe(false);
    });

    it("initializes an account with its namespaces exactly once", async () => {
      await store.accounts.create(account("acme"));
      const input = {
        accountId: "acme",
        cpcode: "1234567",
        initializedAt: at,
        dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: false },
        namespaces: [namespace("staging", "default"), namespace("production", "default")],
      };
      expect(await store.accounts.initialize(input)).toBe(true);
      expect(await store.accounts.initialize({ ...input, cpcode: "7654321", namespaces: [] })).toBe(false);
      const stored = await store.accounts.get("acme");
      expect(stored?.cpcode).toBe("1234567");
      expect(stored?.initializedAt).toEqual(at);
      expect(stored?.dataAccessPolicy).toEqual({
        restrictDataAccess: true,
        allowNamespacePolicyOverride: false,
      });
      expect(await store.namespaces.list({ accountId: "acme", network: "staging" })).toEqual([
        namespace("staging", "default"),
      ]);
      expect(
        await store.namespaces.get({ accountId: "acme", network: "production", name: "default" }),
      ).toEqual(namespace("production", "default"));
      expect(
        await store.namespaces.get({ accountId: "acme", network: "production", name: "other" }),
      ).toBeNull();
    });

    it("does not initialize an account that does not exist", async () => {
      expect(
        await store.accounts.initialize({
          accountId: "ghost",
          cpcode: "1",
          initializedAt: at,
          dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
          namespaces: [],
        }),
      ).toBe(false);
    });

    it("stores API clients, lists them by account and disables them", async () => {
      await store.accounts.create(account("acme"));
      await store.accounts.create(account("beta"));
      await store.clients.create(client("akab-1"));
      await store.clients.create(client("akab-2", "beta"));
      expect(await store.clients.get("akab-1")).toEqual(client("akab-1"));
      expect(await store.clients.get("akab-x")).toBeNull();
      expect((await store.clients.list()).map((c) => c.clientToken)).toEqual(["akab-1", "akab-2"]);
      expect((await store.clients.list({ accountId: "beta" })).map((c) => c.clientToken)).toEqual(["akab-2"]);
      expect(await store.clients.setEnabled("akab-1", false)).toBe(true);
      expect((await store.clients.get("akab-1"))?.enabled).toBe(false);
      expect(await store.clients.setEnabled("akab-x", false)).toBe(false);
      expect(await store.clients.setCapabilities("akab-2", ["VIEW_TOKEN", "SERVER_ADMIN"])).toBe(true);
      expect((await store.clients.get("akab-2"))?.capabilities).toEqual(["VIEW_TOKEN", "SERVER_ADMIN"]);
      expect(await store.clients.setCapabilities("akab-x", [])).toBe(false);
    });

    it("refuses a client of an unknown account", async () => {
      await expect(store.clients.create(client("akab-1", "ghost"))).rejects.toThrow();
      expect(await store.clients.get("akab-1")).toBeNull();
    });

    it("reports its connection pool's use on PostgreSQL, and none on SQLite", async () => {
      const stats = store.poolStats();
      if (store.dialect === "sqlite") {
        expect(stats).toBeNull();
        return;
      }
      expect(stats).toMatchObject({ waiting: 0, max: expect.any(Number) });
      // Migrations have run, so the pool has opened at least one connection and holds it idle.
      expect(stats?.total).toBeGreaterThanOrEqual(1);
      expect(stats?.idle).toBe(stats?.total);
      // While queries are in flight, each holds a connection or waits for one.
      const busy = Promise.all([1, 2].map(() => store.settings.get("nothing")));
      const during = store.poolStats();
      expect((during?.waiting ?? 0) + (during?.total ?? 0) - (during?.idle ?? 0)).toBeGreaterThan(0);
      await busy;
    });

    it("remembers a nonce until it expires, per client", async () => {
      const expiresAt = new Date(at.getTime() + 60_000);
      const remember = (clientToken: string, nonce: string, now: Date) =>
        store.nonces.remember({ clientToken, nonce, expiresAt: new Date(now.getTime() + 60_000), now });
      expect(await store.nonces.remember({ clientToken: "c1", nonce: "n1", expiresAt, now: at })).toBe(true);
      expect(await remember("c1", "n1", at)).toBe(false);
      expect(await remember("c2", "n1", at)).toBe(true);
      const later = new Date(at.getTime() + 61_000);
      expect(await remember("c1", "n1", later)).toBe(true);
      expect(await remember("c1", "n1", later)).toBe(false);
    });

    it("purges expired nonces", async () => {
      await store.nonces.remember({ clientToken: "c", nonce: "old", expiresAt: at, now: at });
      await store.nonces.remember({
        clientToken: "c",
        nonce: "new",
        expiresAt: new Date(at.getTime() + 10),
        now: at,
      });
      expect(await store.nonces.purgeExpired(new Date(at.getTime() + 1))).toBe(1);
      expect(await store.nonces.purgeExpired(new Date(at.getTime() + 1))).toBe(0);
    });

    describe("namespaces and items", () => {
      const later = (ms: number) => new Date(at.getTime() + ms);
      const key = (network: Namespace["network"], name: string) => ({ accountId: "acme", network, name });
      const address = (group: string, itemKey: string, nsName = "ns1"): ItemAddress => ({
        accountId: "acme",
        network: "production",
        namespace: nsName,
        group,
        key: itemKey,
      });
      const item = (group: string, itemKey: string, overrides: Partial<KvItem> = {}): KvItem => ({
        ...address(group, itemKey),
        value: Buffer.from(`value of ${itemKey}`),
        contentType: "text/plain; charset=utf-8",
        updatedAt: at,
        expiresAt: null,
        ...overrides,
      });
      const scope = { accountId: "acme", network: "production" as const, namespace: "ns1" };
      beforeEach(async () => {
        await store.accounts.create(account("acme"));
        await store.namespaces.createWithinLimit(namespace("production", "ns1"), { limit: 100 });
      });

      it("looks an item up in one read: missing namespace, deletion due, item, expiry checked at now", async () => {
        expect(await store.items.lookup(address("g", "k", "nope"), at)).toEqual({ namespace: "missing" });
        expect(await store.items.lookup(address("g", "k"), at)).toEqual({ namespace: "present", item: null });
        const stored = item("g", "k", { expiresAt: later(60_000) });
        await store.items.put(stored);
        expect(await store.items.lookup(address("g", "k"), at)).toEqual({
          namespace: "present",
          item: stored,
        });
        // The same read later: the item has expired, though nothing was written in between.
        expect(await store.items.lookup(address("g", "k"), later(60_000))).toEqual({
          namespace: "present",
          item: null,
        });
        await store.namespaces.scheduleDelete({ ...key("production", "ns1"), at: later(1_000) });
        expect((await store.items.lookup(address("g", "k"), at)).namespace).toBe("present");
        expect(await store.items.lookup(address("g", "k"), later(1_000))).toEqual({
          namespace: "deletion-due",
        });
      });

      it("creates a namespace within the per-network limit, and reports one that exists", async () => {
        expect(await store.namespaces.createWithinLimit(namespace("production", "ns2"), { limit: 2 })).toBe(
          "created",
        );
        expect(
          await store.namespaces.createWithinLimit(
            { ...namespace("production", "ns2"), retentionInSeconds: 86400 },
            { limit: 2 },
          ),
        ).toBe("exists");
        expect(await store.namespaces.createWithinLimit(namespace("production", "ns3"), { limit: 2 })).toBe(
          "limit",
        );
        expect(await store.namespaces.createWithinLimit(namespace("staging", "ns3"), { limit: 2 })).toBe(
          "created",
        );
        expect((await store.namespaces.get(key("production", "ns2")))?.retentionInSeconds).toBe(0);
        expect(
          (await store.namespaces.list({ accountId: "acme", network: "production" })).map((n) => n.name),
        ).toEqual(["ns1", "ns2"]);
      });

      it("moves a namespace to another permission group", async () => {
        expect(await store.namespaces.setGroup({ ...key("production", "ns1"), groupId: 42 })).toEqual({
          ...namespace("production", "ns1"),
          groupId: 42,
        });
        expect((await store.namespaces.get(key("production", "ns1")))?.groupId).toBe(42);
        expect(await store.namespaces.setGroup({ ...key("production", "nope"), groupId: 42 })).toBeNull();
      });

      it("changes a namespace's retention", async () => {
        expect(
          await store.namespaces.setRetention({ ...key("production", "ns1"), retentionInSeconds: 86400 }),
        ).toEqual({ ...namespace("production", "ns1"), retentionInSeconds: 86400 });
        expect(await store.namespaces.get(key("production", "ns1"))).toMatchObject({
          retentionInSeconds: 86400,
        });
        expect(await store.namespaces.get(key("staging", "ns1"))).toBeNull();
        expect(
          await store.namespaces.setRetention({ ...key("production", "nope"), retentionInSeconds: 86400 }),
        ).toBeNull();
      });

      it("stores an item's exact bytes and content type, and replaces it on a second put", async () => {
        const bytes = Buffer.from([0x7b, 0x22, 0xc3, 0xa9, 0x22, 0x3a, 0x31, 0x7d]);
        const json = item("g", "k", {
          value: bytes,
          contentType: "application/json",
          expiresAt: later(1000),
        });
        expect(await store.items.put(json)).toBe(true);
        expect(await store.items.get(address("g", "k"), at)).toEqual(json);
        const text = item("g", "k", { updatedAt: later(5), value: Buffer.from("plain") });
        expect(await store.items.put(text)).toBe(true);
        expect(await store.items.get(address("g", "k"), at)).toEqual(text);
        expect(await store.items.get(address("g", "other"), at)).toBeNull();
        expect(await store.items.get({ ...address("g", "k"), network: "staging" }, at)).toBeNull();
      });

      it("stores nothing in a namespace that does not exist", async () => {
        expect(await store.items.put(item("g", "k", { namespace: "nope" }))).toBe(false);
        expect(await store.items.get(address("g", "k", "nope"), at)).toBeNull();
      });

      it("hides an item from its expiry on, and a put renews it", async () => {
        await store.items.put(item("g", "k", { expiresAt: later(1000) }));
        expect(await store.items.get(address("g", "k"), later(999))).not.toBeNull();
        expect(await store.items.get(address("g", "k"), later(1000))).toBeNull();
        expect(await store.items.listGroups({ ...scope, now: later(1000), limit: 10 })).toEqual([]);
        expect(await store.items.listKeys({ ...scope, group: "g", now: later(1000), limit: 10 })).toEqual([]);
        expect(await store.items.delete(address("g", "k"), later(1000))).toBe(false);
        await store.items.put(item("g", "k", { updatedAt: later(1000), expiresAt: later(2000) }));
        expect(await store.items.get(address("g", "k"), later(1500))).not.toBeNull();
      });

      it("deletes an item once", async () => {
        await store.items.put(item("g", "k"));
        expect(await store.items.delete(address("g", "k"), at)).toBe(true);
        expect(await store.items.delete(address("g", "k"), at)).toBe(false);
        expect(await store.items.get(address("g", "k"), at)).toBeNull();
      });

      it("lists groups and keys of live items, sorted and limited", async () => {
        for (const [group, itemKey] of [
          ["b", "k2"],
          ["b", "k1"],
          ["a", "k3"],
          ["B", "k0"],
          ["c", "old"],
        ] as const) {
          await store.items.put(item(group, itemKey, itemKey === "old" ? { expiresAt: at } : {}));
        }
        await store.namespaces.createWithinLimit(namespace("production", "ns2"), { limit: 100 });
        await store.items.put(item("z", "k", { namespace: "ns2" }));
        expect(await store.items.listGroups({ ...scope, now: at, limit: 10 })).toEqual(["B", "a", "b"]);
        expect(await store.items.listGroups({ ...scope, now: at, limit: 2 })).toEqual(["B", "a"]);
        expect(await store.items.listKeys({ ...scope, group: "b", now: at, limit: 10 })).toEqual([
          "k1",
          "k2",
        ]);
        expect(await store.items.listKeys({ ...scope, group: "b", now: at, limit: 1 })).toEqual(["k1"]);
        expect(await store.items.listKeys({ ...scope, group: "c", now: at, limit: 10 })).toEqual([]);
      });

      it("purges expired items in batches", async () => {
        await store.items.put(item("g", "a", { expiresAt: later(10) }));
        await store.items.put(item("g", "b", { expiresAt: later(10) }));
        await store.items.put(item("g", "c", { expiresAt: later(20) }));
        await store.items.put(item("g", "d"));
        expect(await store.items.purgeExpired({ now: later(15), limit: 1 })).toBe(1);
        expect(await store.items.purgeExpired({ now: later(15), limit: 10 })).toBe(1);
        expect(await store.items.purgeExpired({ now: later(15), limit: 10 })).toBe(0);
        expect(await store.items.listKeys({ ...scope, group: "g", now: at, limit: 10 })).toEqual(["c", "d"]);
      });

      it("deletes a namespace with its items, and only that one", async () => {
        await store.namespaces.createWithinLimit(namespace("staging", "ns1"), { limit: 100 });
        await store.items.put(item("g", "k"));
        await store.items.put(item("g", "k", { network: "staging" }));
        expect(await store.namespaces.delete(key("production", "ns1"))).toBe(true);
        expect(await store.namespaces.delete(key("production", "ns1"))).toBe(false);
        expect(await store.namespaces.get(key("production", "ns1"))).toBeNull();
        expect(await store.items.get(address("g", "k"), at)).toBeNull();
        expect(await store.items.get({ ...address("g", "k"), network: "staging" }, at)).not.toBeNull();
        // A namespace created again under the same name starts empty.
        await store.namespaces.createWithinLimit(namespace("production", "ns1"), { limit: 100 });
        expect(await store.items.listGroups({ ...scope, now: at, limit: 10 })).toEqual([]);
      });

      it("schedules a namespace deletion once and carries it out when due", async () => {
        await store.items.put(item("g", "k"));
        expect(
          await store.namespaces.scheduleDelete({ ...key("production", "ns1"), at: later(1000) }),
        ).toEqual(later(1000));
        expect(
          await store.namespaces.scheduleDelete({ ...key("production", "ns1"), at: later(5000) }),
        ).toEqual(later(1000));
        expect(
          await store.namespaces.scheduleDelete({ ...key("production", "nope"), at: later(1) }),
        ).toBeNull();
        expect(await store.namespaces.deleteDue({ now: later(999) })).toBe(0);
        expect(await store.namespaces.get(key("production", "ns1"))).not.toBeNull();
        expect(await store.namespaces.deleteDue({ now: later(1000) })).toBe(1);
        expect(await store.namespaces.get(key("production", "ns1"))).toBeNull();
        expect(await store.items.get(address("g", "k"), at)).toBeNull();
        // The schedule went with the namespace: a new one of that name is not deleted.
        await store.namespaces.createWithinLimit(namespace("production", "ns1"), { limit: 100 });
        expect(await store.namespaces.deleteDue({ now: later(2000) })).toBe(0);
        expect(await store.namespaces.get(key("production", "ns1"))).not.toBeNull();
      });

      it("carries out due deletions of one account's network only when scoped", async () => {
        await store.accounts.create(account("beta"));
        await store.namespaces.createWithinLimit(
          { ...namespace("production", "ns1"), accountId: "beta" },
          { limit: 100 },
        );
        await store.namespaces.createWithinLimit(namespace("staging", "ns1"), { limit: 100 });
        for (const target of [
          key("production", "ns1"),
          key("staging", "ns1"),
          { ...key("production", "ns1"), accountId: "beta" },
        ]) {
          await store.namespaces.scheduleDelete({ ...target, at });
        }
        expect(
          await store.namespaces.deleteDue({ now: at, scope: { accountId: "acme", network: "staging" } }),
        ).toBe(1);
        expect(await store.namespaces.get(key("staging", "ns1"))).toBeNull();
        expect(await store.namespaces.get(key("production", "ns1"))).not.toBeNull();
        expect(await store.namespaces.deleteDue({ now: at })).toBe(2);
      });
    });

    it("keeps settings", async () => {
      expect(await store.settings.get("k")).toBeNull();
      await store.settings.set("k", "v1");
      await store.settings.set("k", "v2");
      expect(await store.settings.get("k")).toBe("v2");
    });

    it("stores a setting only once with setIfAbsent, also when asked at once", async () => {
      const results = await Promise.all(
        ["a", "b", "c"].map((value) => store.settings.setIfAbsent("once", value)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await store.settings.get("once");
      expect(["a", "b", "c"][results.indexOf(true)]).toBe(stored);
      expect(await store.settings.setIfAbsent("once", "d")).toBe(false);
    });

    it("deletes a setting", async () => {
      await store.settings.set("k", "v");
      expect(await store.settings.delete("k")).toBe(true);
      expect(await store.settings.get("k")).toBeNull();
      expect(await store.settings.delete("k")).toBe(false);
    });
  });
}
