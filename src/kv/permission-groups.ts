import type { Account, ApiClient } from "../accounts/model.ts";
import { CAPABILITIES } from "../accounts/model.ts";
import { ApiError } from "../errors.ts";
import type { Store } from "../storage/store.ts";
import { mayDo } from "./kv-capabilities.ts";
import { type Namespace, NETWORKS } from "./model.ts";

export interface PermissionGroup {
  readonly groupId: number;
  readonly groupName: string;
  readonly capabilities: readonly string[];
}

export type PermissionGroups = ReturnType<typeof createPermissionGroups>;

const groupName = (groupId: number) => (groupId === 0 ? "Default group" : `Group ${groupId}`);

const notInitialized = (account: Account) =>
  new ApiError(
    "not_initialized",
    `EdgeKV is not initialized for account ${account.id}. Initialize it first: PUT /edgekv/v1/initialize.`,
  );

/**
 * Akamai's access groups, as this server keeps them: a group is the `groupId` its namespaces carry,
 * and a client may do in every group of its account what its capabilities allow. A namespace moves
 * to another group only by reauthorization, on every network it exists on.
 */
export function createPermissionGroups({ store }: { store: Store }) {
  async function namespacesOf(account: Account): Promise<Namespace[]> {
    if (account.initializedAt === null) throw notInitialized(account);
    const lists = await Promise.all(
      NETWORKS.map((network) => store.namespaces.list({ accountId: account.id, network })),
    );
    return lists.flat();
  }

  const describe = (groupId: number, client: ApiClient): PermissionGroup => ({
    groupId,
    groupName: groupName(groupId),
    // What the client may do, in Akamai's capability names (SERVER_ADMIN is not an EdgeKV one).
    capabilities: CAPABILITIES.filter((capability) => client.capabilities.includes(capability)),
  });

  /** The account's groups (those its namespaces are in), sorted by id. */
  async function list(account: Account, client: ApiClient): Promise<PermissionGroup[]> {
    const ids = [...new Set((await namespacesOf(account)).map((namespace) => namespace.groupId))];
    return ids.sort((a, b) => a - b).map((groupId) => describe(groupId, client));
  }

  async function get(account: Account, client: ApiClient, groupId: number): Promise<PermissionGroup> {
    const ids = new Set((await namespacesOf(account)).map((namespace) => namespace.groupId));
    if (!ids.has(groupId)) throw new ApiError("forbidden", `You do not have access to group ${groupId}.`);
    return describe(groupId, client);
  }

  /**
   * Moves the namespace to `groupId` on every network it exists on. The client needs
   * AUTHORIZE_NAMESPACE, or AUTHORIZE_STAGING_NAMESPACE for a namespace only on staging; otherwise,
   * as for a namespace that does not exist, Akamai's EKV_1002.
   */
  async function reauthorize(
    account: Account,
    client: ApiClient,
    name: string,
    groupId: number,
  ): Promise<{ groupId: number }> {
    const copies = (await namespacesOf(account)).filter((namespace) => namespace.name === name);
    if (copies.length === 0 || !copies.every((copy) => mayDo(client, copy.network, "authorizeNamespace"))) {
      throw new ApiError(
        "kv_not_authorized",
        "That resource does not exist or you are missing the 'AUTHORIZE_NAMESPACE' permission for it.",
      );
    }
    for (const copy of copies) {
      await store.namespaces.setGroup({ accountId: account.id, network: copy.network, name, groupId });
    }
    return { groupId };
  }

  return { list, get, reauthorize };
}
