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
  "VIEW_STAGING_NAMESPACE",
  "CREATE_STAGING_NAMESPACE",
  "MODIFY_STAGING_NAMESPACE",
  "DELETE_STAGING_NAMESPACE",
  "READ_DATA",
  "WRITE_DATA",
  "DELETE_DATA",
  "READ_STAGING_DATA",
  "WRITE_STAGING_DATA",
  "DELETE_STAGING_DATA",
] as const;

export type Capability = (typeof CAPABILITIES)[number];

export const isCapability = (value: string): value is Capability =>
  (CAPABILITIES as readonly string[]).includes(value);

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
