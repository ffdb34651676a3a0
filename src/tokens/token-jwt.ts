import { jwtVerify, SignJWT } from "jose";
import type { Permission } from "../rules/permissions.ts";
import type { Keyring } from "./keyring.ts";

export const TOKEN_ISSUER = "edgekv-server";

export interface TokenGrant {
  uuid: string;
  accountId: string;
  cpcode: string;
  allowOnProduction: boolean;
  allowOnStaging: boolean;
  namespacePermissions: Readonly<Record<string, readonly Permission[]>>;
  edgeWorkerIds: readonly string[] | null;
}

/** Claims in the shape the official CLI decodes: one `namespace-<ns>` claim per namespace. */
export function tokenClaims(grant: TokenGrant): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  for (const [namespace, permissions] of Object.entries(grant.namespacePermissions)) {
    claims[`namespace-${namespace}`] = [...permissions];
  }
  claims.env = [...(grant.allowOnProduction ? ["p"] : []), ...(grant.allowOnStaging ? ["s"] : [])];
  claims.ewids = grant.edgeWorkerIds === null ? "all" : grant.edgeWorkerIds.join(",");
  claims.cpc = grant.cpcode;
  return claims;
}

export async function issueTokenJwt(
  keyring: Keyring,
  { grant, issuedAt, expiresAt }: { grant: TokenGrant; issuedAt: Date; expiresAt: Date },
): Promise<string> {
  const { kid, key } = await keyring.signer();
  return new SignJWT(tokenClaims(grant))
    .setProtectedHeader({ alg: "ES256", typ: "JWT", kid })
    .setIssuer(TOKEN_ISSUER)
    .setSubject(grant.accountId)
    .setJti(grant.uuid)
    .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
}

export type JwtCheck =
  | { ok: true; claims: Record<string, unknown>; jti: string; accountId: string; kid: string }
  | { ok: false; reason: "malformed" | "unknown-key" | "bad-signature" | "expired" | "claims" };

type Verified = Extract<JwtCheck, { ok: true }> & { exp: number | undefined };

/** JWTs whose signature and issuer were verified, by their exact text; bounded, oldest out first. */
const verifiedByKeyring = new WeakMap<Keyring, Map<string, Verified>>();
const MAX_VERIFIED = 20_000;

/**
 * Verifies signature, issuer and `exp` at `now` against the published keys. A signature verified
 * once is not verified again for the same text (ECDSA verification is most of a data-plane read's
 * cost); the key must still be published and `exp` is checked against `now` every time.
 */
export async function checkTokenJwt(keyring: Keyring, jwt: string, now: Date): Promise<JwtCheck> {
  let verified = verifiedByKeyring.get(keyring);
  if (verified === undefined) {
    verified = new Map();
    verifiedByKeyring.set(keyring, verified);
  }
  const known = verified.get(jwt);
  if (known !== undefined && (await keyring.verifyingKey(known.kid)) !== null) {
    // jose's rule with no clock tolerance: expired once `exp` <= now, in whole seconds.
    if (known.exp !== undefined && known.exp <= Math.floor(now.getTime() / 1000))
      return { ok: false, reason: "expired" };
    return { ok: true, claims: known.claims, jti: known.jti, accountId: known.accountId, kid: known.kid };
  }
  if (known !== undefined) verified.delete(jwt);
  const checked = await verifyTokenJwt(keyring, jwt, now);
  if (checked.ok) {
    if (verified.size >= MAX_VERIFIED) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
    const exp = typeof checked.claims.exp === "number" ? checked.claims.exp : undefined;
    verified.set(jwt, { ...checked, exp });
  }
  return checked;
}

async function verifyTokenJwt(keyring: Keyring, jwt: string, now: Date): Promise<JwtCheck> {
  let kid: string | undefined;
  try {
    const header = JSON.parse(Buffer.from(jwt.split(".")[0] ?? "", "base64url").toString("utf8")) as {
      kid?: unknown;
    };
    if (typeof header.kid === "string") kid = header.kid;
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (kid === undefined || jwt.split(".").length !== 3) return { ok: false, reason: "malformed" };
  const key = await keyring.verifyingKey(kid);
  if (key === null) return { ok: false, reason: "unknown-key" };
  try {
    const { payload } = await jwtVerify(jwt, key, {
      algorithms: ["ES256"],
      issuer: TOKEN_ISSUER,
      currentDate: now,
      clockTolerance: 0,
    });
    if (typeof payload.jti !== "string" || typeof payload.sub !== "string")
      return { ok: false, reason: "claims" };
    return { ok: true, claims: payload, jti: payload.jti, accountId: payload.sub, kid };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_JWT_EXPIRED") return { ok: false, reason: "expired" };
    if (code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") return { ok: false, reason: "bad-signature" };
    if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED") return { ok: false, reason: "claims" };
    return { ok: false, reason: "malformed" };
  }
}
