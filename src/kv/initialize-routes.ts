import type { FastifyInstance } from "fastify";
import { requireCapability } from "../accounts/capabilities.ts";
import type { Account } from "../accounts/model.ts";
import { ApiError } from "../errors.ts";
import { callerOf } from "../http/authenticate.ts";
import { route } from "../http/routing.ts";
import { parseStrictJson } from "../http/strict-json.ts";
import type { Initializer } from "./initialize.ts";

/** The account status shape of `GET /edgekv/v1/initialize`. */
function initializationStatus(account: Account) {
  const status = account.initializedAt === null ? "UNINITIALIZED" : "INITIALIZED";
  return {
    accountStatus: status,
    cpcode: account.cpcode,
    productionStatus: status,
    stagingStatus: status,
    dataAccessPolicy: account.dataAccessPolicy,
  };
}

function readPolicy(body: unknown): Account["dataAccessPolicy"] | undefined {
  if (body === undefined) return undefined;
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ApiError("validation", "The request body must be a JSON object.");
  }
  const policy = (body as Record<string, unknown>).dataAccessPolicy;
  if (policy === undefined) return undefined;
  if (typeof policy !== "object" || policy === null || Array.isArray(policy)) {
    throw new ApiError("validation", "dataAccessPolicy must be an object.");
  }
  const { restrictDataAccess = false, allowNamespacePolicyOverride = true } = policy as Record<
    string,
    unknown
  >;
  if (typeof restrictDataAccess !== "boolean" || typeof allowNamespacePolicyOverride !== "boolean") {
    throw new ApiError(
      "validation",
      "dataAccessPolicy.restrictDataAccess and dataAccessPolicy.allowNamespacePolicyOverride must be booleans.",
    );
  }
  return { restrictDataAccess, allowNamespacePolicyOverride };
}

export function registerInitializeRoutes(app: FastifyInstance, deps: { initializer: Initializer }): void {
  route(app, "/initialize", {
    GET: async (request, reply) => {
      const { client, account } = callerOf(request);
      requireCapability(client, "VIEW_NAMESPACE", "VIEW_STAGING_NAMESPACE");
      return reply.code(account.initializedAt === null ? 404 : 200).send(initializationStatus(account));
    },
    PUT: async (request, reply) => {
      const { client, account } = callerOf(request);
      requireCapability(client, "CREATE_NAMESPACE");
      const raw = Buffer.isBuffer(request.body) && request.body.length > 0 ? request.body : undefined;
      const policy = readPolicy(raw === undefined ? undefined : parseStrictJson(raw));
      if (account.initializedAt !== null) return reply.code(200).send(initializationStatus(account));
      const initialized = await deps.initializer.initialize(account.id, policy);
      return reply.code(201).send(initializationStatus(initialized));
    },
  });
}
