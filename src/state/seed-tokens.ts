import type { Keyring } from "../tokens/keyring.ts";
import type { Token } from "../tokens/model.ts";
import { newToken } from "../tokens/new-token.ts";
import type { TokenGrant } from "../tokens/token-jwt.ts";
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
  return newToken({
    keyring,
    grant,
    name: planned.name,
    expiry: planned.expiry,
    refreshIntervalDays,
    now,
    activation: { activationDueAt: now, activationOutcome: "COMPLETE" },
  });
}
