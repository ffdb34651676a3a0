import type { Caller } from "../accounts/caller.ts";
import { anyCapability } from "../accounts/capabilities.ts";
import {
  type AuthScheme,
  bytes,
  defineRoute,
  json,
  jsonBody,
  type MatchedParams,
  rawBody,
  text,
} from "../http/route.ts";
import type { Initializer } from "./initialize.ts";
import { kvAccess } from "./kv-capabilities.ts";
import {
  createNamespaceBody,
  deleteNamespaceQuery,
  groupParams,
  initializationResponse,
  initializeBody,
  itemDeletedResponse,
  itemParams,
  itemQuery,
  itemWrittenResponse,
  listKeysQuery,
  listNamespacesQuery,
  namespaceDeletedResponse,
  namespaceListResponse,
  namespaceParams,
  namespaceResponse,
  namespaceScheduledResponse,
  namesResponse,
  networkParams,
  updateNamespaceBody,
} from "./kv-schemas.ts";
import type { ItemRef, KvService } from "./kv-service.ts";
import { ITEM_CONTENT_TYPES } from "./model.ts";
import {
  initializationStatus,
  markedForDeletionMessage,
  namespaceDeletionView,
  namespaceListView,
  namespaceView,
  upsertedMessage,
} from "./views.ts";

const NAMESPACES = "/edgekv/v1/networks/{network}/namespaces";
const NAMESPACE = `${NAMESPACES}/{namespaceId}`;
const GROUP = `${NAMESPACE}/groups/{groupId}`;
const ITEM = `${GROUP}/items/{itemId}`;
/** Names in kv paths answer EdgeKV's namespace/item error code; query flags the general one. */
const PATH_INVALID = { params: "kv_validation", query: "validation" } as const;

/** The audit target of a namespace: `production/namespaces/ns`, or `production/namespaces`. */
const namespaceTarget = (network: string | undefined, name: string | undefined) =>
  name === undefined ? `${network}/namespaces` : `${network}/namespaces/${name}`;

/** Where an item is, as the path of a request names it (the router always sets each part). */
export interface ItemPlace {
  readonly network: string | undefined;
  readonly namespace: string | undefined;
  readonly group: string | undefined;
  readonly key: string | undefined;
}

/** The audit target of an item: `production/namespaces/ns/groups/g/items/k`. */
export const itemTarget = (place: ItemPlace) =>
  `${namespaceTarget(place.network, place.namespace)}/groups/${place.group}/items/${place.key}`;

const adminItemPlace = (params: MatchedParams): ItemPlace => ({
  network: params.network,
  namespace: params.namespaceId,
  group: params.groupId,
  key: params.itemId,
});

const refOf = (params: { namespaceId: string; groupId: string; itemId: string }): ItemRef => ({
  namespace: params.namespaceId,
  group: params.groupId,
  key: params.itemId,
});

