import { afterEach, beforeEach, expect, it } from "vitest";
import { createManualClock } from "../../src/clock.ts";
import type { ConsoleSession, Store } from "../../src/storage/store.ts";
import { describeEachDialect, openTestStore } from "../support/dialects.ts";

const at = new Date("2026-11-28T10:00:00.000Z");
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);

describeEachDialect("the console's storage", () => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await openTestStore(createManualClock(at)));
  });
  afterEach(async () => {
    await dispose();
  });

  const session = (overrides: Partial<ConsoleSession> = {}): ConsoleSession => ({
    sessionHash: "a".repeat(64),
    clientToken: "akab-admin",
    accountId: "default",
    createdAt: at,
    lastSeenAt: at,
    idleExpiresAt: later(1800),
    expiresAt: later(12 * 3600),
    ...overrides,
  });

  it("uses a login key once, and never once it has expired", async () => {
    await store.console.addLoginKey({ keyHash: "k1", createdAt: at, expiresAt: later(60) });
    await store.console.addLoginKey({ keyHash: "k2", createdAt: at, expiresAt: later(60) });
    expect(await store.console.useLoginKey({ keyHash: "k1", now: later(1) })).toBe(true);
    expect(await store.console.useLoginKey({ keyHash: "k1", now: later(2) })).toBe(false);
    expect(await store.console.useLoginKey({ keyHash: "unknown", now: later(1) })).toBe(false);
    expect(await store.console.useLoginKey({ keyHash: "k2", now: later(60) })).toBe(false);
  });

  it("extends a live session's idle expiry, never past its absolute one, and forgets ended ones", async () => {
    await store.console.addSession(session());
    const touched = await store.console.touchSession({
      sessionHash: session().sessionHash,
      now: later(600),
      idleExpiresAt: later(2400),
    });
    expect(touched).toEqual(session({ lastSeenAt: later(600), idleExpiresAt: later(2400) }));
    // Read without extending it.
    expect(await store.console.getSession({ sessionHash: session().sessionHash, now: later(2399) })).toEqual(
      touched,
    );
    expect(
      await store.console.getSession({ sessionHash: session().sessionHash, now: later(2400) }),
    ).toBeNull();
    // Idle for longer than the idle expiry: gone.
    expect(
      await store.console.touchSession({
        sessionHash: session().sessionHash,
        now: later(2400),
        idleExpiresAt: later(4200),
      }),
    ).toBeNull();
    await store.console.addSession(session({ sessionHash: "b".repeat(64), expiresAt: later(100) }));
    const capped = await store.console.touchSession({
      sessionHash: "b".repeat(64),
      now: later(50),
      idleExpiresAt: later(1850),
    });
    expect(capped?.idleExpiresAt).toEqual(later(100));
    expect(await store.console.deleteSession("b".repeat(64))).toBe(true);
    expect(await store.console.deleteSession("b".repeat(64))).toBe(false);
    expect(
      await store.console.touchSession({
        sessionHash: "b".repeat(64),
        now: later(51),
        idleExpiresAt: later(60),
      }),
    ).toBeNull();
  });

  it("purges expired keys and sessions", async () => {
    await store.console.addLoginKey({ keyHash: "old", createdAt: at, expiresAt: later(10) });
    await store.console.addLoginKey({ keyHash: "new", createdAt: at, expiresAt: later(1000) });
    await store.console.addSession(session());
    expect(await store.console.purgeExpired(later(100))).toBe(1);
    expect(await store.console.purgeExpired(later(100_000))).toBe(2);
    expect(await store.console.useLoginKey({ keyHash: "new", now: later(1) })).toBe(false);
  });

  it("keeps each client's latest use apart from the client, and lists every account", async () => {
    expect(await store.clients.lastUsed()).toEqual(new Map());
    await store.clients.markUsed("akab-one", later(10));
    await store.clients.markUsed("akab-one", later(5));
    await store.clients.markUsed("akab-two", later(7));
    expect(await store.clients.lastUsed()).toEqual(
      new Map([
        ["akab-one", later(10)],
        ["akab-two", later(7)],
      ]),
    );
    const account = (id: string) => ({
      id,
      cpcode: null,
      initializedAt: null,
      dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
      createdAt: at,
    });
    await store.accounts.create(account("zeta"));
    await store.accounts.create(account("Alpha"));
    expect((await store.accounts.list()).map((listed) => listed.id)).toEqual(["Alpha", "zeta"]);
  });
});
