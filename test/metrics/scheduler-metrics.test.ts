import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createManualClock } from "../../src/clock.ts";
import { createMetrics } from "../../src/metrics/metrics.ts";
import { createScheduler, type Scheduler } from "../../src/scheduler/scheduler.ts";
import type { WorkCounts } from "../../src/scheduler/work-counts.ts";
import { openSqliteStore } from "../../src/storage/sqlite/sqlite-store.ts";
import type { Store } from "../../src/storage/store.ts";
import { parsePrometheusText } from "./prometheus-text.ts";

describe("the scheduler's metrics", () => {
  const clock = createManualClock(new Date("2026-11-28T12:00:00Z"));
  let store: Store;
  let scheduler: Scheduler;
  // Each run takes the next outcome: counts, or an error to fail with.
  const outcomes: Array<WorkCounts | Error> = [];
  beforeEach(() => {
    outcomes.length = 0;
    store = openSqliteStore({ location: ":memory:", clock });
    scheduler = createScheduler({
      clock,
      intervalMs: 1_000,
      work: async () => {
        const outcome = outcomes.shift() ?? {};
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
    });
  });
  afterEach(async () => {
    await scheduler.stop();
    await store.close();
  });

  it("counts runs, failed runs and the work done, as the scheduler's totals stand at each scrape", async () => {
    const metrics = createMetrics({ store, scheduler, clock });
    const scrape = async () => parsePrometheusText(await metrics.scrape());
    outcomes.push({ refreshed: 2, purged: 0 }, new Error("database gone"), { refreshed: 1, purged: 3 });
    await scheduler.runNow();
    let scraped = await scrape();
    expect(scraped.value("edgekv_scheduler_runs_total")).toBe(1);
    expect(scraped.value("edgekv_scheduler_failures_total")).toBe(0);
    expect(scraped.value("edgekv_scheduler_work_total", { work: "refreshed" })).toBe(2);
    await expect(scheduler.runNow()).rejects.toThrow("database gone");
    await scheduler.runNow();
    scraped = await scrape();
    expect(scheduler.runCounts()).toEqual({ runs: 3, failures: 1 });
    expect(scraped.value("edgekv_scheduler_runs_total")).toBe(3);
    expect(scraped.value("edgekv_scheduler_failures_total")).toBe(1);
    expect(scraped.value("edgekv_scheduler_work_total", { work: "refreshed" })).toBe(3);
    expect(scraped.value("edgekv_scheduler_work_total", { work: "purged" })).toBe(3);
  });

  it("counts the runs the clock's timer starts", async () => {
    const metrics = createMetrics({ store, scheduler, clock });
    outcomes.push(new Error("first tick fails"), { rotatedKey: 1 });
    scheduler.start();
    clock.advance(1_000);
    await scheduler.idle();
    clock.advance(1_000);
    await scheduler.idle();
    const scraped = parsePrometheusText(await metrics.scrape());
    expect(scraped.value("edgekv_scheduler_runs_total")).toBe(2);
    expect(scraped.value("edgekv_scheduler_failures_total")).toBe(1);
    expect(scraped.value("edgekv_scheduler_work_total", { work: "rotatedKey" })).toBe(1);
  });
});
