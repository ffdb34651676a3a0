import type { Clock, Timer } from "../clock.ts";
import { addCounts, type WorkCounts } from "./work-counts.ts";

export interface Scheduler {
  /** Runs the work every `intervalMs` of the clock from now on. Again, or after stop(), a no-op. */
  start(): void;
  /** Cancels the timer and resolves once the run in progress has ended; no run starts after. */
  stop(): Promise<void>;
  /**
   * Waits for the run in progress, then runs once and returns what it did (rejects if it failed).
   * After stop() it runs nothing and resolves to `{}`: a request that races shutdown need not fail.
   */
  runNow(): Promise<WorkCounts>;
  /** Resolves when no run is in progress. */
  idle(): Promise<void>;
  /** The sum of each count over every run that has completed. */
  totals(): WorkCounts;
  /** How many runs have ended since creation, and how many of those failed. */
  runCounts(): RunCounts;
}

export interface RunCounts {
  readonly runs: number;
  readonly failures: number;
}

/** The part of a pino logger the scheduler uses. */
export interface SchedulerLogger {
  info(details: object, message: string): void;
  debug(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface SchedulerOptions {
  work: () => Promise<WorkCounts>;
  clock: Clock;
  intervalMs: number;
  logger?: SchedulerLogger | undefined;
  /** Names the job in its log lines. */
  name?: string;
  /** Where a run that did something is logged: "debug" for frequent housekeeping. */
  doneLevel?: "info" | "debug";
}

const ignore = () => undefined;

/**
 * Runs `work` on the clock's timer and on demand, never two runs at once in this process. A tick
 * that comes during a run is skipped, not queued: slow work never piles up a backlog, and the next
 * tick finds whatever is still due. A failed run is logged and later ticks run as usual. The work
 * itself must be safe against other processes (conditional updates in the store).
 */
export function createScheduler({
  work,
  clock,
  intervalMs,
  logger,
  name = "scheduled work",
  doneLevel = "info",
}: SchedulerOptions): Scheduler {
  let timer: Timer | null = null;
  let running: Promise<WorkCounts> | null = null;
  let stopped = false;
  const sums: WorkCounts = {};
  let runs = 0;
  let failures = 0;

  // Callers check `running` and call begin() in one synchronous step, so two runs never overlap.
  function begin(): Promise<WorkCounts> {
    const run = Promise.resolve()
      .then(work)
      .then(
        (done) => {
          runs += 1;
          addCounts(sums, done);
          if (Object.values(done).some((count) => count !== 0))
            logger?.[doneLevel]({ job: name, ...done }, "scheduled work done");
          return done;
        },
        (error: unknown) => {
          runs += 1;
          failures += 1;
          logger?.error({ job: name, err: error }, "scheduled work failed");
          throw error;
        },
      )
      .finally(() => {
        running = null;
      });
    running = run;
    return run;
  }

  function tick(): void {
    if (stopped) return;
    if (running !== null) {
      logger?.debug({ job: name }, "scheduled work still running; tick skipped");
      return;
    }
    // Already logged in begin(); a tick has no caller to tell.
    begin().catch(ignore);
  }

  async function idle(): Promise<void> {
    while (running !== null) await running.catch(ignore);
  }

  return {
    start() {
      if (timer !== null || stopped) return;
      timer = clock.every(intervalMs, tick);
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      timer = null;
      await idle();
    },
    async runNow() {
      // Re-checked after each wait: another caller may have started a run in between.
      while (running !== null) await running.catch(ignore);
      if (stopped) return {};
      return begin();
    },
    idle,
    totals: () => ({ ...sums }),
    runCounts: () => ({ runs, failures }),
  };
}
