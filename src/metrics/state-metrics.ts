import { Counter, Gauge, type Registry } from "prom-client";
import type { Clock } from "../clock.ts";
import type { Scheduler } from "../scheduler/scheduler.ts";
import type { PoolStats, Store } from "../storage/store.ts";
import type { ActivationStatus, TokenKind } from "../tokens/model.ts";

/** Where the metrics read at scrape time come from. */
export interface StateSources {
  readonly store: Pick<Store, "tokens" | "poolStats">;
  readonly scheduler: Pick<Scheduler, "totals" | "runCounts">;
  /** The domain's clock: a token's status depends on it. */
  readonly clock: Clock;
}

// Every combination is reported, zero included, so that a series does not vanish when its last
// token changes status.
const KINDS = ["enhanced", "legacy"] as const satisfies readonly TokenKind[];
const STATUSES = ["IN_PROGRESS", "COMPLETE", "ERROR"] as const satisfies readonly ActivationStatus[];

function tokenMetrics(registry: Registry, { store, clock }: StateSources): void {
  new Gauge({
    name: "edgekv_tokens",
    help: "Access tokens of every account neither revoked nor expired, by kind and activation status.",
    labelNames: ["kind", "status"] as const,
    registers: [registry],
    async collect() {
      const counts = await store.tokens.countByStatus(clock.now());
      for (const kind of KINDS) for (const status of STATUSES) this.set({ kind, status }, 0);
      for (const { kind, status, count } of counts) this.set({ kind, status }, count);
    },
  });
}

/**
 * The scheduler keeps its own running totals; each scrape reports them as they stand (a counter
 * set, through reset and increment, to a total that only grows).
 */
function schedulerMetrics(registry: Registry, { scheduler }: StateSources): void {
  new Counter({
    name: "edgekv_scheduler_runs_total",
    help: "Runs of the scheduled work (activations, refreshes, purges, key rotation) that ended, failed ones included.",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(scheduler.runCounts().runs);
    },
  });
  new Counter({
    name: "edgekv_scheduler_failures_total",
    help: "Runs of the scheduled work that failed (the cause is in the log).",
    registers: [registry],
    collect() {
      this.reset();
      this.inc(scheduler.runCounts().failures);
    },
  });
  new Counter({
    name: "edgekv_scheduler_work_total",
    help: "What the scheduled work did over every completed run, by kind of work (refreshed, purged, …).",
    labelNames: ["work"] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [work, count] of Object.entries(scheduler.totals())) this.inc({ work }, count);
    },
  });
}

/** PostgreSQL only: SQLite has one connection and no pool, and then these series do not exist. */
function poolMetrics(registry: Registry, { store }: StateSources): void {
  if (store.poolStats() === null) return;
  const gauge = (name: string, help: string, read: (stats: PoolStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const stats = store.poolStats();
        if (stats !== null) this.set(read(stats));
      },
    });
  gauge("edgekv_db_pool_connections", "PostgreSQL connections open, idle or in use.", (s) => s.total);
  gauge("edgekv_db_pool_idle_connections", "PostgreSQL connections open and idle.", (s) => s.idle);
  gauge(
    "edgekv_db_pool_waiting_queries",
    "Queries waiting for a PostgreSQL connection: above zero, the pool is too small for the load (--db-pool-size).",
    (s) => s.waiting,
  );
  gauge("edgekv_db_pool_max_connections", "The most PostgreSQL connections the pool opens.", (s) => s.max);
}

/** Registers the metrics that are read from the store and the scheduler when scraped. */
export function registerStateMetrics(registry: Registry, sources: StateSources): void {
  // A scrape collects in this order, each up to its first await: the pool is read before the token
  // count takes a connection, so that the scrape does not see its own query waiting.
  poolMetrics(registry, sources);
  schedulerMetrics(registry, sources);
  tokenMetrics(registry, sources);
}
