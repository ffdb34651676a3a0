import type { Token } from "../../src/tokens/model.ts";

/** When the stored tokens of the storage and cache suites were issued. */
export const ISSUED_AT = new Date("2026-11-28T10:00:00.000Z");

/**
 * A token row as the store keeps it: a live, active enhanced token of account `acme`, readable in
 * `default` on production. Each suite overrides what it is about.
 */
export const storedToken = (overrides: Partial<Token> = {}): Token => ({
  uuid: "00000000-0000-4000-8000-000000000001",
  accountId: "acme",
  name: "token",
  kind: "enhanced",
  allowOnProduction: true,
  allowOnStaging: false,
  namespacePermissions: { default: ["r"] },
  edgeWorkerIds: null,
  cpcode: "1234567",
  expiry: "9999-12-31",
  expiresAt: null,
  issuedAt: ISSUED_AT,
  latestRefreshOn: null,
  nextRefreshOn: "2027-01-27",
  credential: "jwt-1",
  previousCredential: null,
  credentialVersion: 1,
  activationDueAt: ISSUED_AT,
  activationOutcome: "COMPLETE",
  revokedAt: null,
  createdAt: ISSUED_AT,
  ...overrides,
});
