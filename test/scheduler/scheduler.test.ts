import { describe, expect, it } from "vitest";
import { createManualClock, type ManualClock } from "../../src/clock.ts";
import { createScheduler, type SchedulerLogger } from "../../src/scheduler/scheduler.ts";
import { countsSince, type WorkCounts } from "../../src/scheduler/work-counts.ts";

const INTERVAL_MS = 50;

/** Lets every pending promise callback run; the work below never waits on real time. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Work whose every run waits until the test releases it with the counts it returns. */
function gatedWork() {
  const waiting: Array<(outcome: WorkCounts | Error) => void> = [];
  const state = { runs: 0, active: 0, maxActive: 0 };
  const work = async (): Promise<WorkCounts> => {
    state.runs++;
    state.active++;
    state.maxActive = Math.max(state.maxActive, state.active);
    try {
      const outcome = await new Promise<WorkCounts | Error>((resolve) => waiting.push(resolve));
      if (outcome instanceof Error) throw outcome;
      return outcome;
    } finally {
      state.active--;
    }
  };
  const release = async (outcome: WorkCounts | Error = { done: 1 }) => {
    const next = waiting.shift();
    if (next === undefined) throw new Error("no run is waiting");
    next(outcome);
    await settle();
  };
  return { work, state, release };
}

function recordingLogger() {
  const lines: Array<{ level: string; details: object; message: string }> = [];
  const at =
    (level: string) =>
    (details: object, message: string): void => {
      lines.push({ level, details, message });
    };
  const logger: SchedulerLogger = { info: at("info"), debug: at("debug"), error: at("error") };
  return { logger, lines };
}

function setup(work: () => Promise<WorkCounts>, options: { doneLevel?: "info" | "debug" } = {}) {
  const clock: ManualClock = createManualClock(new Date("2026-11-28T12:00:00Z"));
  const { logger, lines } = recordingLogger();
  const scheduler = createScheduler({
    work,
    clock,
    intervalMs: INTERVAL_MS,
    logger,
    name: "test",
    ...options,
  });
  const tick = async () => {
    clock.advance(INTERVAL_MS);
    await settle();
  };
  return { clock, scheduler, lines, tick };
}

