import { afterEach, expect, it } from "vitest";
import { createManualClock } from "../../src/clock.ts";
import { createSharedManualClock, forgetManualTime } from "../../src/scheduler/shared-clock.ts";
import type { Store } from "../../src/storage/store.ts";
import { describeEachDialect, openTestStore } from "../support/dialects.ts";

const START = new Date("2026-11-28T12:00:00Z");
const LATER = new Date("2027-01-27T12:00:00Z");

// Two nodes on one database, each with its own clock, as with several `--clock manual` processes.
describeEachDialect("the manual clock shared through the database", () => {
  let disposers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const dispose of disposers) await dispose();
    disposers = [];
  });

  async function twoNodes() {
    const { store, dispose } = await openTestStore(createManualClock(START));
    disposers.push(dispose);
    const node = (settings: Store["settings"]) =>
      createSharedManualClock({ clock: createManualClock(START), settings });
    const [a, b] = [node(store.settings), node(store.settings)];
    await a.sync();
    await b.sync();
    return { store, a, b };
  }

  it("moves every node forward to the latest time, never back to an older one", async () => {
    const { a, b } = await twoNodes();
    a.clock.set(LATER);
    await a.persist();
    await b.sync();
    expect(b.clock.now()).toEqual(LATER);
    b.clock.advance(1_000);
    a.clock.set(START);
    await a.persist();
    await b.sync();
    expect(b.clock.now().getTime()).toBe(LATER.getTime() + 1_000);
  });

  it("puts every node back with a reset, which each takes once; then forward only again", async () => {
    const { a, b } = await twoNodes();
    a.clock.set(LATER);
    await a.persist();
    await b.sync();
    await a.reset(START);
    expect(a.clock.now()).toEqual(START);
    await b.sync();
    expect(b.clock.now()).toEqual(START);
    b.clock.advance(5_000);
    await b.sync();
    expect(b.clock.now().getTime()).toBe(START.getTime() + 5_000);
    // A second reset is seen as one too.
    await a.reset(new Date(START.getTime() - 1_000));
    await b.sync();
    expect(b.clock.now().getTime()).toBe(START.getTime() - 1_000);
  });

  it("is forgotten, resets and all, at a start with the system clock", async () => {
    const { store, a } = await twoNodes();
    await a.reset(LATER);
    expect(await forgetManualTime(store.settings, START)).toEqual(LATER);
    expect(await store.settings.get("manual_clock.now")).toBeNull();
    expect(await store.settings.get("manual_clock.resets")).toBeNull();
  });
});
