import { DEFAULT_NAMESPACE } from "../kv/initialize.ts";
import type { Namespace, Network } from "../kv/model.ts";

/** The `default` namespace as initializing an account makes it: items kept until deleted, no group, US. */
export const defaultNamespace = (
  accountId: string,
  network: Network,
  restrictDataAccess: boolean,
  now: Date,
): Namespace => ({
  accountId,
  network,
  name: DEFAULT_NAMESPACE,
  retentionInSeconds: 0,
  geoLocation: "US",
  groupId: 0,
  restrictDataAccess,
  createdAt: now,
});
