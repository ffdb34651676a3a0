import type { Account } from "../accounts/model.ts";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import type { Namespace, Network } from "../kv/model.ts";
import type { NamespaceKey, Store } from "../storage/store.ts";
import { DEFAULT_NAMESPACE } from "./initialize.ts";
import { readItemValue } from "./item-value.ts";
import { type CreateNamespaceRequest, MAX_KEYS_PER_LIST, type UpdateNamespaceRequest } from "./kv-schemas.ts";
import type { ItemAddress, KvItem } from "./model.ts";

export interface KvSettings {
  /** Namespaces an account may hold on each network, `default` included. */
  namespaceLimit: number;
  /** How long after an asynchronous DELETE a namespace is deleted. */
  namespaceDeleteDelaySeconds: number;
}

export const DEFAULT_KV_SETTINGS: KvSettings = {
  namespaceLimit: 20,
  // Akamai's scheduled deletes come a few days later (its Retry-After samples count down from ~2.4 days).
  namespaceDeleteDelaySeconds: 3 * 86_400,
};

export const MAX_GROUPS_PER_LIST = 10_000;
const PURGE_BATCH = 10_000;

/**
 * Who acts and where. Authorisation is the caller's business (capabilities on the admin API, an
 * access token on the data plane), so both can use the same service.
 */
export interface KvScope {
  readonly account: Account;
  readonly network: Network;
}

/** An item as named in a request (its names already checked by the route). */
export interface ItemRef {
  readonly namespace: string;
  readonly group: string;
  readonly key: string;
}

/** What a write or delete reports back: the account's CP code is EdgeKV's "database". */
export interface ItemReceipt extends ItemRef {
  readonly cpcode: string;
}

export type NamespaceDeletion =
  | { readonly kind: "deleted"; readonly cpcode: string }
  | { readonly kind: "scheduled"; readonly scheduledDeleteTime: Date };

export interface KvServiceDeps {
  store: Store;
  clock: Clock;
  settings?: Partial<KvSettings>;
}

export type KvService = ReturnType<typeof createKvService>;

const namespaceMissing = () =>
  new ApiError("kv_namespace_missing", "The requested namespace does not exist.");
const itemMissing = (ref: ItemRef) =>
  new ApiError("kv_not_found", `Item '${ref.key}' or group '${ref.group}' was not found in the database.`);

const sameConfiguration = (a: Namespace, b: Namespace): boolean =>
  a.retentionInSeconds === b.retentionInSeconds &&
  a.geoLocation === b.geoLocation &&
  a.groupId === b.groupId &&
  a.restrictDataAccess === b.restrictDataAccess;

