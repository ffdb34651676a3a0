import type pg from "pg";
import { type ItemRow, itemFromRow, itemToRow } from "../item-rows.ts";
import { orderState } from "../state-order.ts";
import type { EmptyResult, StateRepository, StoreState } from "../state-repository.ts";
import {
  type DeletionRow,
  deletionFromRow,
  deletionToRow,
  type SettingRow,
  settingsFromRows,
} from "../state-rows.ts";
import {
  keyFromRow,
  keyToRow,
  type SigningKeyRow,
  type TokenRow,
  tokenFromRow,
  tokenToRow,
} from "../token-rows.ts";
import {
  ACCOUNT_COLUMNS,
  type AccountRow,
  type ApiClientRow,
  accountFromRow,
  accountToRow,
  CLIENT_COLUMNS,
  clientFromRow,
  clientToRow,
} from "./account-rows.ts";
import { ITEM_COLUMNS, insertNamespace, type NamespaceRow, namespaceFromRow, PUT_ITEM } from "./kv-tables.ts";
import { inTransaction } from "./pool.ts";
import { INSERT_TOKEN, TOKEN_COLUMNS } from "./token-tables.ts";

type Db = pg.PoolClient;

const insertInto = (table: string, columns: readonly string[]) =>
  `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(", ")})`;
const valuesOf = <R, K extends keyof R>(row: R, columns: readonly K[]): unknown[] =>
  columns.map((column) => row[column]);

const KEY_COLUMNS = [
  "kid",
  "algorithm",
  "sealed_private_jwk",
  "public_jwk",
  "created_at",
  "publish_until",
] as const satisfies ReadonlyArray<keyof SigningKeyRow>;
const DELETION_COLUMNS = ["account_id", "network", "namespace", "delete_at"] as const satisfies ReadonlyArray<
  keyof DeletionRow
>;

const INSERT_ACCOUNT = insertInto("accounts", ACCOUNT_COLUMNS);
const INSERT_CLIENT = insertInto("api_clients", CLIENT_COLUMNS);
const INSERT_KEY = insertInto("signing_keys", KEY_COLUMNS);
const INSERT_DELETION = insertInto("namespace_deletions", DELETION_COLUMNS);
const INSERT_ITEM = insertInto("kv_items", ITEM_COLUMNS);
const INSERT_SETTING = "INSERT INTO settings (key, value) VALUES ($1, $2)";

/** Inserts the account, or initializes the existing one if it is not yet. */
const ADD_ACCOUNT = `${INSERT_ACCOUNT}
  ON CONFLICT (id) DO UPDATE SET cpcode = excluded.cpcode, initialized_at = excluded.initialized_at,
    restrict_data_access = excluded.restrict_data_access,
    allow_namespace_policy_override = excluded.allow_namespace_policy_override
  WHERE accounts.initialized_at IS NULL AND excluded.initialized_at IS NOT NULL`;
const ADD_CLIENT = `${INSERT_CLIENT} ON CONFLICT DO NOTHING`;
/** Without a target, ON CONFLICT also covers the index of live token names. */
const ADD_TOKEN = `${INSERT_TOKEN} ON CONFLICT DO NOTHING`;

const ANY_STATE = `SELECT EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM signing_keys)
  OR EXISTS (SELECT 1 FROM settings) AS found`;

// Children before parents, for the foreign keys.
const DELETE_EVERYTHING = [
  "DELETE FROM kv_items",
  "DELETE FROM namespace_deletions",
  "DELETE FROM namespaces",
  "DELETE FROM tokens",
  "DELETE FROM api_clients",
  "DELETE FROM signing_keys",
  "DELETE FROM settings",
  "DELETE FROM accounts",
];

// The accounts to empty are locked first, as every token and namespace write of an account does.
const LOCK_ACCOUNTS = "SELECT * FROM accounts WHERE ($1::text IS NULL OR id = $1) ORDER BY id FOR UPDATE";
const IN_ACCOUNTS = "account_id = ANY($1::text[])";
const DELETE_CLIENTS = `DELETE FROM api_clients WHERE ${IN_ACCOUNTS} AND client_token <> ALL($2::text[])`;
const RESTORE_ACCOUNT = "UPDATE accounts SET cpcode = $2, initialized_at = $3 WHERE id = $1";