describe("scheduler", () => {
  it("runs the work on each tick of its clock once started, and not before", async () => {
    let runs = 0;
    const { scheduler, tick } = setup(async () => ({ runs: ++runs }));
    await tick();
    expect(runs).toBe(0);
    scheduler.start();
    scheduler.start();
    await tick();
    await tick();
    expect(runs).toBe(2);
    await scheduler.stop();
  });

  it("skips the ticks that come during a run and queues none of them", async () => {
    const { work, state, release } = gatedWork();
    const { scheduler, tick, lines } = setup(work);
    scheduler.start();
    await tick();
    expect(state.runs).toBe(1);
    for (let i = 0; i < 20; i++) await tick();
    expect(state.runs).toBe(1);
    expect(lines.filter((line) => line.message.includes("tick skipped"))).toHaveLength(20);
    await release();
    // No backlog follows the blocked run: the next run waits for the next tick.
    await settle();
    expect(state.runs).toBe(1);
    await tick();
    expect(state.runs).toBe(2);
    await release();
    expect(state.maxActive).toBe(1);
    await scheduler.stop();
  });

  it("runNow waits for the run in progress, then runs once and returns that run's counts", async () => {
    const { work, state, release } = gatedWork();
    const { scheduler, tick } = setup(work);
    scheduler.start();
    await tick();
    const ran = scheduler.runNow();
    await settle();
    expect(state.runs).toBe(1);
    await release({ refreshed: 1 });
    expect(state.runs).toBe(2);
    await release({ refreshed: 3 });
    expect(await ran).toEqual({ refreshed: 3 });
    expect(state.maxActive).toBe(1);
    await scheduler.stop();
  });

  it("runs concurrent runNow calls one after another, each once", async () => {
    const { work, state, release } = gatedWork();
    const { scheduler } = setup(work);
    const first = scheduler.runNow();
    const second = scheduler.runNow();
    const third = scheduler.runNow();
    await settle();
    await release({ n: 1 });
    await release({ n: 2 });
    await release({ n: 3 });
    expect(await Promise.all([first, second, third])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(state).toMatchObject({ runs: 3, maxActive: 1 });
  });

  it("stop waits for the run in progress and starts no other, from ticks or runNow", async () => {
    const { work, state, release } = gatedWork();
    const { scheduler, tick } = setup(work);
    scheduler.start();
    await tick();
    const queued = scheduler.runNow();
    let stopped = false;
    const stopping = scheduler.stop().then(() => {
      stopped = true;
    });
    await tick();
    await settle();
    expect(stopped).toBe(false);
    await release({ refreshed: 1 });
    await stopping;
    expect(stopped).toBe(true);
    expect(await queued).toEqual({});
    await tick();
    expect(await scheduler.runNow()).toEqual({});
    scheduler.start();
    await tick();
    expect(state.runs).toBe(1);
    expect(scheduler.totals()).toEqual({ refreshed: 1 });
  });

  it("idle resolves at once without a run, and once the run in progress ends", async () => {
    const { work, release } = gatedWork();
    const { scheduler, tick } = setup(work);
    await scheduler.idle();
    scheduler.start();
    await tick();
    let idle = false;
    const waiting = scheduler.idle().then(() => {
      idle = true;
    });
    await settle();
    expect(idle).toBe(false);
    await release();
    await waiting;
    expect(idle).toBe(true);
    await scheduler.stop();
  });

  it("logs a failed run, rejects runNow with its error, and keeps running on later ticks", async () => {
    const { work, state, release } = gatedWork();
    const { scheduler, tick, lines } = setup(work);
    scheduler.start();
    await tick();
    await release(new Error("database is down"));
    expect(lines).toContainEqual({
      level: "error",
      details: { job: "test", err: new Error("database is down") },
      message: "scheduled work failed",
    });
    await tick();
    expect(state.runs).toBe(2);
    await release({ refreshed: 1 });
    const failing = expect(scheduler.runNow()).rejects.toThrow("again");
    await settle();
    await release(new Error("again"));
    await failing;
    expect(scheduler.totals()).toEqual({ refreshed: 1 });
    await scheduler.stop();
  });

  it("logs what a run did only when some count is not zero, at the level asked", async () => {
    const results: WorkCounts[] = [
      { refreshed: 0, purged: 0 },
      { refreshed: 2, purged: 0 },
    ];
    const { scheduler, lines } = setup(async () => results.shift() ?? {}, { doneLevel: "debug" });
    await scheduler.runNow();
    expect(lines).toEqual([]);
    await scheduler.runNow();
    expect(lines).toEqual([
      { level: "debug", details: { job: "test", refreshed: 2, purged: 0 }, message: "scheduled work done" },
    ]);
  });

  it("sums the counts of every completed run", async () => {
    const results: WorkCounts[] = [
      { refreshed: 2, purged: 0 },
      { refreshed: 1, purged: 1, rotatedKey: 1 },
    ];
    const { scheduler, tick } = setup(async () => results.shift() ?? {});
    expect(scheduler.totals()).toEqual({});
    scheduler.start();
    await tick();
    await scheduler.runNow();
    const totals = scheduler.totals();
    expect(totals).toEqual({ refreshed: 3, purged: 1, rotatedKey: 1 });
    totals.refreshed = 100;
    expect(scheduler.totals().refreshed).toBe(3);
    await scheduler.stop();
  });

  it("counts both the tick a clock move fires and a runNow after it (as the clock endpoint does)", async () => {
    const { work, release } = gatedWork();
    const { scheduler, clock } = setup(work);
    scheduler.start();
    const before = scheduler.totals();
    clock.advance(86_400_000);
    const ran = scheduler.runNow();
    await settle();
    await release({ refreshed: 2, purged: 0 });
    await release({ refreshed: 0, purged: 1 });
    await ran;
    expect(countsSince(before, scheduler.totals())).toEqual({ refreshed: 2, purged: 1 });
    await scheduler.stop();
  });
});
