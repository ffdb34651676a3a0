import { decodeJwt, legacyGrant } from "../lib/jwt.ts";
import { isLegacyDetail, type TokenDetail } from "../lib/tokens.ts";

/** What a token grants, from an enhanced token's fields or a legacy token's JWT claims. */
export interface Grant {
  readonly allowOnStaging: boolean;
  readonly allowOnProduction: boolean;
  readonly namespacePermissions: Readonly<Record<string, readonly string[]>>;
  /** null: every EdgeWorker. */
  readonly edgeWorkerIds: readonly string[] | null;
}

export function grantOf(detail: TokenDetail): Grant | null {
  if (isLegacyDetail(detail)) {
    const decoded = decodeJwt(detail.value);
    return decoded.ok ? legacyGrant(decoded.claims) : null;
  }
  const ids = detail.restrictToEdgeWorkerIds;
  return {
    allowOnStaging: detail.allowOnStaging,
    allowOnProduction: detail.allowOnProduction,
    namespacePermissions: detail.namespacePermissions,
    edgeWorkerIds: ids === undefined || ids.length === 0 || ids.includes("all") ? null : ids,
  };
}

export const networksOf = (grant: Grant): string =>
  [grant.allowOnStaging ? "Staging" : "", grant.allowOnProduction ? "Production" : ""]
    .filter(Boolean)
    .join(", ") || "none";
