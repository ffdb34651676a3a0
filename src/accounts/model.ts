/** EdgeKV capabilities an API client can hold (the names of Akamai's auth-group enum). */
export const CAPABILITIES = [
  "VIEW_TOKEN",
  "CREATE_TOKEN",
  "REVOKE_TOKEN",
  "VIEW_STAGING_TOKEN",
  "CREATE_STAGING_TOKEN",
  "REVOKE_STAGING_TOKEN",
  "VIEW_NAMESPACE",
  "CREATE_NAMESPACE",
  "MODIFY_NAMESPACE",
  "DELETE_NAMESPACE",
  "AUTHORIZE_NAMESPACE",
  "VIEW_STAGING_NAMESPACE",
  "CREATE_STAGING_NAMESPACE",
  "MODIFY_STAGING_NAMESPACE",
  "DELETE_STAGING_NAMESPACE",
  "AUTHORIZE_STAGING_NAMESPACE",
  "READ_DATA",
  "WRITE_DATA",
  "DELETE_DATA",
  "READ_STAGING_DATA",
  "WRITE_STAGING_DATA",
  "DELETE_STAGING_DATA",
] as const;

/**
 * Capabilities of this server itself, not Akamai's: SERVER_ADMIN moves the `--clock manual` clock,
 * which every account sees. Only the first-run client holds it unless a client is given it by name.
 */
export const SERVER_CAPABILITIES = ["SERVER_ADMIN"] as const;

/** Everything a client can hold: what the first-run client gets. */
export const ALL_CAPABILITIES = [...CAPABILITIES, ...SERVER_CAPABILITIES] as const;

export type Capability = (typeof ALL_CAPABILITIES)[number];

export const isCapability = (value: string): value is Capability =>
  (ALL_CAPABILITIES as readonly string[]).includes(value);

export interface DataAccessPolicy {
  readonly restrictDataAccess: boolean;
  readonly allowNamespacePolicyOverride: boolean;
}

export interface Account {
  readonly id: string;
  /** The EdgeKV CP code, set when the account is initialized. */
  readonly cpcode: string | null;
  readonly initializedAt: Date | null;
  readonly dataAccessPolicy: DataAccessPolicy;
  readonly createdAt: Date;
}

/** An API client as stored: the secret stays sealed until a request needs it. */
export interface ApiClient {
  readonly clientToken: string;
  readonly accessToken: string;
  readonly sealedSecret: string;
  readonly accountId: string;
  readonly capabilities: readonly Capability[];
  /** Whether `accountSwitchKey` may name another account. */
  readonly canSwitchAccounts: boolean;
  readonly enabled: boolean;
  readonly description: string;
  readonly createdAt: Date;
}
