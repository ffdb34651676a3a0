import type { Account, ApiClient, Capability } from "../../accounts/model.ts";

// Accounts and API clients as SQLite stores them (flags as 0/1, times as epoch milliseconds): one
// mapping each way, shared by the repositories and the whole-state reads and writes.

export interface AccountRow {
  id: string;
  cpcode: string | null;
  initialized_at: number | null;
  restrict_data_access: number;
  allow_namespace_policy_override: number;
  created_at: number;
}

export const accountFromRow = (row: AccountRow): Account => ({
  id: row.id,
  cpcode: row.cpcode,
  initializedAt: row.initialized_at === null ? null : new Date(row.initialized_at),
  dataAccessPolicy: {
    restrictDataAccess: row.restrict_data_access === 1,
    allowNamespacePolicyOverride: row.allow_namespace_policy_override === 1,
  },
  createdAt: new Date(row.created_at),
});

export const accountToRow = (account: Account): AccountRow => ({
  id: account.id,
  cpcode: account.cpcode,
  initialized_at: account.initializedAt?.getTime() ?? null,
  restrict_data_access: account.dataAccessPolicy.restrictDataAccess ? 1 : 0,
  allow_namespace_policy_override: account.dataAccessPolicy.allowNamespacePolicyOverride ? 1 : 0,
  created_at: account.createdAt.getTime(),
});

export interface ApiClientRow {
  client_token: string;
  access_token: string;
  sealed_secret: string;
  account_id: string;
  capabilities: string;
  can_switch_accounts: number;
  enabled: number;
  description: string;
  created_at: number;
}

export const clientFromRow = (row: ApiClientRow): ApiClient => ({
  clientToken: row.client_token,
  accessToken: row.access_token,
  sealedSecret: row.sealed_secret,
  accountId: row.account_id,
  capabilities: JSON.parse(row.capabilities) as Capability[],
  canSwitchAccounts: row.can_switch_accounts === 1,
  enabled: row.enabled === 1,
  description: row.description,
  createdAt: new Date(row.created_at),
});

export const clientToRow = (client: ApiClient): ApiClientRow => ({
  client_token: client.clientToken,
  access_token: client.accessToken,
  sealed_secret: client.sealedSecret,
  account_id: client.accountId,
  capabilities: JSON.stringify(client.capabilities),
  can_switch_accounts: client.canSwitchAccounts ? 1 : 0,
  enabled: client.enabled ? 1 : 0,
  description: client.description,
  created_at: client.createdAt.getTime(),
});

/** Inserts an account unless one has its id. */
export const INSERT_ACCOUNT = `INSERT INTO accounts (id, cpcode, initialized_at, restrict_data_access, allow_namespace_policy_override, created_at)
  VALUES (@id, @cpcode, @initialized_at, @restrict_data_access, @allow_namespace_policy_override, @created_at)
  ON CONFLICT (id) DO NOTHING`;

export const INSERT_CLIENT = `INSERT INTO api_clients (client_token, access_token, sealed_secret, account_id, capabilities, can_switch_accounts, enabled, description, created_at)
  VALUES (@client_token, @access_token, @sealed_secret, @account_id, @capabilities, @can_switch_accounts, @enabled, @description, @created_at)`;
