import type { Account, ApiClient } from "../../src/accounts/model.ts";
import type { KvItem, Namespace, Network } from "../../src/kv/model.ts";
import type { StoreState } from "../../src/storage/state-repository.ts";
import type { SigningKey, Token } from "../../src/tokens/model.ts";

const at = new Date("2026-11-28T10:00:00.123Z");
const later = (ms: number) => new Date(at.getTime() + ms);

export const account = (id: string, overrides: Partial<Account> = {}): Account => ({
  id,
  cpcode: "1234567",
  initializedAt: at,
  dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
  createdAt: at,
  ...overrides,
});

export const client = (clientToken: string, overrides: Partial<ApiClient> = {}): ApiClient => ({
  clientToken,
  accessToken: `${clientToken}-access`,
  sealedSecret: `v1:sealed-${clientToken}`,
  accountId: "acme",
  capabilities: ["VIEW_TOKEN", "CREATE_TOKEN"],
  canSwitchAccounts: false,
  enabled: true,
  description: "test client",
  createdAt: at,
  ...overrides,
});

export const namespace = (network: Network, name: string, overrides: Partial<Namespace> = {}): Namespace => ({
  accountId: "acme",
  network,
  name,
  retentionInSeconds: 0,
  geoLocation: "US",
  groupId: 0,
  restrictDataAccess: false,
  createdAt: at,
  ...overrides,
});

export const item = (
  namespaceName: string,
  group: string,
  key: string,
  overrides: Partial<KvItem> = {},
): KvItem => ({
  accountId: "acme",
  network: "production",
  namespace: namespaceName,
  group,
  key,
  value: Buffer.from(`value of ${key}`),
  contentType: "text/plain; charset=utf-8",
  updatedAt: at,
  expiresAt: null,
  ...overrides,
});

let tokens = 0;
export const token = (name: string, overrides: Partial<Token> = {}): Token => {
  tokens += 1;
  return {
    uuid: `00000000-0000-4000-8000-${String(tokens).padStart(12, "0")}`,
    accountId: "acme",
    name,
    kind: "enhanced",
    allowOnProduction: true,
    allowOnStaging: false,
    namespacePermissions: { zeta: ["r"], default: ["r", "w", "d"] },
    edgeWorkerIds: ["1234", "5678"],
    cpcode: "1234567",
    expiry: "9999-12-31",
    expiresAt: null,
    issuedAt: at,
    latestRefreshOn: null,
    nextRefreshOn: "2027-01-27",
    credential: `jwt-${tokens}`,
    previousCredential: null,
    credentialVersion: 1,
    activationDueAt: later(5000),
    activationOutcome: "COMPLETE",
    revokedAt: null,
    createdAt: at,
    ...overrides,
  };
};

export const signingKey = (kid: string, createdAt: Date): SigningKey => ({
  kid,
  algorithm: "ES256",
  sealedPrivateJwk: `v1:sealed-${kid}`,
  publicJwk: { kty: "EC", crv: "P-256", x: `x-${kid}`, y: `y-${kid}`, kid, alg: "ES256", use: "sig" },
  createdAt,
  publishUntil: new Date(createdAt.getTime() + 90 * 86_400_000),
});

/**
 * A state with a bit of everything, listed out of order: names whose order differs between byte and
 * locale collation, an uninitialized account, a disabled client, a revoked token beside a live one of
 * the same name, a scheduled deletion, items with odd bytes and expiries, both settings.
 */
export function sampleState(): StoreState {
  return {
    accounts: [
      account("z.b:c~d", { cpcode: null, initializedAt: null }),
      account("acme", {
        dataAccessPolicy: { restrictDataAccess: true, allowNamespacePolicyOverride: false },
      }),
      account("Beta"),
    ],
    clients: [
      client("akab-zz", { enabled: false, accountId: "Beta" }),
      client("akab-aa", { capabilities: ["SERVER_ADMIN", "READ_DATA"], canSwitchAccounts: true }),
    ],
    signingKeys: [signingKey("kid-b", later(1000)), signingKey("kid-a", at)],
    namespaces: [
      namespace("staging", "default"),
      namespace("production", "default", { restrictDataAccess: true }),
      namespace("production", "alpha", { retentionInSeconds: 86_400, groupId: 7, geoLocation: "EU" }),
      namespace("production", "Zeta"),
      namespace("staging", "default", { accountId: "Beta" }),
    ],
    scheduledDeletions: [
      { accountId: "acme", network: "production", namespace: "Zeta", deleteAt: later(3_600_000) },
    ],
    items: [
      item("alpha", "g", "b", {
        value: Buffer.from("héllo\r\n\u{1F600}\u0000"),
        expiresAt: later(86_400_000),
      }),
      item("alpha", "g", "a", { value: Buffer.from('{"a": [1, 2.50]}'), contentType: "application/json" }),
      item("alpha", "G", "-dash"),
      item("Zeta", "g", "k", { updatedAt: later(7) }),
      item("default", "g", "k", { network: "staging", accountId: "Beta" }),
    ],
    tokens: [
      token("same", {
        uuid: "10000000-0000-4000-8000-000000000003",
        credential: "jwt-revoked",
        revokedAt: later(60_000),
      }),
      token("same", {
        uuid: "10000000-0000-4000-8000-000000000002",
        credential: "jwt-same",
        previousCredential: "jwt-old",
        credentialVersion: 3,
        latestRefreshOn: "2026-11-27",
      }),
      token("legacy", {
        uuid: "10000000-0000-4000-8000-000000000001",
        credential: "jwt-legacy",
        kind: "legacy",
        expiry: "2027-03-01",
        expiresAt: new Date("2027-03-01T23:59:59Z"),
        nextRefreshOn: null,
        edgeWorkerIds: null,
        activationOutcome: "ERROR",
      }),
      token("Other", {
        uuid: "10000000-0000-4000-8000-000000000004",
        credential: "jwt-other",
        accountId: "Beta",
        allowOnStaging: true,
      }),
    ],
    settings: { "manual_clock.now": "2026-12-01T00:00:00.000Z", "first_run.client_token": "akab-aa" },
  };
}
