import { addDays, endOfDay, utcDate } from "./dates.ts";
import type { Keyring } from "./keyring.ts";
import { ENHANCED_EXPIRY, type Token } from "./model.ts";
import { issueTokenJwt, type TokenGrant } from "./token-jwt.ts";

/** Enhanced JWTs stay valid this long past their scheduled refresh, so a stopped scheduler is no outage. */
export const REFRESH_GRACE_DAYS = 7;

/**
 * A token as it is first stored: legacy with an expiry date, enhanced (refreshed every
 * `refreshIntervalDays`) without, its first credential signed now. When it becomes usable is the
 * caller's: `activation` (a create waits for its delay; a seed is usable at once).
 */
export async function newToken(input: {
  keyring: Keyring;
  grant: TokenGrant;
  name: string;
  /** A legacy token's expiry date (YYYY-MM-DD); null for an enhanced token. */
  expiry: string | null;
  refreshIntervalDays: number;
  now: Date;
  activation: Pick<Token, "activationDueAt" | "activationOutcome">;
}): Promise<Token> {
  const { grant, expiry, now } = input;
  const today = utcDate(now);
  const expiresAt = expiry === null ? null : endOfDay(expiry);
  const nextRefreshOn = expiry === null ? addDays(today, input.refreshIntervalDays) : null;
  const credential = await issueTokenJwt(input.keyring, {
    grant,
    issuedAt: now,
    expiresAt: expiresAt ?? endOfDay(addDays(nextRefreshOn ?? today, REFRESH_GRACE_DAYS)),
  });
  return {
    ...grant,
    name: input.name,
    kind: expiry === null ? "enhanced" : "legacy",
    expiry: expiry ?? ENHANCED_EXPIRY,
    expiresAt,
    issuedAt: now,
    latestRefreshOn: null,
    nextRefreshOn,
    credential,
    previousCredential: null,
    credentialVersion: 1,
    ...input.activation,
    revokedAt: null,
    createdAt: now,
  };
}
