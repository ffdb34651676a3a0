import type { Account, ApiClient, Capability } from "../../accounts/model.ts";

// Accounts and API clients as PostgreSQL stores them (flags as booleans, times as epoch
// milliseconds): one mapping each way, shared by the repositories and the whole-state reads and writes.

export interface AccountRow {
  id: string;
  cpcode: string | null;
  initialized_at: number | null;
  restrict_data_access: boolean;
  allow_namespace_policy_override: boolean;
  created_at: number;
}

export const accountFromRow = (row: AccountRow): Account => ({
  id: row.id,
  cpcode: row.cpcode,
  initializedAt: row.initialized_at === null ? null : new Date(row.initialized_at),
  dataAccessPolicy: {
    restrictDataAccess: row.restrict_data_access,
    allowNamespacePolicyOverride: row.allow_namespace_policy_override,
  },
  createdAt: new Date(row.created_at),
});

export interface ApiClientRow {
  client_token: string;
  access_token: string;
  sealed_secret: string;
  account_id: string;
  capabilities: string;
  can_switch_accounts: boolean;
  enabled: boolean;
  description: string;
  created_at: number;
}

export const clientFromRow = (row: ApiClientRow): ApiClient => ({
  clientToken: row.client_token,
  accessToken: row.access_token,
  sealedSecret: row.sealed_secret,
  accountId: row.account_id,
  capabilities: JSON.parse(row.capabilities) as Capability[],
  canSwitchAccounts: row.can_switch_accounts,
  enabled: row.enabled,
  description: row.description,
  createdAt: new Date(row.created_at),
});

export const accountToRow = (account: Account): AccountRow => ({
  id: account.id,
  cpcode: account.cpcode,
  initialized_at: account.initializedAt?.getTime() ?? null,
  restrict_data_access: account.dataAccessPolicy.restrictDataAccess,
  allow_namespace_policy_override: account.dataAccessPolicy.allowNamespacePolicyOverride,
  created_at: account.createdAt.getTime(),
});

export const clientToRow = (client: ApiClient): ApiClientRow => ({
  client_token: client.clientToken,
  access_token: client.accessToken,
  sealed_secret: client.sealedSecret,
  account_id: client.accountId,
  capabilities: JSON.stringify(client.capabilities),
  can_switch_accounts: client.canSwitchAccounts,
  enabled: client.enabled,
  description: client.description,
  created_at: client.createdAt.getTime(),
});

export const ACCOUNT_COLUMNS = [
  "id",
  "cpcode",
  "initialized_at",
  "restrict_data_access",
  "allow_namespace_policy_override",
  "created_at",
] as const satisfies ReadonlyArray<keyof AccountRow>;

export const CLIENT_COLUMNS = [
  "client_token",
  "access_token",
  "sealed_secret",
  "account_id",
  "capabilities",
  "can_switch_accounts",
  "enabled",
  "description",
  "created_at",
] as const satisfies ReadonlyArray<keyof ApiClientRow>;
