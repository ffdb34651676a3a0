import type { Caller } from "../accounts/caller.ts";
import { anyCapability } from "../accounts/capabilities.ts";
import { type AuthScheme, defineRoute, json, jsonBody } from "../http/route.ts";
import type { Initializer } from "./initialize.ts";
import {
  authGroupParams,
  authNamespaceParams,
  databasePolicyBody,
  initializationResponse,
  permissionGroupResponse,
  permissionGroupsResponse,
  reauthorizeBody,
  reauthorizedResponse,
} from "./kv-schemas.ts";
import type { PermissionGroups } from "./permission-groups.ts";
import { initializationStatus } from "./views.ts";

/** Akamai's `/edgekv/v1/auth` endpoints: permission groups, reauthorizing a namespace, the data policy. */
export function authRoutes({
  groups,
  initializer,
  edgegrid,
}: {
  groups: PermissionGroups;
  initializer: Initializer;
  edgegrid: AuthScheme<Caller>;
}) {
  const tags = ["Permission groups"];
  return [
    defineRoute({
      operationId: "listPermissionGroups",
      method: "GET",
      path: "/edgekv/v1/auth/groups",
      summary: "List permission groups",
      description: "The account's groups (those its namespaces are in) and what this client may do in them.",
      tags,
      auth: edgegrid,
      responses: { 200: json(permissionGroupsResponse, "The groups.") },
      errors: ["not_initialized"],
      handler: async ({ caller: { account, client } }) => ({
        status: 200,
        body: { groups: await groups.list(account, client) },
      }),
    }),
    defineRoute({
      operationId: "getPermissionGroup",
      method: "GET",
      path: "/edgekv/v1/auth/groups/{groupId}",
      summary: "Get a permission group",
      tags,
      auth: edgegrid,
      params: authGroupParams,
      responses: { 200: json(permissionGroupResponse, "The group.") },
      errors: ["not_initialized", "forbidden"],
      handler: async ({ caller: { account, client }, params }) => ({
        status: 200,
        body: await groups.get(account, client, params.groupId),
      }),
    }),
    defineRoute({
      operationId: "reauthorizeNamespace",
      method: "PUT",
      path: "/edgekv/v1/auth/namespaces/{namespaceId}",
      summary: "Reauthorize a namespace",
      description:
        "Moves the namespace to another permission group, on every network it exists on: the only way its groupId changes.",
      tags,
      auth: edgegrid,
      invalid: { params: "kv_validation" },
      params: authNamespaceParams,
      body: jsonBody(reauthorizeBody, "The new group."),
      responses: { 200: json(reauthorizedResponse, "The namespace's group now.") },
      errors: ["not_initialized", "kv_not_authorized"],
      // Every network the namespace exists on.
      audit: { action: "namespace.reauthorize", target: ({ params }) => `namespaces/${params.namespaceId}` },
      handler: async ({ caller: { account, client }, params, body }) => ({
        status: 200,
        body: await groups.reauthorize(account, client, params.namespaceId, body.groupId),
      }),
    }),
    defineRoute({
      operationId: "setDataAccessPolicy",
      method: "PUT",
      path: "/edgekv/v1/auth/database",
      summary: "Modify the default data access policy",
      description: "The policy new namespaces take; namespaces that exist keep theirs.",
      tags: ["Initialization"],
      auth: edgegrid,
      access: anyCapability("CREATE_NAMESPACE"),
      body: jsonBody(databasePolicyBody, "The policy's new settings."),
      responses: { 200: json(initializationResponse, "The account's EdgeKV status, with the new policy.") },
      errors: ["not_initialized"],
      audit: { action: "database.policy", target: () => "database" },
      handler: async ({ caller: { account }, body }) => {
        const { restrictDataAccess, allowNamespacePolicyOverride } = body.dataAccessPolicy;
        const policy = {
          restrictDataAccess: restrictDataAccess ?? account.dataAccessPolicy.restrictDataAccess,
          allowNamespacePolicyOverride:
            allowNamespacePolicyOverride ?? account.dataAccessPolicy.allowNamespacePolicyOverride,
        };
        return {
          status: 200,
          body: initializationStatus(await initializer.setDataAccessPolicy(account, policy)),
        };
      },
    }),
  ];
}
