import type { Permission } from "../rules/permissions.ts";
import type { ActivationStatus, SigningKey, Token, TokenKind, TokenListing } from "../tokens/model.ts";
import type { TokenStatusCount } from "./store.ts";

// Token and key rows are the same in both adapters (flags as 0/1, times as epoch milliseconds), so
// one mapping each way serves SQLite and PostgreSQL.

export interface TokenRow {
  uuid: string;
  account_id: string;
  name: string;
  kind: string;
  allow_production: number;
  allow_staging: number;
  namespace_permissions: string;
  edgeworker_ids: string | null;
  cpcode: string;
  expiry: string;
  expires_at: number | null;
  issued_at: number;
  latest_refresh_on: string | null;
  next_refresh_on: string | null;
  credential: string;
  previous_credential: string | null;
  credential_version: number;
  activation_due_at: number;
  activation_outcome: string;
  revoked_at: number | null;
  created_at: number;
}

const dateOrNull = (ms: number | null) => (ms === null ? null : new Date(ms));

export const tokenFromRow = (row: TokenRow): Token => ({
  uuid: row.uuid,
  accountId: row.account_id,
  name: row.name,
  kind: row.kind as Token["kind"],
  allowOnProduction: row.allow_production === 1,
  allowOnStaging: row.allow_staging === 1,
  namespacePermissions: JSON.parse(row.namespace_permissions) as Record<string, Permission[]>,
  edgeWorkerIds: row.edgeworker_ids === null ? null : (JSON.parse(row.edgeworker_ids) as string[]),
  cpcode: row.cpcode,
  expiry: row.expiry,
  expiresAt: dateOrNull(row.expires_at),
  issuedAt: new Date(row.issued_at),
  latestRefreshOn: row.latest_refresh_on,
  nextRefreshOn: row.next_refresh_on,
  credential: row.credential,
  previousCredential: row.previous_credential,
  credentialVersion: row.credential_version,
  activationDueAt: new Date(row.activation_due_at),
  activationOutcome: row.activation_outcome as Token["activationOutcome"],
  revokedAt: dateOrNull(row.revoked_at),
  createdAt: new Date(row.created_at),
});

export const tokenToRow = (token: Token): TokenRow => ({
  uuid: token.uuid,
  account_id: token.accountId,
  name: token.name,
  kind: token.kind,
  allow_production: token.allowOnProduction ? 1 : 0,
  allow_staging: token.allowOnStaging ? 1 : 0,
  namespace_permissions: JSON.stringify(token.namespacePermissions),
  edgeworker_ids: token.edgeWorkerIds === null ? null : JSON.stringify(token.edgeWorkerIds),
  cpcode: token.cpcode,
  expiry: token.expiry,
  expires_at: token.expiresAt?.getTime() ?? null,
  issued_at: token.issuedAt.getTime(),
  latest_refresh_on: token.latestRefreshOn,
  next_refresh_on: token.nextRefreshOn,
  credential: token.credential,
  previous_credential: token.previousCredential,
  credential_version: token.credentialVersion,
  activation_due_at: token.activationDueAt.getTime(),
  activation_outcome: token.activationOutcome,
  revoked_at: token.revokedAt?.getTime() ?? null,
  created_at: token.createdAt.getTime(),
});

export interface SigningKeyRow {
  kid: string;
  algorithm: string;
  sealed_private_jwk: string;
  public_jwk: string;
  created_at: number;
  publish_until: number;
}

export const keyFromRow = (row: SigningKeyRow): SigningKey => ({
  kid: row.kid,
  algorithm: row.algorithm as SigningKey["algorithm"],
  sealedPrivateJwk: row.sealed_private_jwk,
  publicJwk: JSON.parse(row.public_jwk) as Record<string, string>,
  createdAt: new Date(row.created_at),
  publishUntil: new Date(row.publish_until),
});

export const keyToRow = (key: SigningKey): SigningKeyRow => ({
  kid: key.kid,
  algorithm: key.algorithm,
  sealed_private_jwk: key.sealedPrivateJwk,
  public_jwk: JSON.stringify(key.publicJwk),
  created_at: key.createdAt.getTime(),
  publish_until: key.publishUntil.getTime(),
});

/** The columns a token list reads: the JWTs and grants stay in the database. */
export const TOKEN_LISTING_COLUMNS =
  "uuid, name, kind, allow_production, expiry, expires_at, issued_at, latest_refresh_on, next_refresh_on, activation_due_at, activation_outcome";

export type TokenListingRow = Pick<
  TokenRow,
  | "uuid"
  | "name"
  | "kind"
  | "allow_production"
  | "expiry"
  | "expires_at"
  | "issued_at"
  | "latest_refresh_on"
  | "next_refresh_on"
  | "activation_due_at"
  | "activation_outcome"
>;

export const tokenListingFromRow = (row: TokenListingRow): TokenListing => ({
  uuid: row.uuid,
  name: row.name,
  kind: row.kind as Token["kind"],
  allowOnProduction: row.allow_production === 1,
  expiry: row.expiry,
  expiresAt: dateOrNull(row.expires_at),
  issuedAt: new Date(row.issued_at),
  latestRefreshOn: row.latest_refresh_on,
  nextRefreshOn: row.next_refresh_on,
  activationDueAt: new Date(row.activation_due_at),
  activationOutcome: row.activation_outcome as Token["activationOutcome"],
});

/**
 * One group of `countByStatus`: live tokens of one kind and activation outcome, and how many of them
 * are still activating. Grouping by stored columns, not by the status computed from the time, keeps
 * SQLite from sorting every row into a temporary tree.
 */
export interface TokenOutcomeRow {
  kind: string;
  outcome: string;
  n: number;
  pending: number;
}

/** The rows as `activationStatus` would count the tokens: still due is IN_PROGRESS, else the outcome. */
export function statusCountsFromRows(rows: readonly TokenOutcomeRow[]): TokenStatusCount[] {
  const counts = new Map<string, TokenStatusCount>();
  const add = (kind: TokenKind, status: ActivationStatus, count: number) => {
    const key = `${kind} ${status}`;
    counts.set(key, { kind, status, count: (counts.get(key)?.count ?? 0) + count });
  };
  for (const row of rows) {
    const kind = row.kind as TokenKind;
    add(kind, "IN_PROGRESS", row.pending);
    add(kind, row.outcome as ActivationStatus, row.n - row.pending);
  }
  return [...counts.values()].filter(({ count }) => count > 0);
}
