import type pg from "pg";
import type { Clock } from "../../clock.ts";
import type { Token, TokenListing } from "../../tokens/model.ts";
import { DatabaseUnreachableError } from "../errors.ts";
import type {
  AccountRepository,
  ApiClientRepository,
  NonceRepository,
  SettingsRepository,
  Store,
} from "../store.ts";
import { type AccountRow, type ApiClientRow, accountFromRow, clientFromRow } from "./account-rows.ts";
import { auditRepository } from "./audit-table.ts";
import { createChangeFeed, notifying } from "./change-feed.ts";
import { consoleRepository } from "./console-tables.ts";
import { insertNamespace, itemRepository, namespaceRepository, type RowCache } from "./kv-tables.ts";
import { applyPostgresMigrations } from "./migrate.ts";
import { createNonceBatcher } from "./nonce-batch.ts";
import { createPool, inTransaction, type PoolSettings } from "./pool.ts";
import { stateRepository } from "./state-tables.ts";
import { signingKeyRepository, tokenRepository } from "./token-tables.ts";

function accountRepository(pool: pg.Pool): AccountRepository {
  return {
    get: async (id) => {
      const { rows } = await pool.query<AccountRow>("SELECT * FROM accounts WHERE id = $1", [id]);
      return rows[0] === undefined ? null : accountFromRow(rows[0]);
    },
    list: async () =>
      (await pool.query<AccountRow>('SELECT * FROM accounts ORDER BY id COLLATE "C"')).rows.map(
        accountFromRow,
      ),
    create: async (account) =>
      (
        await pool.query(
          `INSERT INTO accounts (id, cpcode, initialized_at, restrict_data_access, allow_namespace_policy_override, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
          [
            account.id,
            account.cpcode,
            account.initializedAt?.getTime() ?? null,
            account.dataAccessPolicy.restrictDataAccess,
            account.dataAccessPolicy.allowNamespacePolicyOverride,
            account.createdAt.getTime(),
          ],
        )
      ).rowCount === 1,
    initialize: (input) =>
      inTransaction(pool, async (client) => {
        const updated = await client.query(
          `UPDATE accounts SET cpcode = $2, initialized_at = $3, restrict_data_access = $4, allow_namespace_policy_override = $5
           WHERE id = $1 AND initialized_at IS NULL`,
          [
            input.accountId,
            input.cpcode,
            input.initializedAt.getTime(),
            input.dataAccessPolicy.restrictDataAccess,
            input.dataAccessPolicy.allowNamespacePolicyOverride,
          ],
        );
        if (updated.rowCount !== 1) return false;
        for (const ns of input.namespaces) await insertNamespace(client, ns);
        return true;
      }),
    setDataAccessPolicy: async (accountId, policy) =>
      (
        await pool.query(
          "UPDATE accounts SET restrict_data_access = $2, allow_namespace_policy_override = $3 WHERE id = $1",
          [accountId, policy.restrictDataAccess, policy.allowNamespacePolicyOverride],
        )
      ).rowCount === 1,
  };
}

function apiClientRepository(pool: pg.Pool): ApiClientRepository {
  return {
    get: async (clientToken) => {
      const { rows } = await pool.query<ApiClientRow>("SELECT * FROM api_clients WHERE client_token = $1", [
        clientToken,
      ]);
      return rows[0] === undefined ? null : clientFromRow(rows[0]);
    },
    list: async (filter = {}) =>
      (filter.accountId === undefined
        ? await pool.query<ApiClientRow>("SELECT * FROM api_clients ORDER BY created_at, client_token")
        : await pool.query<ApiClientRow>(
            "SELECT * FROM api_clients WHERE account_id = $1 ORDER BY created_at, client_token",
            [filter.accountId],
          )
      ).rows.map(clientFromRow),
    create: async (client) => {
      await pool.query(
        `INSERT INTO api_clients (client_token, access_token, sealed_secret, account_id, capabilities, can_switch_accounts, enabled, description, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          client.clientToken,
          client.accessToken,
          client.sealedSecret,
          client.accountId,
          JSON.stringify(client.capabilities),
          client.canSwitchAccounts,
          client.enabled,
          client.description,
          client.createdAt.getTime(),
        ],
      );
    },
    setEnabled: async (clientToken, enabled) =>
      (
        await pool.query("UPDATE api_clients SET enabled = $2 WHERE client_token = $1", [
          clientToken,
          enabled,
        ])
      ).rowCount === 1,
    setCapabilities: async (clientToken, capabilities) =>
      (
        await pool.query("UPDATE api_clients SET capabilities = $2 WHERE client_token = $1", [
          clientToken,
          JSON.stringify(capabilities),
        ])
      ).rowCount === 1,
    markUsed: async (clientToken, at) => {
      await pool.query(
        `INSERT INTO api_client_use (client_token, last_used_at) VALUES ($1, $2)
         ON CONFLICT (client_token) DO UPDATE SET last_used_at = GREATEST(api_client_use.last_used_at, excluded.last_used_at)`,
        [clientToken, at.getTime()],
      );
    },
    lastUsed: async () =>
      new Map(
        (
          await pool.query<{ client_token: string; last_used_at: number }>(
            "SELECT client_token, last_used_at FROM api_client_use",
          )
        ).rows.map((row) => [row.client_token, new Date(row.last_used_at)] as const),
      ),
  };
}

