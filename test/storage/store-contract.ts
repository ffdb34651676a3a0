import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Account, ApiClient, Namespace } from "../../src/accounts/model.ts";
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
      expect((await store.accounts.list()).map((a) => a.id)).toEqual(["acme", "beta"]);
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
    });

    it("refuses a client of an unknown account", async () => {
      await expect(store.clients.create(client("akab-1", "ghost"))).rejects.toThrow();
      expect(await store.clients.get("akab-1")).toBeNull();
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

    it("keeps settings", async () => {
      expect(await store.settings.get("k")).toBeNull();
      await store.settings.set("k", "v1");
      await store.settings.set("k", "v2");
      expect(await store.settings.get("k")).toBe("v2");
    });
  });
}