async function readAll(db: Db): Promise<StoreState> {
  const all = async <Row extends pg.QueryResultRow>(table: string) =>
    (await db.query<Row>(`SELECT * FROM ${table}`)).rows;
  return orderState({
    accounts: (await all<AccountRow>("accounts")).map(accountFromRow),
    clients: (await all<ApiClientRow>("api_clients")).map(clientFromRow),
    signingKeys: (await all<SigningKeyRow>("signing_keys")).map(keyFromRow),
    namespaces: (await all<NamespaceRow>("namespaces")).map(namespaceFromRow),
    scheduledDeletions: (await all<DeletionRow>("namespace_deletions")).map(deletionFromRow),
    items: (await all<ItemRow>("kv_items")).map(itemFromRow),
    tokens: (await all<TokenRow>("tokens")).map(tokenFromRow),
    settings: settingsFromRows(await all<SettingRow>("settings")),
  });
}

async function writeAll(db: Db, state: StoreState): Promise<void> {
  for (const statement of DELETE_EVERYTHING) await db.query(statement);
  for (const row of state.accounts)
    await db.query(INSERT_ACCOUNT, valuesOf(accountToRow(row), ACCOUNT_COLUMNS));
  for (const row of state.clients) await db.query(INSERT_CLIENT, valuesOf(clientToRow(row), CLIENT_COLUMNS));
  for (const row of state.signingKeys) await db.query(INSERT_KEY, valuesOf(keyToRow(row), KEY_COLUMNS));
  for (const row of state.namespaces) await insertNamespace(db, row);
  for (const row of state.scheduledDeletions) {
    await db.query(INSERT_DELETION, valuesOf(deletionToRow(row), DELETION_COLUMNS));
  }
  for (const row of state.items) await db.query(INSERT_ITEM, valuesOf(itemToRow(row), ITEM_COLUMNS));
  for (const row of state.tokens) await db.query(INSERT_TOKEN, valuesOf(tokenToRow(row), TOKEN_COLUMNS));
  for (const [key, value] of Object.entries(state.settings)) await db.query(INSERT_SETTING, [key, value]);
}

/** Runs `write` for each value in turn; returns how many rows they changed. */
async function count<T>(list: readonly T[], write: (value: T) => Promise<number>): Promise<number> {
  let changed = 0;
  for (const value of list) changed += await write(value);
  return changed;
}

export function stateRepository(pool: pg.Pool): StateRepository {
  return {
    // One snapshot for every table: a repeatable-read transaction.
    read: () =>
      inTransaction(pool, async (db) => {
        await db.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        return readAll(db);
      }),
    replace: (state, { onlyIfEmpty }) =>
      inTransaction(pool, async (db) => {
        if (onlyIfEmpty && (await db.query<{ found: boolean }>(ANY_STATE)).rows[0]?.found === true)
          return false;
        await writeAll(db, state);
        return true;
      }),
    addAbsent: (rows) =>
      inTransaction(pool, async (db) => {
        const changed = async (sql: string, values: unknown[]) => (await db.query(sql, values)).rowCount ?? 0;
        return {
          accounts: await count(rows.accounts, (row) =>
            changed(ADD_ACCOUNT, valuesOf(accountToRow(row), ACCOUNT_COLUMNS)),
          ),
          clients: await count(rows.clients, (row) =>
            changed(ADD_CLIENT, valuesOf(clientToRow(row), CLIENT_COLUMNS)),
          ),
          namespaces: await count(rows.namespaces, async (row) => ((await insertNamespace(db, row)) ? 1 : 0)),
          tokens: await count(rows.tokens, (row) =>
            changed(ADD_TOKEN, valuesOf(tokenToRow(row), TOKEN_COLUMNS)),
          ),
          items: await count(rows.items, (row) => changed(PUT_ITEM, valuesOf(itemToRow(row), ITEM_COLUMNS))),
        };
      }),
    empty: (request) =>
      inTransaction(pool, async (db): Promise<EmptyResult | null> => {
        const locked = (await db.query<AccountRow>(LOCK_ACCOUNTS, [request.accountId])).rows.map(
          accountFromRow,
        );
        if (request.accountId !== null && locked.length === 0) return null;
        const ids = locked.map((account) => account.id);
        const deleted = async (table: string) =>
          (await db.query(`DELETE FROM ${table} WHERE ${IN_ACCOUNTS}`, [ids])).rowCount ?? 0;
        const items = await deleted("kv_items");
        await deleted("namespace_deletions");
        const namespaces = await deleted("namespaces");
        const tokens = await deleted("tokens");
        const clients = request.clients
          ? ((await db.query(DELETE_CLIENTS, [ids, [...request.keepClients]])).rowCount ?? 0)
          : 0;
        for (const account of locked) {
          const restored = request.restore(account);
          await db.query(RESTORE_ACCOUNT, [account.id, restored.cpcode, restored.initializedAt.getTime()]);
          for (const namespace of restored.namespaces) await insertNamespace(db, namespace);
        }
        return { accounts: [...ids].sort(), tokens, namespaces, items, clients };
      }),
  };
}
