import { describe, expect, it } from "vitest";
import { createManualClock, createSystemClock, systemClock } from "../src/clock.ts";

const START = new Date("2026-11-28T12:00:00Z");
const DAY_MS = 86_400_000;

/** Timers that keep the event loop alive: an unref()ed timer is not among them. */
const refTimers = () => process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;

describe("manual clock", () => {
  it("reads, sets and advances the time", () => {
    const clock = createManualClock(START);
    expect(clock.now()).toEqual(START);
    clock.advance(1_500);
    expect(clock.now().toISOString()).toBe("2026-11-28T12:00:01.500Z");
    clock.set(new Date("2020-01-01T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2020-01-01T00:00:00.000Z");
  });

  it("fires a one-shot timer once, when a move reaches its due time", () => {
    const clock = createManualClock(START);
    let calls = 0;
    clock.after(1_000, () => {
      calls++;
    });
    clock.advance(999);
    expect(calls).toBe(0);
    clock.advance(1);
    expect(calls).toBe(1);
    clock.advance(DAY_MS);
    expect(calls).toBe(1);
  });

  it("fires an interval once per move however many periods it skips, then one interval later", () => {
    const clock = createManualClock(START);
    const firedAt: string[] = [];
    clock.every(1_000, () => {
      firedAt.push(clock.now().toISOString());
    });
    clock.advance(60 * DAY_MS);
    expect(firedAt).toEqual(["2027-01-27T12:00:00.000Z"]);
    clock.advance(999);
    expect(firedAt).toHaveLength(1);
    clock.advance(1);
    expect(firedAt).toHaveLength(2);
    clock.set(new Date("2027-02-01T00:00:00Z"));
    expect(firedAt).toHaveLength(3);
  });

  it("fires due timers in due order and none that are not yet due", () => {
    const clock = createManualClock(START);
    const order: string[] = [];
    clock.after(3_000, () => order.push("c"));
    clock.after(1_000, () => order.push("a"));
    clock.every(2_000, () => order.push("b"));
    clock.after(10_000, () => order.push("late"));
    clock.advance(5_000);
    expect(order).toEqual(["a", "b", "c"]);
  });

  it("fires nothing when set to an earlier time", () => {
    const clock = createManualClock(START);
    let calls = 0;
    clock.every(1_000, () => {
      calls++;
    });
    clock.set(new Date(START.getTime() - DAY_MS));
    expect(calls).toBe(0);
  });

  it("keeps what each timer had left when set to an earlier time", () => {
    const clock = createManualClock(START);
    const fired: string[] = [];
    clock.every(1_000, () => fired.push("interval"));
    clock.after(5_000, () => fired.push("once"));
    clock.advance(60 * DAY_MS);
    expect(fired).toEqual(["interval", "once"]);
    clock.advance(400);
    clock.set(START);
    clock.advance(599);
    expect(fired).toHaveLength(2);
    clock.advance(1);
    expect(fired).toEqual(["interval", "once", "interval"]);
  });

  it("never fires a cancelled timer, even one cancelled by an earlier callback of the same move", () => {
    const clock = createManualClock(START);
    const fired: string[] = [];
    const cancelled = clock.every(1_000, () => fired.push("cancelled"));
    cancelled.cancel();
    const second = clock.after(2_000, () => fired.push("second"));
    clock.after(1_000, () => {
      fired.push("first");
      second.cancel();
    });
    clock.advance(5_000);
    expect(fired).toEqual(["first"]);
    cancelled.cancel();
  });

  it("fires each timer once when a callback moves the clock again", () => {
    const clock = createManualClock(START);
    const fired: string[] = [];
    clock.after(1_000, () => {
      fired.push("mover");
      clock.advance(1_000);
    });
    clock.every(1_500, () => fired.push("interval"));
    clock.advance(2_000);
    expect(fired).toEqual(["mover", "interval"]);
    expect(clock.now().toISOString()).toBe("2026-11-28T12:00:03.000Z");
  });

  it("leaves a timer created during a move for the next move", () => {
    const clock = createManualClock(START);
    let inner = 0;
    clock.after(1_000, () => {
      clock.after(0, () => {
        inner++;
      });
    });
    clock.advance(1_000);
    expect(inner).toBe(0);
    clock.advance(0);
    expect(inner).toBe(1);
  });

  it("hands a thrown or rejected callback failure to onTimerError, never to the mover", async () => {
    const errors: unknown[] = [];
    const clock = createManualClock(START, { onTimerError: (error) => errors.push(error) });
    let after = 0;
    clock.after(1, () => {
      throw new Error("thrown");
    });
    clock.after(1, async () => {
      throw new Error("rejected");
    });
    clock.after(1, () => {
      after++;
    });
    expect(() => clock.advance(1)).not.toThrow();
    expect(after).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors.map((error) => (error as Error).message).sort()).toEqual(["rejected", "thrown"]);
  });

  it("refuses an interval that is not a positive number of milliseconds", () => {
    const clock = createManualClock(START);
    expect(() => clock.every(0, () => undefined)).toThrow(RangeError);
    expect(() => clock.every(Number.NaN, () => undefined)).toThrow(RangeError);
  });
});

describe("system clock", () => {
  it("reads real time", () => {
    const before = Date.now();
    const now = systemClock.now().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it("creates timers that never keep the process alive", () => {
    const clock = createSystemClock();
    const before = refTimers();
    const interval = clock.every(60_000, () => undefined);
    const timeout = clock.after(60_000, () => undefined);
    expect(refTimers()).toBe(before);
    interval.cancel();
    timeout.cancel();
  });

  it("fires an interval until cancelled, and a one-shot timer once", async () => {
    const clock = createSystemClock();
    let ticks = 0;
    await new Promise<void>((resolve) => {
      const timer = clock.every(1, () => {
        ticks++;
        if (ticks === 2) {
          timer.cancel();
          resolve();
        }
      });
    });
    await new Promise<void>((resolve) => clock.after(1, resolve));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ticks).toBe(2);
  });

  it("hands a callback's failure to onTimerError", async () => {
    const failure = await new Promise<unknown>((resolve) => {
      createSystemClock({ onTimerError: resolve }).after(0, async () => {
        throw new Error("rejected");
      });
    });
    expect((failure as Error).message).toBe("rejected");
  });
});