export function createKvService({ store, clock, settings = {} }: KvServiceDeps) {
  const { namespaceLimit, namespaceDeleteDelaySeconds } = { ...DEFAULT_KV_SETTINGS, ...settings };

  /**
   * Every call starts here: the account must be initialized, and a namespace whose scheduled
   * deletion has come is deleted now, so the clock alone decides (no scheduler run needed).
   */
  async function begin(scope: KvScope): Promise<string> {
    const { cpcode } = scope.account;
    if (cpcode === null) {
      throw new ApiError(
        "not_initialized",
        `EdgeKV is not initialized for account ${scope.account.id}. Initialize it first: PUT /edgekv/v1/initialize.`,
      );
    }
    await store.namespaces.deleteDue({
      now: clock.now(),
      scope: { accountId: scope.account.id, network: scope.network },
    });
    return cpcode;
  }

  const keyOf = (scope: KvScope, name: string): NamespaceKey => ({
    accountId: scope.account.id,
    network: scope.network,
    name,
  });

  async function existing(scope: KvScope, name: string): Promise<Namespace> {
    const namespace = await store.namespaces.get(keyOf(scope, name));
    if (namespace === null) throw namespaceMissing();
    return namespace;
  }

  /** Checks that the item's namespace exists. */
  async function addressOf(
    scope: KvScope,
    ref: ItemRef,
  ): Promise<{ address: ItemAddress; namespace: Namespace }> {
    const namespace = await existing(scope, ref.namespace);
    return {
      namespace,
      address: {
        accountId: scope.account.id,
        network: scope.network,
        namespace: ref.namespace,
        group: ref.group,
        key: ref.key,
      },
    };
  }

  async function listNamespaces(scope: KvScope): Promise<Namespace[]> {
    await begin(scope);
    return store.namespaces.list({ accountId: scope.account.id, network: scope.network });
  }

  async function getNamespace(scope: KvScope, name: string): Promise<Namespace> {
    await begin(scope);
    return existing(scope, name);
  }

  /** Creates the namespace; asking again with the same configuration answers the same (idempotent). */
  async function createNamespace(scope: KvScope, request: CreateNamespaceRequest): Promise<Namespace> {
    await begin(scope);
    const geoLocation = request.geoLocation ?? "US";
    if (scope.network === "staging" && geoLocation !== "US") {
      throw new ApiError(
        "validation",
        "The staging network only supports US location.",
        {},
        {
          field: "geoLocation",
        },
      );
    }
    const policy = scope.account.dataAccessPolicy;
    const restrictDataAccess = request.dataAccessPolicy?.restrictDataAccess ?? policy.restrictDataAccess;
    if (restrictDataAccess !== policy.restrictDataAccess && !policy.allowNamespacePolicyOverride) {
      throw new ApiError(
        "validation",
        `The account's data access policy (restrictDataAccess ${policy.restrictDataAccess}) does not allow namespaces to override it.`,
        {},
        { field: "dataAccessPolicy.restrictDataAccess" },
      );
    }
    const wanted: Namespace = {
      accountId: scope.account.id,
      network: scope.network,
      name: request.namespace,
      retentionInSeconds: request.retentionInSeconds,
      geoLocation,
      groupId: request.groupId,
      restrictDataAccess,
      createdAt: clock.now(),
    };
    const result = await store.namespaces.createWithinLimit(wanted, { limit: namespaceLimit });
    if (result === "limit") {
      throw new ApiError(
        "kv_limit",
        `Each account is allowed ${namespaceLimit} namespaces. This limit has already been reached.`,
      );
    }
    if (result === "created") return wanted;
    const stored = await existing(scope, request.namespace);
    if (!sameConfiguration(stored, wanted)) {
      throw new ApiError(
        "kv_conflict",
        `Namespace ${request.namespace} already exists with a different configuration.`,
        {},
        { field: "namespace" },
      );
    }
    return stored;
  }

  /** Only the retention can change; groupId goes through reauthorization, geoLocation never changes. */
  async function updateNamespace(
    scope: KvScope,
    name: string,
    request: UpdateNamespaceRequest,
  ): Promise<Namespace> {
    await begin(scope);
    const current = await existing(scope, name);
    if (request.namespace !== name) {
      throw new ApiError(
        "validation",
        `The namespace in the body must be ${name}, the namespace in the URL.`,
        {},
        { field: "namespace" },
      );
    }
    if (request.groupId !== undefined && request.groupId !== current.groupId) {
      throw new ApiError(
        "validation",
        "groupId changes must be made through the reauthorize endpoint.",
        {},
        {
          field: "groupId",
        },
      );
    }
    if (request.geoLocation !== undefined && request.geoLocation !== current.geoLocation) {
      throw new ApiError(
        "validation",
        "The geoLocation of a namespace cannot be changed.",
        {},
        {
          field: "geoLocation",
        },
      );
    }
    if (request.retentionInSeconds === current.retentionInSeconds) return current;
    if (name === DEFAULT_NAMESPACE) {
      throw new ApiError(
        "validation",
        "The retention period of the default namespace cannot be changed.",
        {},
        { field: "retentionInSeconds" },
      );
    }
    const updated = await store.namespaces.setRetention({
      ...keyOf(scope, name),
      retentionInSeconds: request.retentionInSeconds,
    });
    if (updated === null) throw namespaceMissing();
    return updated;
  }

  /**
   * Deletes at once with `sync`, else schedules the deletion (asking again keeps the first time).
   * Items go with the namespace; tokens that name it are left as they are.
   */
  async function deleteNamespace(
    scope: KvScope,
    name: string,
    { sync }: { sync: boolean },
  ): Promise<NamespaceDeletion> {
    const cpcode = await begin(scope);
    await existing(scope, name);
    if (name === DEFAULT_NAMESPACE)
      throw new ApiError("kv_validation", "The default namespace cannot be deleted.");
    if (sync) {
      if (!(await store.namespaces.delete(keyOf(scope, name)))) throw namespaceMissing();
      return { kind: "deleted", cpcode };
    }
    const at = new Date(clock.now().getTime() + namespaceDeleteDelaySeconds * 1000);
    const scheduled = await store.namespaces.scheduleDelete({ ...keyOf(scope, name), at });
    if (scheduled === null) throw namespaceMissing();
    return { kind: "scheduled", scheduledDeleteTime: scheduled };
  }

  async function listGroups(scope: KvScope, namespace: string): Promise<string[]> {
    await begin(scope);
    await existing(scope, namespace);
    const groups = await store.items.listGroups({
      accountId: scope.account.id,
      network: scope.network,
      namespace,
      now: clock.now(),
      limit: MAX_GROUPS_PER_LIST,
    });
    if (groups.length === 0) throw new ApiError("kv_not_found", "There are no groups.");
    return groups;
  }

  /** `maxItems`: 1 to 100 (the route checks the query); the default is 100. */
  async function listKeys(
    scope: KvScope,
    namespace: string,
    group: string,
    { maxItems = MAX_KEYS_PER_LIST }: { maxItems?: number } = {},
  ): Promise<string[]> {
    await begin(scope);
    await existing(scope, namespace);
    const keys = await store.items.listKeys({
      accountId: scope.account.id,
      network: scope.network,
      namespace,
      group,
      now: clock.now(),
      limit: Math.min(Math.max(1, maxItems), MAX_KEYS_PER_LIST),
    });
    if (keys.length === 0) throw new ApiError("kv_not_found", "The requested group is empty or not found.");
    return keys;
  }

  async function readItem(scope: KvScope, ref: ItemRef): Promise<KvItem> {
    // The usual case in one statement: namespace, its scheduled deletion and the item at once. A
    // missing namespace or a deletion that has come takes the general path below, which deletes
    // what is due and answers as every other call does.
    if (scope.account.cpcode !== null) {
      const found = await store.items.lookup(
        {
          accountId: scope.account.id,
          network: scope.network,
          namespace: ref.namespace,
          group: ref.group,
          key: ref.key,
        },
        clock.now(),
      );
      if (found.namespace === "present") {
        if (found.item === null) throw itemMissing(ref);
        return found.item;
      }
    }
    await begin(scope);
    const { address } = await addressOf(scope, ref);
    const item = await store.items.get(address, clock.now());
    if (item === null) throw itemMissing(ref);
    return item;
  }

  /** Upserts the value (the group comes into being with its first item); renews its retention. */
  async function writeItem(
    scope: KvScope,
    ref: ItemRef,
    written: { body: Buffer; contentType: string | undefined },
  ): Promise<ItemReceipt> {
    const cpcode = await begin(scope);
    const { address, namespace } = await addressOf(scope, ref);
    const { value, contentType } = readItemValue(written.body, written.contentType);
    const now = clock.now();
    const retentionMs = namespace.retentionInSeconds * 1000;
    const stored = await store.items.put({
      ...address,
      value,
      contentType,
      updatedAt: now,
      expiresAt: retentionMs > 0 ? new Date(now.getTime() + retentionMs) : null,
    });
    if (!stored) throw namespaceMissing();
    return { ...ref, cpcode };
  }

  async function deleteItem(scope: KvScope, ref: ItemRef): Promise<ItemReceipt> {
    const cpcode = await begin(scope);
    const { address } = await addressOf(scope, ref);
    if (!(await store.items.delete(address, clock.now()))) throw itemMissing(ref);
    return { ...ref, cpcode };
  }

  /** Housekeeping for the scheduler: due namespace deletions, and expired items' storage. */
  async function runDueWork(): Promise<{ deletedNamespaces: number; purgedItems: number }> {
    const now = clock.now();
    const deletedNamespaces = await store.namespaces.deleteDue({ now });
    const purgedItems = await store.items.purgeExpired({ now, limit: PURGE_BATCH });
    return { deletedNamespaces, purgedItems };
  }

  return {
    listNamespaces,
    getNamespace,
    createNamespace,
    updateNamespace,
    deleteNamespace,
    listGroups,
    listKeys,
    readItem,
    writeItem,
    deleteItem,
    runDueWork,
  };
}
