import type { z } from "zod";
import type { Account } from "../accounts/model.ts";
import type {
  initializationResponse,
  namespaceDeletedResponse,
  namespaceListResponse,
  namespaceResponse,
  namespaceScheduledResponse,
} from "./kv-schemas.ts";
import type { ItemReceipt, NamespaceDeletion } from "./kv-service.ts";
import type { Namespace } from "./model.ts";

/** The account status shape of `GET /edgekv/v1/initialize`. */
export function initializationStatus(account: Account): z.input<typeof initializationResponse> {
  const status = account.initializedAt === null ? "UNINITIALIZED" : "INITIALIZED";
  return {
    accountStatus: status,
    cpcode: account.cpcode,
    productionStatus: status,
    stagingStatus: status,
    dataAccessPolicy: account.dataAccessPolicy,
  };
}

/** The namespace object of Akamai's API (create echo, read, update, and list with details). */
export function namespaceView(namespace: Namespace, account: Account): z.input<typeof namespaceResponse> {
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

export function namespaceListView(
  namespaces: readonly Namespace[],
  account: Account,
  details: boolean,
): z.input<typeof namespaceListResponse> {
  return {
    namespaces: namespaces.map((namespace) =>
      details ? namespaceView(namespace, account) : { namespace: namespace.name },
    ),
  };
}

/** 202 `{scheduledDeleteTime}`, or with `sync=true` the 200 body Akamai's Go client documents. */
export function namespaceDeletionView(
  name: string,
  deletion: Extract<NamespaceDeletion, { kind: "scheduled" }>,
): z.input<typeof namespaceScheduledResponse>;
export function namespaceDeletionView(
  name: string,
  deletion: Extract<NamespaceDeletion, { kind: "deleted" }>,
): z.input<typeof namespaceDeletedResponse>;
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
