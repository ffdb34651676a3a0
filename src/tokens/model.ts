import type { Permission } from "../rules/permissions.ts";

export type ActivationStatus = "IN_PROGRESS" | "COMPLETE" | "ERROR";

/** Enhanced tokens are held by reference and refreshed; legacy tokens carry a JWT value and expire. */
export type TokenKind = "enhanced" | "legacy";

export const ENHANCED_EXPIRY = "9999-12-31";

export interface Token {
  readonly uuid: string;
  readonly accountId: string;
  readonly name: string;
  readonly kind: TokenKind;
  readonly allowOnProduction: boolean;
  readonly allowOnStaging: boolean;
  /** Namespace → permissions, in the order the token was created with. */
  readonly namespacePermissions: Readonly<Record<string, readonly Permission[]>>;
  /** null: every EdgeWorker. */
  readonly edgeWorkerIds: readonly string[] | null;
  readonly cpcode: string;
  /** `YYYY-MM-DD`; `9999-12-31` for enhanced tokens. */
  readonly expiry: string;
  /** Legacy tokens: the instant after which the token no longer works (23:59:59 UTC of expiry). */
  readonly expiresAt: Date | null;
  readonly issuedAt: Date;
  readonly latestRefreshOn: string | null;
  readonly nextRefreshOn: string | null;
  /** The signed JWT that currently stands for the token. */
  readonly credential: string;
  /** During a refresh: the JWT that keeps working until the new one is active. */
  readonly previousCredential: string | null;
  /** Incremented by every refresh; refreshes are conditional on it, so each happens once. */
  readonly credentialVersion: number;
  readonly activationDueAt: Date;
  readonly activationOutcome: "COMPLETE" | "ERROR";
  readonly revokedAt: Date | null;
  readonly createdAt: Date;
}

/** What a token list shows and filters on: no credentials, no grants. */
export type TokenListing = Pick<
  Token,
  | "uuid"
  | "name"
  | "kind"
  | "allowOnProduction"
  | "expiry"
  | "expiresAt"
  | "issuedAt"
  | "latestRefreshOn"
  | "nextRefreshOn"
  | "activationDueAt"
  | "activationOutcome"
>;

/** The status a client sees at `now`: activation completes by itself once its time has come. */
export function activationStatus(
  token: Pick<Token, "activationDueAt" | "activationOutcome">,
  now: Date,
): ActivationStatus {
  return now.getTime() >= token.activationDueAt.getTime() ? token.activationOutcome : "IN_PROGRESS";
}

export function isExpired(token: Pick<Token, "expiresAt">, now: Date): boolean {
  return token.expiresAt !== null && now.getTime() > token.expiresAt.getTime();
}

/** A token signing key; the private half stays sealed at rest. */
export interface SigningKey {
  readonly kid: string;
  readonly algorithm: "ES256";
  readonly sealedPrivateJwk: string;
  readonly publicJwk: Readonly<Record<string, string>>;
  readonly createdAt: Date;
  /** Published in the JWKS until then: long enough for every token it signed to expire. */
  readonly publishUntil: Date;
}
