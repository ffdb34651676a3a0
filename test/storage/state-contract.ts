import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Account } from "../../src/accounts/model.ts";
import { orderState } from "../../src/storage/state-order.ts";
import type { EmptyRequest, StoreState } from "../../src/storage/state-repository.ts";
import type { Store } from "../../src/storage/store.ts";
import { account, client, item, namespace, sampleState, token } from "./state-fixture.ts";

const EMPTY: StoreState = {
  accounts: [],
  clients: [],
  signingKeys: [],
  namespaces: [],
  scheduledDeletions: [],
  items: [],
  tokens: [],
  settings: {},
};

const restoredAt = new Date("2027-01-01T00:00:00.000Z");

/** Emptied accounts come back initialized (keeping a CP code they had) with a `default` on staging. */
const restore = (target: Account) => ({
  cpcode: target.cpcode ?? "7777777",
  initializedAt: target.initializedAt ?? restoredAt,
  namespaces: [namespace("staging", "default", { accountId: target.id, createdAt: restoredAt })],
});

/** The whole state at once (export, import, seed, reset): part of the contract every adapter passes. */
export function stateStoreContract(name: string, open: () => Promise<Store>): void {
  describe(`state store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it("reads an empty database as empty", async () => {
      expect(await store.state.read()).toEqual(EMPTY);
    });

    it("replaces an empty database and reads everything back exactly, in a fixed order", async () => {
      const state = sampleState();
      expect(await store.state.replace(state, { onlyIfEmpty: true })).toBe(true);
      const read = await store.state.read();
      expect(read).toEqual(orderState(state));
      expect(read.accounts.map((row) => row.id)).toEqual(["Beta", "acme", "z.b:c~d"]);
      expect(read.namespaces.filter((row) => row.network === "production").map((row) => row.name)).toEqual([
        "Zeta",
        "alpha",
        "default",
      ]);
      expect(read.items.map((row) => row.value.toString("hex"))).toEqual(
        orderState(state).items.map((row) => row.value.toString("hex")),
      );
    });

    it("sees what it replaced through the other repositories, revoked tokens and schedules included", async () => {
      await store.state.replace(sampleState(), { onlyIfEmpty: true });
      expect((await store.tokens.getByName({ accountId: "acme", name: "same" }))?.credentialVersion).toBe(3);
      expect(await store.clients.get("akab-zz")).toMatchObject({ enabled: false, accountId: "Beta" });
      expect(await store.settings.get("first_run.client_token")).toBe("akab-aa");
      const at = new Date("2026-11-28T12:00:00.000Z");
      const address = { accountId: "acme", network: "production", namespace: "alpha", group: "g" } as const;
      expect((await store.items.get({ ...address, key: "b" }, at))?.value.toString()).toBe(
        "héllo\r\n\u{1F600}\u0000",
      );
      expect(await store.namespaces.deleteDue({ now: new Date("2026-11-28T11:00:00.123Z") })).toBe(1);
    });

    it("refuses to replace a database that holds anything unless told to, and leaves nonces alone", async () => {
      await store.nonces.remember({
        clientToken: "akab-aa",
        nonce: "n",
        expiresAt: new Date(Date.now() + 60_000),
        now: new Date(),
      });
      await store.state.replace(sampleState(), { onlyIfEmpty: true });
      const other: StoreState = { ...EMPTY, accounts: [account("solo")], settings: { only: "this" } };
      expect(await store.state.replace(other, { onlyIfEmpty: true })).toBe(false);
      expect((await store.state.read()).accounts).toHaveLength(3);
      expect(await store.state.replace(other, { onlyIfEmpty: false })).toBe(true);
      expect(await store.state.read()).toEqual(other);
      expect(
        await store.nonces.remember({
          clientToken: "akab-aa",
          nonce: "n",
          expiresAt: new Date(Date.now() + 60_000),
          now: new Date(),
        }),
      ).toBe(false);
      // Only settings make a database non-empty too: the manual clock's time is state.
      await store.state.replace({ ...EMPTY, settings: { "manual_clock.now": "x" } }, { onlyIfEmpty: false });
      expect(await store.state.replace(EMPTY, { onlyIfEmpty: true })).toBe(false);
    });

    it("replaces all or nothing", async () => {
      await store.state.replace(sampleState(), { onlyIfEmpty: true });
      const broken: StoreState = { ...EMPTY, clients: [client("akab-orphan", { accountId: "ghost" })] };
      await expect(store.state.replace(broken, { onlyIfEmpty: false })).rejects.toThrow();
      expect(await store.state.read()).toEqual(orderState(sampleState()));
    });

    describe("adding what is missing", () => {
      const uninitialized = account("fresh", { cpcode: null, initializedAt: null });
      beforeEach(async () => {
        await store.state.replace(sampleState(), { onlyIfEmpty: true });
        await store.accounts.create(uninitialized);
      });
      const additions = {
        accounts: [account("acme", { cpcode: "9999999" }), account("fresh"), account("new")],
        clients: [client("akab-aa", { description: "changed" }), client("akab-new", { accountId: "new" })],
        namespaces: [
          namespace("production", "alpha", { retentionInSeconds: 0 }),
          namespace("staging", "default", { accountId: "new" }),
          namespace("staging", "beta"),
        ],
        tokens: [
          token("same"),
          token("legacy"),
          token("fresh-token", { accountId: "new" }),
          token("Other", { accountId: "acme" }),
        ],
        items: [
          item("alpha", "g", "a", { value: Buffer.from("[]"), contentType: "application/json" }),
          item("beta", "g", "new", { network: "staging" }),
          item("default", "g", "k", { accountId: "new", network: "staging" }),
        ],
      };

      it("inserts only what is absent, initializes an uninitialized account, and writes items", async () => {
        expect(await store.state.addAbsent(additions)).toEqual({
          accounts: 2,
          clients: 1,
          namespaces: 2,
          tokens: 2,
          items: 3,
        });
        expect((await store.accounts.get("acme"))?.cpcode).toBe("1234567");
        expect(await store.accounts.get("fresh")).toEqual(
          account("fresh", { createdAt: uninitialized.createdAt }),
        );
        expect(await store.accounts.get("new")).toEqual(account("new"));
        expect((await store.clients.get("akab-aa"))?.description).toBe("test client");
        expect(
          (await store.namespaces.get({ accountId: "acme", network: "production", name: "alpha" }))
            ?.retentionInSeconds,
        ).toBe(86_400);
        expect((await store.tokens.getByName({ accountId: "acme", name: "same" }))?.credentialVersion).toBe(
          3,
        );
        expect((await store.tokens.getByName({ accountId: "acme", name: "Other" }))?.uuid).toBe(
          additions.tokens[3]?.uuid,
        );
        const written = await store.items.get(
          { accountId: "acme", network: "production", namespace: "alpha", group: "g", key: "a" },
          new Date("2026-11-28T12:00:00Z"),
        );
        expect(written?.value.toString()).toBe("[]");
      });

      it("adds nothing the second time", async () => {
        await store.state.addAbsent(additions);
        const before = await store.state.read();
        expect(await store.state.addAbsent({ ...additions, items: [] })).toEqual({
          accounts: 0,
          clients: 0,
          namespaces: 0,
          tokens: 0,
          items: 0,
        });
        expect(await store.state.read()).toEqual(before);
      });

      it("adds all or nothing", async () => {
        const before = await store.state.read();
        await expect(
          store.state.addAbsent({ ...additions, clients: [client("akab-orphan", { accountId: "ghost" })] }),
        ).rejects.toThrow();
        expect(await store.state.read()).toEqual(before);
      });

      it("skips an item whose namespace does not exist", async () => {
        const none = { accounts: [], clients: [], namespaces: [], tokens: [] };
        expect(await store.state.addAbsent({ ...none, items: [item("missing", "g", "k")] })).toMatchObject({
          items: 0,
        });
      });
    });

    describe("emptying accounts", () => {
      const request = (overrides: Partial<EmptyRequest> = {}): EmptyRequest => ({
        accountId: "acme",
        clients: false,
        keepClients: [],
        restore,
        ...overrides,
      });
      beforeEach(async () => {
        await store.state.replace(sampleState(), { onlyIfEmpty: true });
      });

      it("empties one account's tokens, namespaces and items, keeps its clients and leaves others alone", async () => {
        const before = await store.state.read();
        expect(await store.state.empty(request())).toEqual({
          accounts: ["acme"],
          tokens: 3,
          namespaces: 4,
          items: 4,
          clients: 0,
        });
        const after = await store.state.read();
        const not = (row: { accountId: string }) => row.accountId !== "acme";
        expect(after.tokens).toEqual(before.tokens.filter(not));
        expect(after.items).toEqual(before.items.filter(not));
        expect(after.scheduledDeletions).toEqual([]);
        expect(after.namespaces).toEqual([
          ...before.namespaces.filter(not),
          namespace("staging", "default", { createdAt: restoredAt }),
        ]);
        expect(after.clients).toEqual(before.clients);
        expect(after.accounts).toEqual(before.accounts);
        expect(after.signingKeys).toEqual(before.signingKeys);
        expect(after.settings).toEqual(before.settings);
      });

      it("empties clients too when asked, but those it must keep", async () => {
        await store.clients.create(client("akab-mine"));
        await store.clients.create(client("akab-gone"));
        expect(
          await store.state.empty(request({ clients: true, keepClients: ["akab-mine", "akab-zz"] })),
        ).toMatchObject({ clients: 2 });
        expect((await store.clients.list()).map((row) => row.clientToken)).toEqual(["akab-mine", "akab-zz"]);
      });

      it("empties every account and initializes those that were not", async () => {
        const result = await store.state.empty(request({ accountId: null, clients: true }));
        expect(result).toEqual({
          accounts: ["Beta", "acme", "z.b:c~d"],
          tokens: 4,
          namespaces: 5,
          items: 5,
          clients: 2,
        });
        const after = await store.state.read();
        expect(after.tokens).toEqual([]);
        expect(after.items).toEqual([]);
        expect(after.clients).toEqual([]);
        expect(after.namespaces.map((row) => `${row.accountId}/${row.network}/${row.name}`)).toEqual([
          "Beta/staging/default",
          "acme/staging/default",
          "z.b:c~d/staging/default",
        ]);
        expect(await store.accounts.get("z.b:c~d")).toMatchObject({
          cpcode: "7777777",
          initializedAt: restoredAt,
        });
      });

      it("answers null for an account that does not exist, and changes nothing", async () => {
        const before = await store.state.read();
        expect(await store.state.empty(request({ accountId: "ghost" }))).toBeNull();
        expect(await store.state.read()).toEqual(before);
      });
    });
  });
}
