import { z } from "zod";
import { ApiError, type ErrorCode, isApiError } from "../errors.ts";
import {
  type Access,
  type AuthScheme,
  bytes,
  defineRoute,
  type MatchedParams,
  rawBody,
  text,
} from "../http/route.ts";
import { type ItemPlace, itemTarget } from "../kv/kv-routes.ts";
import type { ItemRef, KvService } from "../kv/kv-service.ts";
import { ITEM_CONTENT_TYPES, NETWORKS, type Network } from "../kv/model.ts";
import { EDGEWORKER_ID } from "../rules/edgeworker-ids.ts";
import { GROUP_NAME, ITEM_KEY, NAMESPACE_NAME } from "../rules/names.ts";
import { nameSchema } from "../rules/schemas.ts";
import type { TokenCaller } from "../tokens/access-token-auth.ts";
import { type Operation, refusal } from "../tokens/credential-check.ts";

const ITEM_PATH = "/api/v1/namespaces/{namespace}/groups/{group}/items/{item}";
/** `edgekv_uri` alone can name the network and the calling EdgeWorker (contract §6). */
const PREFIXES = ["", "/net/{network}", "/ew/{ewid}", "/net/{network}/ew/{ewid}"];

const params = z.object({
  network: z
    .string()
    .optional()
    .transform((value, context): Network => {
      if (value === undefined) return "production";
      const network = NETWORKS.find((known) => known === value);
      if (network === undefined) {
        context.addIssue({
          code: "custom",
          message: `Unknown network ${value}: use /net/staging or /net/production.`,
        });
        return "production";
      }
      return network;
    })
    .meta({ description: "`staging` or `production`; without the prefix, production." }),
  ewid: z
    .string()
    .optional()
    .refine((value) => value === undefined || EDGEWORKER_ID.test(value), {
      error: (issue) => `EdgeWorker id ${String(issue.input)} is not numeric.`,
    })
    .meta({ description: "The calling EdgeWorker's id; required by tokens restricted to EdgeWorker ids." }),
  namespace: nameSchema(NAMESPACE_NAME, "The namespace name."),
  group: nameSchema(GROUP_NAME, "The group name."),
  item: nameSchema(ITEM_KEY, "The item key."),
});
type DataPlaneParams = z.output<typeof params>;

/** The token must allow the operation on the network, namespace and EdgeWorker of the path: else 403. */
const permission = (operation: Operation): Access<TokenCaller, DataPlaneParams> => ({
  describe: `the token's "${operation[0]}" permission on the namespace, network and EdgeWorker id`,
  errors: ["dp_forbidden"],
  check: ({ token }, path) => {
    const denied = refusal(token, {
      network: path.network,
      namespace: path.namespace,
      operation,
      edgeWorkerId: path.ewid ?? null,
    });
    if (denied !== null) throw new ApiError("dp_forbidden", denied);
  },
});

/** Admin-side item errors, as the edge answers them: the helper library only reads the status. */
const EDGE_CODE: Partial<Record<ErrorCode, ErrorCode>> = {
  kv_not_found: "dp_not_found",
  kv_namespace_missing: "dp_not_found",
  kv_value_too_large: "dp_too_large",
  kv_validation: "dp_bad_request",
  validation: "dp_bad_request",
  not_initialized: "dp_bad_request",
};

/** Item errors from the shared service keep their meaning but take the edge's shape. */
async function atTheEdge<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    const code = isApiError(error) ? EDGE_CODE[error.code] : undefined;
    if (code !== undefined && isApiError(error)) throw new ApiError(code, error.message);
    throw error;
  }
}

const refOf = (path: DataPlaneParams): ItemRef => ({
  namespace: path.namespace,
  group: path.group,
  key: path.item,
});
/** Without a `/net/` prefix, the path names production. */
const edgeItemPlace = (path: MatchedParams): ItemPlace => ({
  network: path.network ?? "production",
  namespace: path.namespace,
  group: path.group,
  key: path.item,
});

const scopeOf = ({ account }: TokenCaller, path: DataPlaneParams) => ({ account, network: path.network });

/**
 * The data plane: what an EdgeWorker reaches through `edgekv.js`. No EdgeGrid here: an access
 * token decides, and the item operations are the admin API's, on the token's account.
 */
export function dataPlaneRoutes({ kv, auth }: { kv: KvService; auth: AuthScheme<TokenCaller> }) {
  const common = {
    auth,
    params,
    tags: ["Data plane"],
    invalid: { params: "dp_bad_request", query: "dp_bad_request", body: "dp_bad_request" },
  } as const;
  return PREFIXES.flatMap((prefix, index) => {
    const path = `${prefix}${ITEM_PATH}`;
    const suffix = ["", "OnNetwork", "ForEdgeWorker", "OnNetworkForEdgeWorker"][index] ?? String(index);
    return [
      defineRoute({
        ...common,
        operationId: `edgeReadItem${suffix}`,
        method: "GET",
        path,
        summary: "Read an item (edgekv.js getText / getJson)",
        access: permission("read"),
        responses: { 200: bytes("The value, with the type it was written as.", ITEM_CONTENT_TYPES) },
        errors: ["dp_not_found", "dp_bad_request"],
        handler: async ({ caller, params: path }) => {
          const item = await atTheEdge(kv.readItem(scopeOf(caller, path), refOf(path)));
          return { status: 200, body: item.value, type: item.contentType };
        },
      }),
      defineRoute({
        ...common,
        operationId: `edgeWriteItem${suffix}`,
        method: "PUT",
        path,
        summary: "Write an item (edgekv.js putText / putJson)",
        access: permission("write"),
        body: rawBody("The value; edgekv.js sends a string without Content-Type.", [
          "text/plain",
          "application/json",
        ]),
        responses: { 200: text(z.literal("OK"), "Written.") },
        errors: ["dp_not_found", "dp_bad_request", "dp_too_large"],
        audit: { action: "item.write", target: ({ params: path }) => itemTarget(edgeItemPlace(path)) },
        handler: async ({ caller, params: path, body }) => {
          await atTheEdge(
            kv.writeItem(scopeOf(caller, path), refOf(path), {
              body: body.bytes,
              contentType: body.contentType,
            }),
          );
          return { status: 200, body: "OK" };
        },
      }),
      defineRoute({
        ...common,
        operationId: `edgeDeleteItem${suffix}`,
        method: "DELETE",
        path,
        summary: "Delete an item (edgekv.js delete)",
        access: permission("delete"),
        responses: { 200: text(z.literal("OK"), "Deleted.") },
        errors: ["dp_not_found", "dp_bad_request"],
        audit: { action: "item.delete", target: ({ params: path }) => itemTarget(edgeItemPlace(path)) },
        handler: async ({ caller, params: path }) => {
          await atTheEdge(kv.deleteItem(scopeOf(caller, path), refOf(path)));
          return { status: 200, body: "OK" };
        },
      }),
    ];
  });
}
