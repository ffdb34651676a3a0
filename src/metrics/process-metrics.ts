import { collectDefaultMetrics, Registry } from "prom-client";

let shared: Registry | undefined;

/**
 * Node's process metrics (CPU, memory, heap, event-loop lag, GC, handles), named `edgekv_…`. One
 * registry for the whole process, made when first asked for: collectDefaultMetrics starts a GC
 * observer and an event-loop monitor that nothing stops, so one set per app would pile up in a
 * process that builds many apps (the tests), and what they measure belongs to the process anyway.
 */
export function processMetrics(): Registry {
  if (shared === undefined) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared, prefix: "edgekv_" });
  }
  return shared;
}
