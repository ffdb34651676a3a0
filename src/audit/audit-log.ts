import type { Clock } from "../clock.ts";
import type { Settled } from "../http/pipeline.ts";
import type { Store } from "../storage/store.ts";
import type { AuditEvent, AuditQuery } from "./audit-event.ts";
import { eventOf } from "./event-of.ts";

export interface AuditLog {
  /** Records what an answered request did, if anything; a failure to record is logged, never raised. */
  observe(settled: Settled): void;
  /** Resolves once every request answered so far in this process is recorded. */
  flush(): Promise<void>;
  /** Events newest first, this process's latest included. */
  list(query: AuditQuery): Promise<AuditEvent[]>;
  /** Deletes a batch of events older than the retention; returns how many. */
  pruneDue(): Promise<number>;
}

const DAY_MS = 86_400_000;
/** A prune deletes at most this many at once, so one run never holds the database for long. */
const PRUNE_BATCH = 10_000;

/** The audit log on the store; its times are the domain clock's, like the retention that prunes it. */
export function createAuditLog({
  store,
  clock,
  retentionDays,
}: {
  store: Pick<Store, "audit">;
  clock: Clock;
  retentionDays: number;
}): AuditLog {
  const pending = new Set<Promise<void>>();

  async function flush(): Promise<void> {
    // Observers run in onResponse hooks, a few microtasks after the answer: let those start first.
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all(pending);
  }

  return {
    observe(settled) {
      const event = eventOf(settled, clock.now());
      if (event === null) return;
      const write = store.audit.record(event).then(
        () => undefined,
        (error: unknown) => {
          settled.log.error(
            { err: error, action: event.action, target: event.target },
            "could not record an audit event",
          );
        },
      );
      pending.add(write);
      write.then(() => pending.delete(write));
    },
    flush,
    list: async (query) => {
      await flush();
      return store.audit.list(query);
    },
    pruneDue: () =>
      store.audit.prune({
        before: new Date(clock.now().getTime() - retentionDays * DAY_MS),
        limit: PRUNE_BATCH,
      }),
  };
}