function nonceRepository(pool: pg.Pool): NonceRepository {
  // Shared by every node: an expired row for the same nonce is replaced, a live one refuses. Every
  // signed request on every node records one, so concurrent requests share a statement.
  const batcher = createNonceBatcher(pool);
  return {
    remember: (input) => batcher.remember(input),
    purgeExpired: async (now) =>
      (await pool.query("DELETE FROM nonces WHERE expires_at < $1", [now.getTime()])).rowCount ?? 0,
  };
}

function settingsRepository(pool: pg.Pool): SettingsRepository {
  return {
    get: async (key) =>
      (await pool.query<{ value: string }>("SELECT value FROM settings WHERE key = $1", [key])).rows[0]
        ?.value ?? null,
    set: async (key, value) => {
      await pool.query(
        "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
      );
    },
    setIfAbsent: async (key, value) =>
      (
        await pool.query("INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", [
          key,
          value,
        ])
      ).rowCount === 1,
    delete: async (key) => (await pool.query("DELETE FROM settings WHERE key = $1", [key])).rowCount === 1,
  };
}

/** Connects, checks the server answers, and brings the schema up to date (once across nodes). */
export async function openPostgresStore(settings: PoolSettings & { clock: Clock }): Promise<Store> {
  const pool = createPool(settings);
  pool.on("error", () => undefined);
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end();
    throw new DatabaseUnreachableError(
      `Cannot reach the PostgreSQL database at ${settings.url.replace(/\/\/[^@/]*@/, "//***@")}: ${(error as Error).message}. ` +
        "Check that the server runs and the URL (host, port, database, user) is right.",
    );
  }
  try {
    await applyPostgresMigrations(pool, { now: () => settings.clock.now() });
  } catch (error) {
    await pool.end();
    throw error;
  }
  const feed = createChangeFeed(settings, pool);
  await feed.start();
  // Writes that change what the cached reads below return tell every node (change-feed.ts).
  const itemRow = feed.cache<unknown>({ keep: () => true });
  const tokens = notifying(feed, tokenRepository(pool), ["insert", "refresh", "revoke", "purge"]);
  const byUuid = feed.cache<Token | null>();
  const byName = feed.cache<Token | null>();
  const listed = feed.cache<TokenListing[]>();
  return {
    dialect: "postgres",
    accounts: notifying(feed, accountRepository(pool), ["initialize"]),
    clients: apiClientRepository(pool),
    nonces: nonceRepository(pool),
    namespaces: notifying(feed, namespaceRepository(pool), [
      "createWithinLimit",
      "setRetention",
      "setGroup",
      "delete",
      "scheduleDelete",
      "deleteDue",
    ]),
    items: notifying(feed, itemRepository(pool, itemRow as RowCache), ["put", "delete", "purgeExpired"]),
    settings: settingsRepository(pool),
    tokens: {
      ...tokens,
      getByUuid: (uuid) => byUuid(uuid, () => tokens.getByUuid(uuid)),
      getByName: (key) => byName(`${key.accountId}\n${key.name}`, () => tokens.getByName(key)),
      list: async (accountId) => [...(await listed(accountId, () => tokens.list(accountId)))],
    },
    signingKeys: signingKeyRepository(pool),
    poolStats: () => ({
      total: pool.totalCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
      max: settings.max,
    }),
    audit: auditRepository(pool),
    console: consoleRepository(pool),
    state: notifying(feed, stateRepository(pool), ["replace", "addAbsent", "empty"]),
    close: async () => {
      await feed.close();
      await pool.end();
    },
  };
}
