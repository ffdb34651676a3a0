import { Registry } from "prom-client";
import { processMetrics } from "./process-metrics.ts";
import { createRequestMetrics, type OnResponse } from "./request-metrics.ts";
import { registerStateMetrics, type StateSources } from "./state-metrics.ts";

export interface Metrics {
  /** The onResponse hook that counts and times each request of an app serving these path templates. */
  requestHook(templates: readonly string[]): OnResponse;
  /** Every metric, in Prometheus' text format. */
  scrape(): Promise<string>;
}

/**
 * The metrics of one app, in a registry of its own (never prom-client's global one: a process may
 * build many apps, and each counts only its own requests), plus the process's metrics.
 */
export function createMetrics(sources: StateSources): Metrics {
  const registry = new Registry();
  const requests = createRequestMetrics(registry);
  registerStateMetrics(registry, sources);
  let everything: Registry | undefined;
  return {
    requestHook: requests.hook,
    scrape: async () => {
      everything ??= Registry.merge([registry, processMetrics()]);
      return everything.metrics();
    },
  };
}
