import { utcDayStart } from "./relative-time.ts";

export type ActivationStatus = "IN_PROGRESS" | "COMPLETE" | "ERROR";
/** What a badge says: the API's activation status, or EXPIRED once a legacy token's day is over. */
export type TokenStatus = ActivationStatus | "EXPIRED";
export const TOKEN_STATUSES: readonly TokenStatus[] = ["IN_PROGRESS", "COMPLETE", "ERROR", "EXPIRED"];

/** `GET /edgekv/v1/tokens`: one item. */
export interface ListedToken {
  readonly name: string;
  readonly uuid: string;
  readonly expiry: string;
  readonly tokenActivationStatus: ActivationStatus;
  readonly issueDate: string;
  readonly latestRefreshDate: string | null;
  readonly nextScheduledRefreshDate?: string | null;
}

export interface EnhancedToken extends ListedToken {
  readonly allowOnProduction: boolean;
  readonly allowOnStaging: boolean;
  readonly cpcode: string;
  readonly namespacePermissions: Readonly<Record<string, readonly string[]>>;
  readonly restrictToEdgeWorkerIds?: readonly string[];
}

export interface LegacyToken {
  readonly name: string;
  readonly uuid: string;
  readonly expiry: string;
  readonly value: string;
}

export type TokenDetail = EnhancedToken | LegacyToken;

/** An enhanced token never expires: the API writes its expiry as this date. */
export const ENHANCED_EXPIRY = "9999-12-31";

export type TokenModel = "enhanced" | "legacy";

export const modelOf = (token: { readonly expiry: string }): TokenModel =>
  token.expiry === ENHANCED_EXPIRY ? "enhanced" : "legacy";

export const isLegacyDetail = (token: TokenDetail): token is LegacyToken => "value" in token;

const DAY = 86_400_000;

/** A legacy token works until 23:59:59 UTC of its expiry date. */
export function isExpired(token: { readonly expiry: string }, nowMs: number): boolean {
  if (modelOf(token) === "enhanced") return false;
  const start = utcDayStart(token.expiry);
  return start !== null && nowMs >= start + DAY;
}

export const statusOf = (token: ListedToken, nowMs: number): TokenStatus =>
  isExpired(token, nowMs) ? "EXPIRED" : token.tokenActivationStatus;

export interface TokenFilter {
  readonly name: string;
  readonly includeExpired: boolean;
}

/** The tokens to list: names containing the filter's text (any case), expired ones only if asked. */
export function filterTokens<T extends ListedToken>(
  tokens: readonly T[],
  filter: TokenFilter,
  nowMs: number,
): T[] {
  const needle = filter.name.trim().toLowerCase();
  return tokens
    .filter((token) => filter.includeExpired || !isExpired(token, nowMs))
    .filter((token) => token.name.toLowerCase().includes(needle))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function countByStatus(tokens: readonly ListedToken[], nowMs: number): Record<TokenStatus, number> {
  const counts: Record<TokenStatus, number> = { IN_PROGRESS: 0, COMPLETE: 0, ERROR: 0, EXPIRED: 0 };
  for (const token of tokens) counts[statusOf(token, nowMs)] += 1;
  return counts;
}

/** "rwd", "r-d": a namespace's permissions in a fixed order, a dash for each one missing. */
export function permissionLetters(permissions: readonly string[]): string {
  return ["r", "w", "d"].map((letter) => (permissions.includes(letter) ? letter : "-")).join("");
}

/** Whether anything a table row shows changed, so its detail is fetched again. */
export const listingKey = (token: ListedToken): string =>
  [token.uuid, token.tokenActivationStatus, token.latestRefreshDate, token.nextScheduledRefreshDate].join(
    "|",
  );