/** EdgeKV's initialization, namespaces, groups and items on the admin API (§4 of the contract). */
export function kvRoutes({
  kv,
  initializer,
  edgegrid,
}: {
  kv: KvService;
  initializer: Initializer;
  edgegrid: AuthScheme<Caller>;
}) {
  const common = { auth: edgegrid, invalid: PATH_INVALID } as const;
  return [
    defineRoute({
      ...common,
      operationId: "getInitializationStatus",
      method: "GET",
      path: "/edgekv/v1/initialize",
      summary: "Read the account's EdgeKV status",
      tags: ["Initialization"],
      access: anyCapability("VIEW_NAMESPACE", "VIEW_STAGING_NAMESPACE"),
      responses: {
        200: json(initializationResponse, "EdgeKV is initialized on the account."),
        404: json(initializationResponse, "Not initialized yet: the same shape, with UNINITIALIZED."),
      },
      errors: [],
      handler: async ({ caller: { account } }) => ({
        status: account.initializedAt === null ? 404 : 200,
        body: initializationStatus(account),
      }),
    }),
    defineRoute({
      ...common,
      operationId: "initialize",
      method: "PUT",
      path: "/edgekv/v1/initialize",
      summary: "Initialize EdgeKV on the account",
      description: "Creates the account's CP code and the `default` namespace on both networks; once.",
      tags: ["Initialization"],
      access: anyCapability("CREATE_NAMESPACE"),
      body: jsonBody(initializeBody, "Optional: the account's data access policy.", { optional: true }),
      responses: {
        200: json(initializationResponse, "Already initialized: nothing changed."),
        201: json(initializationResponse, "Initialized now."),
      },
      errors: [],
      audit: { action: "account.initialize", target: () => "account" },
      handler: async ({ caller: { account }, body }) => {
        if (account.initializedAt !== null) return { status: 200, body: initializationStatus(account) };
        const initialized = await initializer.initialize(account.id, body?.dataAccessPolicy);
        return { status: 201, body: initializationStatus(initialized) };
      },
    }),
    defineRoute({
      ...common,
      operationId: "listNamespaces",
      method: "GET",
      path: NAMESPACES,
      summary: "List namespaces",
      tags: ["Namespaces"],
      params: networkParams,
      access: kvAccess("viewNamespace"),
      query: listNamespacesQuery,
      responses: { 200: json(namespaceListResponse, "Names only, or with `details` every setting.") },
      errors: ["not_initialized"],
      handler: async ({ caller: { account }, params: { network }, query }) => ({
        status: 200,
        body: namespaceListView(await kv.listNamespaces({ account, network }), account, query.details),
      }),
    }),
    defineRoute({
      ...common,
      operationId: "createNamespace",
      method: "POST",
      path: NAMESPACES,
      summary: "Create a namespace",
      description: "Asking again with the same settings answers the same namespace.",
      tags: ["Namespaces"],
      params: networkParams,
      access: kvAccess("createNamespace"),
      body: jsonBody(createNamespaceBody, "The namespace's name and settings."),
      responses: { 200: json(namespaceResponse, "The namespace.") },
      errors: ["not_initialized", "kv_conflict", "kv_limit"],
      audit: {
        action: "namespace.create",
        target: ({ params, body }) => namespaceTarget(params.network, body?.namespace),
      },
      handler: async ({ caller: { account }, params: { network }, body }) => ({
        status: 200,
        body: namespaceView(await kv.createNamespace({ account, network }, body), account),
      }),
    }),
    defineRoute({
      ...common,
      operationId: "getNamespace",
      method: "GET",
      path: NAMESPACE,
      summary: "Read a namespace",
      tags: ["Namespaces"],
      params: namespaceParams,
      access: kvAccess("viewNamespace"),
      responses: { 200: json(namespaceResponse, "The namespace.") },
      errors: ["not_initialized", "kv_namespace_missing"],
      handler: async ({ caller: { account }, params }) => ({
        status: 200,
        body: namespaceView(
          await kv.getNamespace({ account, network: params.network }, params.namespaceId),
          account,
        ),
      }),
    }),
    defineRoute({
      ...common,
      operationId: "updateNamespace",
      method: "PUT",
      path: NAMESPACE,
      summary: "Change a namespace's retention",
      tags: ["Namespaces"],
      params: namespaceParams,
      access: kvAccess("modifyNamespace"),
      body: jsonBody(updateNamespaceBody, "The namespace with its new retention."),
      responses: { 200: json(namespaceResponse, "The namespace as changed.") },
      errors: ["not_initialized", "kv_namespace_missing"],
      audit: {
        action: "namespace.update",
        target: ({ params }) => namespaceTarget(params.network, params.namespaceId),
      },
      handler: async ({ caller: { account }, params, body }) => {
        const scope = { account, network: params.network };
        return {
          status: 200,
          body: namespaceView(await kv.updateNamespace(scope, params.namespaceId, body), account),
        };
      },
    }),
    defineRoute({
      ...common,
      operationId: "deleteNamespace",
      method: "DELETE",
      path: NAMESPACE,
      summary: "Delete a namespace and its items",
      description: "Scheduled (202) unless `sync=true`. Tokens that name the namespace are left as they are.",
      tags: ["Namespaces"],
      params: namespaceParams,
      access: kvAccess("deleteNamespace"),
      query: deleteNamespaceQuery,
      responses: {
        200: json(namespaceDeletedResponse, "Deleted now (`sync=true`)."),
        202: json(namespaceScheduledResponse, "Deletion scheduled; asking again keeps the first time."),
      },
      errors: ["not_initialized", "kv_namespace_missing", "kv_validation"],
      audit: {
        action: "namespace.delete",
        target: ({ params }) => namespaceTarget(params.network, params.namespaceId),
      },
      handler: async ({ caller: { account }, params, query }) => {
        const scope = { account, network: params.network };
        const deletion = await kv.deleteNamespace(scope, params.namespaceId, { sync: query.sync });
        return deletion.kind === "scheduled"
          ? { status: 202, body: namespaceDeletionView(params.namespaceId, deletion) }
          : { status: 200, body: namespaceDeletionView(params.namespaceId, deletion) };
      },
    }),
    defineRoute({
      ...common,
      operationId: "listGroups",
      method: "GET",
      path: `${NAMESPACE}/groups`,
      summary: "List the groups that hold items",
      tags: ["Items"],
      params: namespaceParams,
      access: kvAccess("readData"),
      query: itemQuery,
      responses: { 200: json(namesResponse("Group names, sorted."), "The groups.") },
      errors: ["not_initialized", "kv_namespace_missing", "kv_not_found"],
      handler: async ({ caller: { account }, params }) => ({
        status: 200,
        body: await kv.listGroups({ account, network: params.network }, params.namespaceId),
      }),
    }),
    defineRoute({
      ...common,
      invalid: { params: "kv_validation", query: "kv_validation" },
      operationId: "listItemKeys",
      method: "GET",
      path: GROUP,
      summary: "List a group's item keys",
      tags: ["Items"],
      params: groupParams,
      access: kvAccess("readData"),
      query: listKeysQuery,
      responses: { 200: json(namesResponse("Item keys, sorted."), "The keys.") },
      errors: ["not_initialized", "kv_namespace_missing", "kv_not_found"],
      handler: async ({ caller: { account }, params, query }) => ({
        status: 200,
        body: await kv.listKeys(
          { account, network: params.network },
          params.namespaceId,
          params.groupId,
          query.maxItems === undefined ? {} : { maxItems: query.maxItems },
        ),
      }),
    }),
    defineRoute({
      ...common,
      operationId: "readItem",
      method: "GET",
      path: ITEM,
      summary: "Read an item",
      description: "The value's bytes exactly as written, with the type it was written as.",
      tags: ["Items"],
      params: itemParams,
      access: kvAccess("readData"),
      query: itemQuery,
      responses: { 200: bytes("The value.", ITEM_CONTENT_TYPES) },
      errors: ["not_initialized", "kv_namespace_missing", "kv_not_found"],
      handler: async ({ caller: { account }, params }) => {
        const item = await kv.readItem({ account, network: params.network }, refOf(params));
        return { status: 200, body: item.value, type: item.contentType };
      },
    }),
    defineRoute({
      ...common,
      operationId: "writeItem",
      method: "PUT",
      path: ITEM,
      summary: "Write an item",
      description:
        "Upserts the value: JSON with Content-Type application/json, anything else is stored as UTF-8 text. " +
        "The group comes into being with its first item.",
      tags: ["Items"],
      params: itemParams,
      access: kvAccess("writeData"),
      query: itemQuery,
      body: rawBody("The value, up to 262144 characters.", ["application/json", "text/plain"]),
      responses: { 200: text(itemWrittenResponse, "Written.") },
      errors: ["not_initialized", "kv_namespace_missing", "kv_validation", "kv_value_too_large"],
      audit: { action: "item.write", target: ({ params }) => itemTarget(adminItemPlace(params)) },
      handler: async ({ caller: { account }, params, body }) => {
        const receipt = await kv.writeItem({ account, network: params.network }, refOf(params), {
          body: body.bytes,
          contentType: body.contentType,
        });
        return { status: 200, body: upsertedMessage(receipt) };
      },
    }),
    defineRoute({
      ...common,
      operationId: "deleteItem",
      method: "DELETE",
      path: ITEM,
      summary: "Delete an item",
      tags: ["Items"],
      params: itemParams,
      access: kvAccess("deleteData"),
      query: itemQuery,
      responses: { 200: text(itemDeletedResponse, "Deleted.") },
      errors: ["not_initialized", "kv_namespace_missing", "kv_not_found"],
      audit: { action: "item.delete", target: ({ params }) => itemTarget(adminItemPlace(params)) },
      handler: async ({ caller: { account }, params }) => {
        const receipt = await kv.deleteItem({ account, network: params.network }, refOf(params));
        return { status: 200, body: markedForDeletionMessage(receipt) };
      },
    }),
  ];
}
