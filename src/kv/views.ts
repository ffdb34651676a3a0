import type { Account } from "../accounts/model.ts";
import type { Namespace } from "../kv/model.ts";
import type { ItemReceipt, NamespaceDeletion } from "./kv-service.ts";

/** The namespace object of Akamai's API (create echo, read, update, and list with details). */
export function namespaceView(namespace: Namespace, account: Account) {
  return {
    namespace: namespace.name,
    retentionInSeconds: namespace.retentionInSeconds,
    geoLocation: namespace.geoLocation,
    groupId: namespace.groupId,
    dataAccessPolicy: {
      restrictDataAccess: namespace.restrictDataAccess,
      policyType:
        namespace.restrictDataAccess === account.dataAccessPolicy.restrictDataAccess
          ? "inherited"
          : "overridden",
    },
  };
}

export function namespaceListView(namespaces: readonly Namespace[], account: Account, details: boolean) {
  return {
    namespaces: namespaces.map((namespace) =>
      details ? namespaceView(namespace, account) : { namespace: namespace.name },
    ),
  };
}

/** 202 `{scheduledDeleteTime}`, or with `sync=true` the 200 body Akamai's Go client documents. */
export function namespaceDeletionView(name: string, deletion: NamespaceDeletion) {
  if (deletion.kind === "scheduled")
    return { scheduledDeleteTime: deletion.scheduledDeleteTime.toISOString() };
  return {
    operationPerformed: "DELETED",
    description: `Namespace '${name}' was successfully deleted.`,
    id: deletion.cpcode,
  };
}

export const upsertedMessage = (receipt: ItemReceipt): string =>
  `Item was upserted in KV store with database ${receipt.cpcode}, namespace ${receipt.namespace}, ` +
  `group ${receipt.group}, and key ${receipt.key}.`;

export const markedForDeletionMessage = (receipt: ItemReceipt): string =>
  `Item was marked for deletion from KV store with database ${receipt.cpcode}, namespace ${receipt.namespace}, ` +
  `group ${receipt.group}, and key ${receipt.key}.`;
