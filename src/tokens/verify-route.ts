import type { FastifyInstance } from "fastify";
import { requireCapability } from "../accounts/capabilities.ts";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import { callerOf } from "../http/authenticate.ts";
import { route } from "../http/routing.ts";
import { parseStrictJson } from "../http/strict-json.ts";
import { NETWORKS, type Network } from "../kv/model.ts";
import type { Store } from "../storage/store.ts";
import {
  type CredentialCheck,
  checkCredential,
  type Operation,
  type Presented,
  refusal,
} from "./credential-check.ts";
import type { Keyring } from "./keyring.ts";
import { activationStatus } from "./model.ts";
import { mayActOn } from "./token-access.ts";

const OPERATIONS: Record<string, Operation> = {
  GET: "read",
  PUT: "write",
  DELETE: "delete",
  read: "read",
  write: "write",
  delete: "delete",
};

interface VerifyRequest {
  presented: Presented;
  access: { network: Network; namespace: string; operation: Operation; edgeWorkerId: string | null } | null;
}

function readVerifyRequest(body: unknown): VerifyRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError(
      "validation",
      'Send {"token": "<JWT>"} or {"reference": "<uuid>"}, optionally with network, namespace, operation and edgeWorkerId.',
    );
  }
  const fields = body as Record<string, unknown>;
  const { token, reference, network, namespace, operation, edgeWorkerId } = fields;
  if ((token === undefined) === (reference === undefined)) {
    throw new ApiError("validation", 'Send exactly one of "token" (a JWT) and "reference" (a token uuid).');
  }
  if (typeof (token ?? reference) !== "string")
    throw new ApiError("validation", '"token" and "reference" must be strings.');
  const presented: Presented =
    typeof token === "string" ? { kind: "jwt", jwt: token } : { kind: "reference", uuid: String(reference) };
  if (
    network === undefined &&
    namespace === undefined &&
    operation === undefined &&
    edgeWorkerId === undefined
  ) {
    return { presented, access: null };
  }
  if (typeof network !== "string" || !(NETWORKS as readonly string[]).includes(network)) {
    throw new ApiError("validation", 'To check access, give "network" as staging or production.');
  }
  if (typeof namespace !== "string" || namespace === "")
    throw new ApiError("validation", 'To check access, give "namespace".');
  const op = typeof operation === "string" ? OPERATIONS[operation] : undefined;
  if (op === undefined)
    throw new ApiError("validation", '"operation" must be read, write or delete (or GET, PUT, DELETE).');
  if (
    edgeWorkerId !== undefined &&
    edgeWorkerId !== null &&
    !(typeof edgeWorkerId === "string" && /^\d+$/.test(edgeWorkerId))
  ) {
    throw new ApiError("validation", '"edgeWorkerId" must be a string of digits.');
  }
  return {
    presented,
    access: {
      network: network as Network,
      namespace,
      operation: op,
      edgeWorkerId: typeof edgeWorkerId === "string" ? edgeWorkerId : null,
    },
  };
}

/**
 * `POST /_edgekv/v1/tokens/verify`: says whether a JWT or reference is valid now and what it grants,
 * for self-hosted edges and for debugging a data-plane 401/403.
 */
export function registerVerifyRoute(
  app: FastifyInstance,
  deps: { store: Store; keyring: Keyring; clock: Clock },
) {
  route(app, "/tokens/verify", {
    POST: async (request) => {
      const { client, account } = callerOf(request);
      requireCapability(client, "VIEW_TOKEN", "VIEW_STAGING_TOKEN");
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const { presented, access } = readVerifyRequest(parseStrictJson(raw));
      const now = deps.clock.now();
      let check: CredentialCheck = await checkCredential(deps, presented, now);
      // Another account's token, or one this client may not view, is reported as unknown.
      if (
        check.token !== null &&
        (check.token.accountId !== account.id || !mayActOn(client, "view", check.token))
      ) {
        check = { valid: false, reason: "unknown-token", token: null };
      }
      const token = check.token;
      const denied = access !== null && check.valid ? refusal(check.token, access) : undefined;
      return {
        valid: check.valid,
        ...(check.valid ? { credential: check.via } : { reason: check.reason }),
        token:
          token === null
            ? null
            : {
                name: token.name,
                uuid: token.uuid,
                kind: token.kind,
                tokenActivationStatus: activationStatus(token, now),
                expiry: token.expiry,
                allowOnProduction: token.allowOnProduction,
                allowOnStaging: token.allowOnStaging,
                namespacePermissions: token.namespacePermissions,
                restrictToEdgeWorkerIds: token.edgeWorkerIds,
              },
        ...(denied === undefined
          ? {}
          : { access: denied === null ? { allowed: true } : { allowed: false, reason: denied } }),
      };
    },
  });
}
