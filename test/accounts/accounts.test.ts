import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { type AccountService, createAccountService } from "../../src/accounts/account-service.ts";
import { requireCapability } from "../../src/accounts/capabilities.ts";
import { generateCredentials } from "../../src/accounts/credentials.ts";
import { ALL_CAPABILITIES, CAPABILITIES } from "../../src/accounts/model.ts";
import { createSecretBox, SecretKeyError } from "../../src/accounts/secret-box.ts";
import { loadSecretKey } from "../../src/accounts/secret-key-file.ts";
import { createManualClock } from "../../src/clock.ts";
import { ApiError } from "../../src/errors.ts";
import { ensureFirstRunClient } from "../../src/first-run.ts";
import { createInitializer, type Initializer } from "../../src/kv/initialize.ts";
import { openSqliteStore } from "../../src/storage/sqlite/sqlite-store.ts";
import type { Store } from "../../src/storage/store.ts";

const dir = mkdtempSync(join(tmpdir(), "edgekv-accounts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("secret box", () => {
  const box = createSecretBox(randomBytes(32));
  it("round-trips and never stores the plaintext", () => {
    const sealed = box.seal("my-client-secret=");
    expect(sealed).not.toContain("my-client-secret");
    expect(box.open(sealed)).toBe("my-client-secret=");
    expect(box.seal("same")).not.toBe(box.seal("same"));
  });
  it("refuses another key and a tampered value", () => {
    const sealed = box.seal("secret");
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow(/another key/);
    const tampered = `v1:${Buffer.from(Buffer.from(sealed.slice(3), "base64").map((b, i) => (i === 30 ? b ^ 1 : b))).toString("base64")}`;
    expect(() => box.open(tampered)).toThrow(SecretKeyError);
    expect(() => box.open("v0:abc")).toThrow(/unknown format/);
  });
  it("requires a 32-byte key", () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe("secret key file", () => {
  it("is created once with mode 0600 and reused", async () => {
    const dataDir = join(dir, "keys");
    const first = await loadSecretKey({ dataDir, fromEnv: undefined });
    expect(first.created).toBe(true);
    expect(statSync(join(dataDir, "secret.key")).mode & 0o777).toBe(0o600);
    const second = await loadSecretKey({ dataDir, fromEnv: undefined });
    expect(second).toMatchObject({ created: false });
    expect(second.key.equals(first.key)).toBe(true);
  });
  it("gives concurrent first starts the same key", async () => {
    const dataDir = join(dir, "race");
    const keys = await Promise.all([1, 2, 3, 4].map(() => loadSecretKey({ dataDir, fromEnv: undefined })));
    expect(new Set(keys.map((k) => k.key.toString("hex"))).size).toBe(1);
    expect(readFileSync(join(dataDir, "secret.key"), "utf8").trim()).toBe(keys[0]?.key.toString("base64"));
  });
  it("takes EDGEKV_SECRET_KEY, and says how to make one when it is wrong", async () => {
    const key = randomBytes(32);
    const fromEnv = await loadSecretKey({ dataDir: join(dir, "unused"), fromEnv: key.toString("base64") });
    expect(fromEnv.key.equals(key)).toBe(true);
    expect(fromEnv.source).toBe("EDGEKV_SECRET_KEY");
    await expect(loadSecretKey({ dataDir: dir, fromEnv: "c2hvcnQ=" })).rejects.toThrow(/randomBytes\(32\)/);
  });
});

describe("credentials", () => {
  it("look like Akamai's", () => {
    const credentials = generateCredentials(randomBytes);
    expect(credentials.clientToken).toMatch(/^akab-[a-z2-7]{16}-[a-z2-7]{16}$/);
    expect(credentials.accessToken).toMatch(/^akab-[a-z2-7]{16}-[a-z2-7]{16}$/);
    expect(credentials.clientSecret).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(credentials.accessToken).not.toBe(credentials.clientToken);
  });
});

describe("account service", () => {
  let store: Store;
  let accounts: AccountService;
  const clock = createManualClock(new Date("2026-11-28T12:00:00Z"));
  let initializer: Initializer;
  beforeEach(() => {
    store = openSqliteStore({ location: ":memory:", clock });
    accounts = createAccountService({
      store,
      secretBox: createSecretBox(randomBytes(32)),
      clock,
      randomBytes,
    });
    initializer = createInitializer({ store, accounts, clock, randomBytes });
  });

  it("creates and initializes an account with a CP code and the default namespace on both networks", async () => {
    const { account, created } = await initializer.ensureAccount("acme");
    expect(created).toBe(true);
    expect(account.cpcode).toMatch(/^\d{7}$/);
    expect(account.initializedAt).toEqual(clock.now());
    for (const network of ["staging", "production"] as const) {
      expect((await store.namespaces.list({ accountId: "acme", network })).map((n) => n.name)).toEqual([
        "default",
      ]);
    }
    const again = await initializer.ensureAccount("acme");
    expect(again).toEqual({ account, created: false });
  });

  it.each(["", "-x", "a b", "x".repeat(65), "ü"])("refuses the account id %j", async (id) => {
    await expect(accounts.ensureAccount(id)).rejects.toMatchObject({ code: "validation" });
  });

  it("stores the client secret sealed and opens it", async () => {
    await accounts.ensureAccount("acme");
    const { client, clientSecret } = await accounts.createClient({
      accountId: "acme",
      capabilities: ["VIEW_TOKEN", "VIEW_TOKEN"],
      canSwitchAccounts: false,
      description: "",
    });
    const stored = await store.clients.get(client.clientToken);
    expect(stored?.sealedSecret).not.toContain(clientSecret);
    expect(stored?.capabilities).toEqual(["VIEW_TOKEN"]);
    expect(stored && accounts.openSecret(stored)).toBe(clientSecret);
  });

  it("resolves accountSwitchKey only for clients allowed to switch", async () => {
    await accounts.ensureAccount("acme");
    await accounts.ensureAccount("beta");
    const make = (canSwitchAccounts: boolean) =>
      accounts.createClient({ accountId: "acme", capabilities: [], canSwitchAccounts, description: "" });
    const plain = (await make(false)).client;
    const admin = (await make(true)).client;
    expect((await accounts.actingAccount(plain, undefined)).id).toBe("acme");
    expect((await accounts.actingAccount(plain, "acme")).id).toBe("acme");
    await expect(accounts.actingAccount(plain, "beta")).rejects.toMatchObject({ code: "forbidden" });
    expect((await accounts.actingAccount(admin, "beta")).id).toBe("beta");
    await expect(accounts.actingAccount(admin, "ghost")).rejects.toThrow(
      /credentials create --account ghost/,
    );
  });

  it("first run creates one all-capability client and finds it again", async () => {
    const first = await ensureFirstRunClient({ store, accounts, initializer });
    expect(first.created).toBe(true);
    expect(first.client.capabilities).toEqual(ALL_CAPABILITIES);
    expect(first.client.accountId).toBe("default");
    const second = await ensureFirstRunClient({ store, accounts, initializer });
    expect(second).toMatchObject({ created: false, clientSecret: first.clientSecret });
    expect(second.client.clientToken).toBe(first.client.clientToken);
    await store.clients.setEnabled(first.client.clientToken, false);
    const third = await ensureFirstRunClient({ store, accounts, initializer });
    expect(third.created).toBe(true);
    expect(third.client.clientToken).not.toBe(first.client.clientToken);
  });

  it("gives a first-run client from before SERVER_ADMIN existed every capability on the next start", async () => {
    const first = await ensureFirstRunClient({ store, accounts, initializer });
    await store.clients.setCapabilities(first.client.clientToken, CAPABILITIES);
    const again = await ensureFirstRunClient({ store, accounts, initializer });
    expect(again.created).toBe(false);
    expect(again.client.capabilities).toEqual(ALL_CAPABILITIES);
    expect((await store.clients.get(first.client.clientToken))?.capabilities).toEqual(ALL_CAPABILITIES);
  });

  it("requireCapability names the missing capability", async () => {
    await accounts.ensureAccount("acme");
    const { client } = await accounts.createClient({
      accountId: "acme",
      capabilities: ["VIEW_TOKEN"],
      canSwitchAccounts: false,
      description: "",
    });
    expect(() => requireCapability(client, "VIEW_TOKEN")).not.toThrow();
    expect(() => requireCapability(client, "CREATE_TOKEN", "CREATE_STAGING_TOKEN")).toThrow(ApiError);
    expect(() => requireCapability(client, "CREATE_TOKEN")).toThrow(/lacks the CREATE_TOKEN capability/);
  });
});
