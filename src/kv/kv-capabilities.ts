import type { Caller } from "../accounts/caller.ts";
import { requireCapability } from "../accounts/capabilities.ts";
import type { ApiClient, Capability } from "../accounts/model.ts";
import type { Access } from "../http/route.ts";
import type { Network } from "../kv/model.ts";

/** What an admin call does, and the capability it needs: [any network, staging only]. */
const KV_CAPABILITIES = {
  viewNamespace: ["VIEW_NAMESPACE", "VIEW_STAGING_NAMESPACE"],
  createNamespace: ["CREATE_NAMESPACE", "CREATE_STAGING_NAMESPACE"],
  modifyNamespace: ["MODIFY_NAMESPACE", "MODIFY_STAGING_NAMESPACE"],
  deleteNamespace: ["DELETE_NAMESPACE", "DELETE_STAGING_NAMESPACE"],
  authorizeNamespace: ["AUTHORIZE_NAMESPACE", "AUTHORIZE_STAGING_NAMESPACE"],
  readData: ["READ_DATA", "READ_STAGING_DATA"],
  writeData: ["WRITE_DATA", "WRITE_STAGING_DATA"],
  deleteData: ["DELETE_DATA", "DELETE_STAGING_DATA"],
} as const satisfies Record<string, readonly [Capability, Capability]>;

export type KvOperation = keyof typeof KV_CAPABILITIES;

/** Whether the client may do `operation` on `network`. */
export function mayDo(client: ApiClient, network: Network, operation: KvOperation): boolean {
  const [anyNetwork, stagingOnly] = KV_CAPABILITIES[operation];
  return (
    client.capabilities.includes(anyNetwork) ||
    (network === "staging" && client.capabilities.includes(stagingOnly))
  );
}

/** 403 EKV_1000 unless the client may do `operation` on `network`; a staging capability covers staging only. */
export function requireKvCapability(client: ApiClient, network: Network, operation: KvOperation): void {
  const [anyNetwork, stagingOnly] = KV_CAPABILITIES[operation];
  if (network === "staging") requireCapability(client, anyNetwork, stagingOnly);
  else requireCapability(client, anyNetwork);
}

/** Route access for an admin call on the network named in the path. */
export const kvAccess = (operation: KvOperation): Access<Caller, { network: Network }> => {
  const [anyNetwork, stagingOnly] = KV_CAPABILITIES[operation];
  return {
    describe: `${anyNetwork} (on staging also ${stagingOnly})`,
    errors: ["forbidden"],
    check: (caller, { network }) => requireKvCapability(caller.client, network, operation),
  };
};
