import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Clock } from "../clock.ts";
import { ApiError, type ErrorCode, isApiError } from "../errors.ts";
import { type Handler, route } from "../http/routing.ts";
import type { ItemRef, KvService } from "../kv/kv-service.ts";
import { NETWORKS, type Network } from "../kv/model.ts";
import { checkGroupName, checkItemKey, checkNamespaceName } from "../kv/names.ts";
import type { Store } from "../storage/store.ts";
import { checkCredential, type Operation, type Presented, refusal } from "../tokens/credential-check.ts";
import type { Keyring } from "../tokens/keyring.ts";

const ITEM_PATH = "/api/v1/namespaces/:namespace/groups/:group/items/:item";
/** `edgekv_uri` alone can name the network and the calling EdgeWorker (contract §6). */
const PREFIXES = ["", "/net/:network", "/ew/:ewid", "/net/:network/ew/:ewid"];

interface DataPlanePath {
  namespace: string;
  group: string;
  item: string;
  network?: string;
  ewid?: string;
}

/** Admin-side item errors, as the edge answers them: the helper library only reads the status. */
const EDGE_CODE: Partial<Record<ErrorCode, ErrorCode>> = {
  kv_not_found: "dp_not_found",
  kv_namespace_missing: "dp_not_found",
  kv_value_too_large: "dp_too_large",
  payload_too_large: "dp_too_large",
  kv_validation: "dp_bad_request",
  validation: "dp_bad_request",
  not_initialized: "dp_bad_request",
};

function presented(request: FastifyRequest): Presented {
  const jwt = request.headers["x-akamai-edgedb-auth"];
  const reference = request.headers["x-akamai-edgedb-auth-ref"];
  if (typeof reference === "string" && reference !== "") return { kind: "reference", uuid: reference.trim() };
  if (typeof jwt === "string" && jwt !== "") return { kind: "jwt", jwt: jwt.trim() };
  throw new ApiError(
    "dp_unauthorized",
    "No access token: send X-Akamai-EdgeDB-Auth (a JWT) or X-Akamai-EdgeDB-Auth-Ref (a token reference).",
  );
}

function networkOf(path: DataPlanePath): Network {
  if (path.network === undefined) return "production";
  if ((NETWORKS as readonly string[]).includes(path.network)) return path.network as Network;
  throw new ApiError(
    "dp_bad_request",
    `Unknown network ${path.network}: use /net/staging or /net/production.`,
  );
}

/**
 * The data plane: what an EdgeWorker reaches through `edgekv.js`. No EdgeGrid here; an access token
 * decides, and the item operations are the admin API's, on the token's account.
 */
export function registerDataPlaneRoutes(
  app: FastifyInstance,
  deps: { store: Store; keyring: Keyring; clock: Clock; kv: KvService },
): void {
  async function authorize(request: FastifyRequest, operation: Operation) {
    const path = request.params as DataPlanePath;
    const network = networkOf(path);
    if (path.ewid !== undefined && !/^\d{1,18}$/.test(path.ewid)) {
      throw new ApiError("dp_bad_request", `EdgeWorker id ${path.ewid} is not numeric.`);
    }
    checkNamespaceName(path.namespace);
    checkGroupName(path.group);
    checkItemKey(path.item);
    const check = await checkCredential(deps, presented(request), deps.clock.now());
    if (!check.valid)
      throw new ApiError("dp_unauthorized", `The access token is not valid: ${check.reason}.`);
    const denied = refusal(check.token, {
      network,
      namespace: path.namespace,
      operation,
      edgeWorkerId: path.ewid ?? null,
    });
    if (denied !== null) throw new ApiError("dp_forbidden", denied);
    const account = await deps.store.accounts.get(check.token.accountId);
    if (account === null)
      throw new ApiError("dp_unauthorized", "The access token's account no longer exists.");
    const ref: ItemRef = { namespace: path.namespace, group: path.group, key: path.item };
    return { scope: { account, network }, ref };
  }

  /** Item errors from the shared service keep their meaning but take the edge's shape. */
  const atTheEdge =
    (handler: Handler): Handler =>
    async (request, reply) => {
      try {
        return await handler(request, reply);
      } catch (error) {
        const code = isApiError(error) ? EDGE_CODE[error.code] : undefined;
        if (code !== undefined && isApiError(error)) throw new ApiError(code, error.message);
        throw error;
      }
    };

  const TEXT = "text/plain; charset=utf-8";
  for (const prefix of PREFIXES) {
    route(app, `${prefix}${ITEM_PATH}`, {
      GET: atTheEdge(async (request, reply) => {
        const { scope, ref } = await authorize(request, "read");
        const item = await deps.kv.readItem(scope, ref);
        return reply.type(item.contentType).send(item.value);
      }),
      PUT: atTheEdge(async (request, reply) => {
        const { scope, ref } = await authorize(request, "write");
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        await deps.kv.writeItem(scope, ref, { body, contentType: request.headers["content-type"] });
        return reply.type(TEXT).send("OK");
      }),
      DELETE: atTheEdge(async (request, reply) => {
        const { scope, ref } = await authorize(request, "delete");
        await deps.kv.deleteItem(scope, ref);
        return reply.type(TEXT).send("OK");
      }),
    });
  }
}
