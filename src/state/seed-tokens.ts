import { addDays, endOfDay, utcDate } from "../tokens/dates.ts";
import type { Keyring } from "../tokens/keyring.ts";
import { ENHANCED_EXPIRY, type Token } from "../tokens/model.ts";
import { issueTokenJwt, type TokenGrant } from "../tokens/token-jwt.ts";
import { REFRESH_GRACE_DAYS } from "../tokens/token-service.ts";
import type { PlannedToken } from "./seed-token-plan.ts";

/**
 * The token as a create makes it, but active at once: a seeded state is meant to be used as soon as
 * the server is up, so no activation delay (and no injected failure) applies.
 */
export async function issueSeedToken(
  {
    keyring,
    randomUUID,
    refreshIntervalDays,
  }: { keyring: Keyring; randomUUID: () => string; refreshIntervalDays: number },
  planned: PlannedToken,
  now: Date,
): Promise<Token> {
  const grant: TokenGrant = {
    uuid: randomUUID(),
    accountId: planned.accountId,
    cpcode: planned.cpcode,
    allowOnProduction: planned.allowOnProduction,
    allowOnStaging: planned.allowOnStaging,
    namespacePermissions: planned.namespacePermissions,
    edgeWorkerIds: planned.edgeWorkerIds,
  };
  const today = utcDate(now);
  const expiresAt = planned.expiry === null ? null : endOfDay(planned.expiry);
  const nextRefreshOn = planned.expiry === null ? addDays(today, refreshIntervalDays) : null;
  const credential = await issueTokenJwt(keyring, {
    grant,
    issuedAt: now,
    expiresAt: expiresAt ?? endOfDay(addDays(nextRefreshOn ?? today, REFRESH_GRACE_DAYS)),
  });
  return {
    ...grant,
    name: planned.name,
    kind: planned.expiry === null ? "enhanced" : "legacy",
    expiry: planned.expiry ?? ENHANCED_EXPIRY,
    expiresAt,
    issuedAt: now,
    latestRefreshOn: null,
    nextRefreshOn,
    credential,
    previousCredential: null,
    credentialVersion: 1,
    activationDueAt: now,
    activationOutcome: "COMPLETE",
    revokedAt: null,
    createdAt: now,
  };
}
