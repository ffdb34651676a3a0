import { afterEach, describe, expect, it } from "vitest";
import { createManualClock } from "../../src/clock.ts";
import { createNoncePurge, NONCE_PURGE_INTERVAL_MS } from "../../src/scheduler/nonce-purge.ts";
import { openSqliteStore } from "../../src/storage/sqlite/sqlite-store.ts";
import type { Store } from "../../src/storage/store.ts";

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
});

describe("nonce purge", () => {
  it("forgets the expired nonces on each tick of the wall clock it is given", async () => {
    const wallClock = createManualClock(new Date("2026-11-28T12:00:00Z"));
    store = openSqliteStore({ location: ":memory:", clock: wallClock });
    const remember = (nonce: string, expiresInMs: number) =>
      store?.nonces.remember({
        clientToken: "akab-client",
        nonce,
        expiresAt: new Date(wallClock.now().getTime() + expiresInMs),
        now: wallClock.now(),
      });
    await remember("old", 30_000);
    await remember("fresh", 2 * NONCE_PURGE_INTERVAL_MS);
    const purge = createNoncePurge({ nonces: store.nonces, clock: wallClock });
    purge.start();

    wallClock.advance(NONCE_PURGE_INTERVAL_MS - 1);
    await purge.idle();
    expect(purge.totals()).toEqual({});
    wallClock.advance(1);
    await purge.idle();
    expect(purge.totals()).toEqual({ purgedNonces: 1 });
    // The purged nonce can be remembered again; the fresh one is still known.
    expect(await remember("old", 30_000)).toBe(true);
    expect(await remember("fresh", 30_000)).toBe(false);
    await purge.stop();
  });
});
