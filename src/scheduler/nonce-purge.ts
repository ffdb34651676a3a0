import type { Clock } from "../clock.ts";
import type { NonceRepository } from "../storage/store.ts";
import { createScheduler, type Scheduler, type SchedulerLogger } from "./scheduler.ts";

export const NONCE_PURGE_INTERVAL_MS = 60_000;

/**
 * Deletes the EdgeGrid nonces that can no longer be replayed. `clock` must be the wall clock: nonces
 * are kept by real time even when the domain clock is manual, and purging them by a manual clock
 * moved days ahead would forget nonces that are still inside the replay window.
 */
export function createNoncePurge({
  nonces,
  clock,
  logger,
}: {
  nonces: Pick<NonceRepository, "purgeExpired">;
  clock: Clock;
  logger?: SchedulerLogger | undefined;
}): Scheduler {
  return createScheduler({
    work: async () => ({ purgedNonces: await nonces.purgeExpired(clock.now()) }),
    clock,
    intervalMs: NONCE_PURGE_INTERVAL_MS,
    logger,
    name: "nonce purge",
    doneLevel: "debug",
  });
}
