import Database from "better-sqlite3";
import type { Clock } from "../../clock.ts";
import type {
  AccountRepository,
  ApiClientRepository,
  NonceRepository,
  SettingsRepository,
  Store,
} from "../store.ts";
import {
  type AccountRow,
  type ApiClientRow,
  accountFromRow,
  accountToRow,
  clientFromRow,
  clientToRow,
  INSERT_ACCOUNT,
  INSERT_CLIENT,
} from "./account-rows.ts";
import { auditRepository } from "./audit-table.ts";
import { consoleRepository } from "./console-tables.ts";
import {
  INSERT_NAMESPACE,
  itemRepository,
  type NamespaceRow,
  namespaceRepository,
  namespaceToRow,
} from "./kv-tables.ts";
import { applySqliteMigrations } from "./migrate.ts";
import { createReadCache } from "./read-cache.ts";
import { stateRepository } from "./state-tables.ts";
import { signingKeyRepository, tokenRepository } from "./token-tables.ts";

type Db = Database.Database;

function accountRepository(db: Db): AccountRepository {
  const selectOne = db.prepare<[string], AccountRow>("SELECT * FROM accounts WHERE id = ?");
  const selectAllAccounts = db.prepare<[], AccountRow>("SELECT * FROM accounts ORDER BY id");
  const insert = db.prepare<[AccountRow]>(INSERT_ACCOUNT);
  const markInitialized = db.prepare<
    [{ id: string; cpcode: string; at: number; restrict: number; override: number }]
  >(
    `UPDATE accounts SET cpcode = @cpcode, initialized_at = @at, restrict_data_access = @restrict,
       allow_namespace_policy_override = @override
     WHERE id = @id AND initialized_at IS NULL`,
  );
  const insertNamespace = db.prepare<[NamespaceRow]>(INSERT_NAMESPACE);
  const updatePolicy = db.prepare<[number, number, string]>(
    "UPDATE accounts SET restrict_data_access = ?, allow_namespace_policy_override = ? WHERE id = ?",
  );
  const initialize = db.transaction((input: Parameters<AccountRepository["initialize"]>[0]): boolean => {
    const changed = markInitialized.run({
      id: input.accountId,
      cpcode: input.cpcode,
      at: input.initializedAt.getTime(),
      restrict: input.dataAccessPolicy.restrictDataAccess ? 1 : 0,
      override: input.dataAccessPolicy.allowNamespacePolicyOverride ? 1 : 0,
    }).changes;
    if (changed === 0) return false;
    for (const ns of input.namespaces) insertNamespace.run(namespaceToRow(ns));
    return true;
  });
  return {
    get: async (id) => {
      const row = selectOne.get(id);
      return row === undefined ? null : accountFromRow(row);
    },
    list: async () => selectAllAccounts.all().map(accountFromRow),
    create: async (account) => insert.run(accountToRow(account)).changes === 1,
    initialize: async (input) => initialize.immediate(input),
    setDataAccessPolicy: async (accountId, policy) =>
      updatePolicy.run(
        policy.restrictDataAccess ? 1 : 0,
        policy.allowNamespacePolicyOverride ? 1 : 0,
        accountId,
      ).changes === 1,
  };
}

