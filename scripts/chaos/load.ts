import { type LoadContext, pickOperation } from "./operations.ts";

export interface LoadBounds {
  readonly concurrency: number;
  /** Requests at most, over all workers. */
  readonly maxRequests: number;
  /** No request starts after this time (ms since the epoch), whatever happens to the kill. */
  readonly deadline: number;
  /** Becomes true at the kill: requests in flight run to their end, no new one starts. */
  stopped(): boolean;
}

/**
 * Closed-loop load: `concurrency` workers, each sending its next request when the previous one has
 * ended. Resolves with the number of requests started once every worker has stopped.
 */
export async function runLoad(context: LoadContext, bounds: LoadBounds): Promise<number> {
  let started = 0;
  const worker = async () => {
    while (!bounds.stopped() && started < bounds.maxRequests && Date.now() < bounds.deadline) {
      started++;
      await pickOperation(context.rng)(context);
    }
  };
  await Promise.all(Array.from({ length: bounds.concurrency }, worker));
  return started;
}
