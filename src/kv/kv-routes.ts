import type { FastifyInstance } from "fastify";
import type { Clock } from "../clock.ts";
import type { Store } from "../storage/store.ts";
import { registerItemRoutes } from "./item-routes.ts";
import { createKvPathRouter } from "./kv-paths.ts";
import { createKvService, type KvService } from "./kv-service.ts";
import { registerNamespaceRoutes } from "./namespace-routes.ts";

/**
 * The admin API for namespaces, groups and items (`/edgekv/v1/networks/...`). Uses `kv` when the
 * composition root provides one (shared with the scheduler and the data plane), else its own.
 */
export function registerKvRoutes(
  app: FastifyInstance,
  deps: { store: Store; clock: Clock; kv?: KvService },
): void {
  const kv = deps.kv ?? createKvService({ store: deps.store, clock: deps.clock });
  const paths = createKvPathRouter();
  registerNamespaceRoutes(app, paths, { kv });
  registerItemRoutes(paths, { kv });
  paths.register(app, "/networks/:network/namespaces/*");
}