function apiClientRepository(db: Db): ApiClientRepository {
  const selectOne = db.prepare<[string], ApiClientRow>("SELECT * FROM api_clients WHERE client_token = ?");
  const selectAll = db.prepare<[], ApiClientRow>(
    "SELECT * FROM api_clients ORDER BY created_at, client_token",
  );
  const selectByAccount = db.prepare<[string], ApiClientRow>(
    "SELECT * FROM api_clients WHERE account_id = ? ORDER BY created_at, client_token",
  );
  const insert = db.prepare<[ApiClientRow]>(INSERT_CLIENT);
  const updateEnabled = db.prepare<[number, string]>(
    "UPDATE api_clients SET enabled = ? WHERE client_token = ?",
  );
  const updateCapabilities = db.prepare<[string, string]>(
    "UPDATE api_clients SET capabilities = ? WHERE client_token = ?",
  );
  const upsertUse = db.prepare<[string, number]>(
    `INSERT INTO api_client_use (client_token, last_used_at) VALUES (?, ?)
     ON CONFLICT (client_token) DO UPDATE SET last_used_at = max(last_used_at, excluded.last_used_at)`,
  );
  const selectUse = db.prepare<[], { client_token: string; last_used_at: number }>(
    "SELECT client_token, last_used_at FROM api_client_use",
  );
  return {
    get: async (clientToken) => {
      const row = selectOne.get(clientToken);
      return row === undefined ? null : clientFromRow(row);
    },
    list: async (filter = {}) =>
      (filter.accountId === undefined ? selectAll.all() : selectByAccount.all(filter.accountId)).map(
        clientFromRow,
      ),
    create: async (client) => {
      insert.run(clientToRow(client));
    },
    setEnabled: async (clientToken, enabled) => updateEnabled.run(enabled ? 1 : 0, clientToken).changes === 1,
    setCapabilities: async (clientToken, capabilities) =>
      updateCapabilities.run(JSON.stringify(capabilities), clientToken).changes === 1,
    markUsed: async (clientToken, at) => {
      upsertUse.run(clientToken, at.getTime());
    },
    lastUsed: async () =>
      new Map(selectUse.all().map((row) => [row.client_token, new Date(row.last_used_at)] as const)),
  };
}

function nonceRepository(db: Db): NonceRepository {
  // An expired row for the same nonce is replaced: the nonce is only remembered for the skew window.
  const insert = db.prepare<[{ client_token: string; nonce: string; expires_at: number; now: number }]>(
    `INSERT INTO nonces (client_token, nonce, expires_at) VALUES (@client_token, @nonce, @expires_at)
     ON CONFLICT (client_token, nonce) DO UPDATE SET expires_at = excluded.expires_at
     WHERE nonces.expires_at < @now`,
  );
  const purge = db.prepare<[number]>("DELETE FROM nonces WHERE expires_at < ?");
  return {
    remember: async ({ clientToken, nonce, expiresAt, now }) =>
      insert.run({ client_token: clientToken, nonce, expires_at: expiresAt.getTime(), now: now.getTime() })
        .changes === 1,
    purgeExpired: async (now) => purge.run(now.getTime()).changes,
  };
}

function settingsRepository(db: Db): SettingsRepository {
  const select = db.prepare<[string], { value: string }>("SELECT value FROM settings WHERE key = ?");
  const upsert = db.prepare<[string, string]>(
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  const insertNew = db.prepare<[string, string]>(
    "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
  );
  const remove = db.prepare<[string]>("DELETE FROM settings WHERE key = ?");
  return {
    get: async (key) => select.get(key)?.value ?? null,
    setIfAbsent: async (key, value) => insertNew.run(key, value).changes === 1,
    delete: async (key) => remove.run(key).changes === 1,
    set: async (key, value) => {
      upsert.run(key, value);
    },
  };
}

/**
 * Opens (creating if needed) a SQLite database and brings its schema up to date.
 * `location` is a file path, or `:memory:` for a database that lives as long as the process.
 */
export function openSqliteStore({ location, clock }: { location: string; clock: Clock }): Store {
  const db = new Database(location);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  applySqliteMigrations(db, { now: () => clock.now() });
  const readCache = createReadCache(db);
  return {
    dialect: "sqlite",
    accounts: accountRepository(db),
    clients: apiClientRepository(db),
    nonces: nonceRepository(db),
    namespaces: namespaceRepository(db),
    items: itemRepository(db, readCache),
    settings: settingsRepository(db),
    tokens: tokenRepository(db, readCache),
    signingKeys: signingKeyRepository(db),
    poolStats: () => null,
    audit: auditRepository(db),
    console: consoleRepository(db),
    state: stateRepository(db),
    close: async () => {
      db.close();
    },
  };
}
