export type DecodedJwt =
  | { readonly ok: true; readonly header: Record<string, unknown>; readonly claims: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

function base64UrlJson(part: string): Record<string, unknown> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) return null;
  const base64 = part
    .replace(/-/g, "+")
    .replace(/_/g, "/")
    .padEnd(Math.ceil(part.length / 4) * 4, "=");
  try {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** A JWT's header and claims as written, not verified: for showing, never for trusting. */
export function decodeJwt(jwt: string): DecodedJwt {
  const parts = jwt.trim().split(".");
  if (parts.length !== 3) return { ok: false, reason: "A JWT has three parts separated by dots." };
  const header = base64UrlJson(parts[0] ?? "");
  const claims = base64UrlJson(parts[1] ?? "");
  if (header === null) return { ok: false, reason: "The JWT's header is not base64url JSON." };
  if (claims === null) return { ok: false, reason: "The JWT's claims are not base64url JSON." };
  return { ok: true, header, claims };
}

/** What a legacy token's claims grant, read the way the official CLI reads them. */
export interface LegacyGrant {
  readonly namespacePermissions: Readonly<Record<string, readonly string[]>>;
  readonly allowOnStaging: boolean;
  readonly allowOnProduction: boolean;
  /** null: every EdgeWorker. */
  readonly edgeWorkerIds: readonly string[] | null;
  readonly expiresAt: number | null;
  readonly issuedAt: number | null;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

const seconds = (value: unknown): number | null =>
  typeof value === "number" && Number.isFinite(value) ? value * 1000 : null;

export function legacyGrant(claims: Record<string, unknown>): LegacyGrant {
  const namespacePermissions: Record<string, string[]> = {};
  for (const [claim, value] of Object.entries(claims)) {
    if (claim.startsWith("namespace-"))
      namespacePermissions[claim.slice("namespace-".length)] = strings(value);
  }
  const env = strings(claims.env);
  const ewids = claims.ewids;
  return {
    namespacePermissions,
    allowOnStaging: env.includes("s"),
    allowOnProduction: env.includes("p"),
    edgeWorkerIds:
      typeof ewids === "string" && ewids !== "all" && ewids !== ""
        ? ewids.split(",").map((id) => id.trim())
        : null,
    expiresAt: seconds(claims.exp),
    issuedAt: seconds(claims.iat),
  };
}
