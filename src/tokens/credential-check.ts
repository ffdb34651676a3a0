import type { Network } from "../kv/model.ts";
import type { Permission } from "../rules/permissions.ts";
import { isTokenUuid } from "../rules/token-credential.ts";
import type { Store } from "../storage/store.ts";
import type { Keyring } from "./keyring.ts";
import { activationStatus, isExpired, type Token } from "./model.ts";
import { checkTokenJwt } from "./token-jwt.ts";

/** What a data-plane caller presents: a token JWT (legacy) or a token uuid reference (enhanced). */
export type Presented = { kind: "jwt"; jwt: string } | { kind: "reference"; uuid: string };

/** Why a credential opens nothing. */
export const INVALID_REASONS = [
  "malformed",
  "claims",
  "unknown-key",
  "bad-signature",
  "expired",
  "unknown-token",
  "revoked",
  "not-active",
  "activation-failed",
  "superseded",
] as const;
export type InvalidReason = (typeof INVALID_REASONS)[number];

export type CredentialCheck =
  | { valid: true; token: Token; via: "current" | "previous" }
  | { valid: false; reason: InvalidReason; token: Token | null };

/**
 * Whether a presented credential opens anything right now. A reference stands for the token's
 * server-side JWT; during a refresh the previous JWT still counts until the new one is active.
 */
export async function checkCredential(
  { store, keyring }: { store: Store; keyring: Keyring },
  presented: Presented,
  now: Date,
): Promise<CredentialCheck> {
  let token: Token | null;
  let presentedJwt: string | null = null;
  if (presented.kind === "reference") {
    if (!isTokenUuid(presented.uuid)) return { valid: false, reason: "malformed", token: null };
    token = await store.tokens.getByUuid(presented.uuid.toLowerCase());
  } else {
    const jwt = await checkTokenJwt(keyring, presented.jwt, now);
    if (!jwt.ok) return { valid: false, reason: jwt.reason, token: null };
    token = await store.tokens.getByUuid(jwt.jti);
    if (token !== null && token.accountId !== jwt.accountId) token = null;
    presentedJwt = presented.jwt;
  }
  if (token === null) return { valid: false, reason: "unknown-token", token: null };
  if (token.revokedAt !== null) return { valid: false, reason: "revoked", token };
  if (isExpired(token, now)) return { valid: false, reason: "expired", token };

  const status = activationStatus(token, now);
  const usable: Array<["current" | "previous", string]> = [];
  if (status === "COMPLETE") usable.push(["current", token.credential]);
  else if (token.previousCredential !== null) usable.push(["previous", token.previousCredential]);
  if (usable.length === 0) {
    return { valid: false, reason: status === "ERROR" ? "activation-failed" : "not-active", token };
  }
  // A reference stands for whichever credential is in force; a JWT must be that credential.
  const match = usable.find(([, credential]) => presentedJwt === null || presentedJwt === credential);
  if (match === undefined) return { valid: false, reason: "superseded", token };
  return { valid: true, token, via: match[0] };
}

export const OPERATIONS = ["read", "write", "delete"] as const;
export type Operation = (typeof OPERATIONS)[number];
const LETTER: Record<Operation, Permission> = { read: "r", write: "w", delete: "d" };

/** Why a valid token may not do this, or null when it may. */
export function refusal(
  token: Token,
  request: { network: Network; namespace: string; operation: Operation; edgeWorkerId: string | null },
): string | null {
  if (request.network === "staging" ? !token.allowOnStaging : !token.allowOnProduction) {
    return `Token ${token.name} is not allowed on the ${request.network} network.`;
  }
  if (
    token.edgeWorkerIds !== null &&
    (request.edgeWorkerId === null || !token.edgeWorkerIds.includes(request.edgeWorkerId))
  ) {
    return request.edgeWorkerId === null
      ? `Token ${token.name} is restricted to EdgeWorker ids ${token.edgeWorkerIds.join(", ")}; the request names none (use the /ew/{id} prefix).`
      : `Token ${token.name} is not valid for EdgeWorker id ${request.edgeWorkerId}.`;
  }
  const permissions = Object.hasOwn(token.namespacePermissions, request.namespace)
    ? token.namespacePermissions[request.namespace]
    : undefined;
  if (permissions === undefined)
    return `Token ${token.name} grants nothing on namespace ${request.namespace}.`;
  if (!permissions.includes(LETTER[request.operation])) {
    return `Token ${token.name} lacks the "${LETTER[request.operation]}" permission on namespace ${request.namespace}.`;
  }
  return null;
}
