import { z } from "zod";
import type { Caller } from "../accounts/caller.ts";
import { anyCapability } from "../accounts/capabilities.ts";
import type { Clock } from "../clock.ts";
import { type AuthScheme, defineRoute, json, jsonBody } from "../http/route.ts";
import { NETWORKS } from "../kv/model.ts";
import { EDGEWORKER_ID } from "../rules/edgeworker-ids.ts";
import type { Store } from "../storage/store.ts";
import {
  type CredentialCheck,
  checkCredential,
  INVALID_REASONS,
  type Operation,
  refusal,
} from "./credential-check.ts";
import type { Keyring } from "./keyring.ts";
import { activationStatus } from "./model.ts";
import { mayActOn } from "./token-access.ts";

const STRINGS = '"token" and "reference" must be strings.';
const NETWORK = 'To check access, give "network" as staging or production.';
const NAMESPACE = 'To check access, give "namespace".';
const OPERATION = '"operation" must be read, write or delete (or GET, PUT, DELETE).';
const EDGEWORKER = '"edgeWorkerId" must be a string of digits.';

/** The operation by name, or by the data-plane method that performs it. */
const OPERATION_OF: Readonly<Record<string, Operation>> = {
  read: "read",
  write: "write",
  delete: "delete",
  GET: "read",
  PUT: "write",
  DELETE: "delete",
};

const verifyBody = z
  .object(
    {
      token: z
        .string({ error: STRINGS })
        .optional()
        .meta({ description: "A token JWT (a legacy token's value)." }),
      reference: z
        .string({ error: STRINGS })
        .optional()
        .meta({ description: "A token reference (an enhanced token's uuid)." }),
      network: z.enum(NETWORKS, { error: NETWORK }).optional(),
      namespace: z.string({ error: NAMESPACE }).min(1, NAMESPACE).optional(),
      operation: z
        .enum(["read", "write", "delete", "GET", "PUT", "DELETE"], { error: OPERATION })
        .optional()
        .transform((name) => (name === undefined ? undefined : OPERATION_OF[name])),
      edgeWorkerId: z
        .string({ error: EDGEWORKER })
        .regex(EDGEWORKER_ID, EDGEWORKER)
        .nullish()
        .meta({ description: "The calling EdgeWorker's id, for tokens restricted to EdgeWorker ids." }),
    },
    {
      error:
        'Send {"token": "<JWT>"} or {"reference": "<uuid>"}, optionally with network, namespace, operation and edgeWorkerId.',
    },
  )
  .superRefine((body, context) => {
    if ((body.token === undefined) === (body.reference === undefined)) {
      context.addIssue({
        code: "custom",
        message: 'Send exactly one of "token" (a JWT) and "reference" (a token uuid).',
      });
      return;
    }
    const asksAccess = [body.network, body.namespace, body.operation, body.edgeWorkerId].some(
      (field) => field !== undefined,
    );
    if (!asksAccess) return;
    const missing =
      body.network === undefined ? NETWORK : body.namespace === undefined ? NAMESPACE : OPERATION;
    if (body.network === undefined || body.namespace === undefined || body.operation === undefined) {
      context.addIssue({ code: "custom", message: missing });
    }
  })
  .transform((body) => ({
    presented:
      body.token !== undefined
        ? ({ kind: "jwt", jwt: body.token } as const)
        : ({ kind: "reference", uuid: body.reference ?? "" } as const),
    access:
      body.network === undefined || body.namespace === undefined || body.operation === undefined
        ? null
        : {
            network: body.network,
            namespace: body.namespace,
            operation: body.operation,
            edgeWorkerId: body.edgeWorkerId ?? null,
          },
  }));

const verifyResponse = z.object({
  valid: z.boolean(),
  credential: z
    .enum(["current", "previous"])
    .optional()
    .meta({ description: "Valid: the current credential, or the previous one during a refresh." }),
  reason: z.enum(INVALID_REASONS).optional().meta({ description: "Not valid: why." }),
  token: z
    .object({
      name: z.string(),
      uuid: z.string(),
      kind: z.enum(["enhanced", "legacy"]),
      tokenActivationStatus: z.enum(["IN_PROGRESS", "COMPLETE", "ERROR"]),
      expiry: z.string(),
      allowOnProduction: z.boolean(),
      allowOnStaging: z.boolean(),
      namespacePermissions: z.record(z.string(), z.array(z.enum(["r", "w", "d"]))),
      restrictToEdgeWorkerIds: z.array(z.string()).nullable(),
    })
    .nullable(),
  access: z
    .union([
      z.object({ allowed: z.literal(true) }),
      z.object({ allowed: z.literal(false), reason: z.string() }),
    ])
    .optional()
    .meta({ description: "When network, namespace and operation were given: whether the token allows it." }),
});

/**
 * `POST /_edgekv/v1/tokens/verify`: whether a JWT or reference is valid now and what it grants, for
 * self-hosted edges and for debugging a data-plane 401/403.
 */
export function verifyRoute({
  store,
  keyring,
  clock,
  edgegrid,
}: {
  store: Store;
  keyring: Keyring;
  clock: Clock;
  edgegrid: AuthScheme<Caller>;
}) {
  return defineRoute({
    operationId: "verifyToken",
    method: "POST",
    path: "/_edgekv/v1/tokens/verify",
    summary: "Check a token credential (edgekv-server)",
    description:
      "Says whether a JWT or reference opens anything now, what it grants, and optionally whether it allows one operation.",
    tags: ["edgekv-server"],
    auth: edgegrid,
    access: anyCapability("VIEW_TOKEN", "VIEW_STAGING_TOKEN"),
    body: jsonBody(verifyBody, "The credential, and optionally the access to check."),
    responses: { 200: json(verifyResponse, "The verdict.") },
    errors: [],
    handler: async ({ caller: { client, account }, body: { presented, access } }) => {
      const now = clock.now();
      let check: CredentialCheck = await checkCredential({ store, keyring }, presented, now);
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
        status: 200,
        body: {
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
            : {
                access:
                  denied === null
                    ? ({ allowed: true } as const)
                    : { allowed: false as const, reason: denied },
              }),
        },
      };
    },
  });
}
