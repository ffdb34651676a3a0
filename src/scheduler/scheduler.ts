import type { FastifyBaseLogger } from "fastify";

export interface Scheduler {
  start(): void;
  stop(): Promise<void>;
  /** Runs the work now (after any run in progress) and returns what it did. */
  runNow(): Promise<Record<string, number>>;
}

/**
 * Runs `work` every `intervalMs` and on demand, never two runs at once in this process; the work
 * itself must be safe against other processes (conditional updates in the store).
 */
export function createScheduler({
  work,
  intervalMs,
  logger,
}: {
  work: () => Promise<Record<string, number>>;
  intervalMs: number;
  logger: FastifyBaseLogger | undefined;
}): Scheduler {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<Record<string, number>> = Promise.resolve({});

  function runNow(): Promise<Record<string, number>> {
    running = running
      .catch(() => ({}))
      .then(async () => {
        const done = await work();
        if (Object.values(done).some((count) => count > 0)) logger?.info(done, "scheduled work done");
        return done;
      });
    return running;
  }

  return {
    start() {
      if (timer !== undefined) return;
      timer = setInterval(() => {
        runNow().catch((error: unknown) => logger?.error({ err: error }, "scheduled work failed"));
      }, intervalMs);
      timer.unref();
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      await running.catch(() => undefined);
    },
    runNow,
  };
}
