import type Database from "better-sqlite3";
import type { Account } from "../../accounts/model.ts";
import { type ItemRow, itemFromRow, itemToRow } from "../item-rows.ts";
import { orderState } from "../state-order.ts";
import type {
  EmptyRequest,
  EmptyResult,
  StateAdded,
  StateAdditions,
  StateRepository,
  StoreState,
} from "../state-repository.ts";
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
  type AccountRow,
  type ApiClientRow,
  accountFromRow,
  accountToRow,
  clientFromRow,
  clientToRow,
  INSERT_ACCOUNT,
  INSERT_CLIENT,
} from "./account-rows.ts";
import {
  INSERT_NAMESPACE,
  type NamespaceRow,
  namespaceFromRow,
  namespaceToRow,
  PUT_ITEM,
} from "./kv-tables.ts";
import { INSERT_TOKEN } from "./token-tables.ts";

type Db = Database.Database;

const INSERT_KEY = `INSERT INTO signing_keys (kid, algorithm, sealed_private_jwk, public_jwk, created_at, publish_until)
  VALUES (@kid, @algorithm, @sealed_private_jwk, @public_jwk, @created_at, @publish_until)`;
const INSERT_DELETION = `INSERT INTO namespace_deletions (account_id, network, namespace, delete_at)
  VALUES (@account_id, @network, @namespace, @delete_at)`;
const INSERT_ITEM = `INSERT INTO kv_items (account_id, network, namespace, group_name, item_key, value, content_type, updated_at, expires_at)
  VALUES (@account_id, @network, @namespace, @group_name, @item_key, @value, @content_type, @updated_at, @expires_at)`;
const INSERT_SETTING = "INSERT INTO settings (key, value) VALUES (@key, @value)";

/** Inserts the account, or initializes the existing one if it is not yet. */
const ADD_ACCOUNT = `INSERT INTO accounts (id, cpcode, initialized_at, restrict_data_access, allow_namespace_policy_override, created_at)
  VALUES (@id, @cpcode, @initialized_at, @restrict_data_access, @allow_namespace_policy_override, @created_at)
  ON CONFLICT (id) DO UPDATE SET cpcode = excluded.cpcode, initialized_at = excluded.initialized_at,
    restrict_data_access = excluded.restrict_data_access,
    allow_namespace_policy_override = excluded.allow_namespace_policy_override
  WHERE accounts.initialized_at IS NULL AND excluded.initialized_at IS NOT NULL`;
/** Without a target, ON CONFLICT also covers the index of live token names. */
const ADD_TOKEN = `${INSERT_TOKEN} ON CONFLICT DO NOTHING`;
const ADD_CLIENT = `${INSERT_CLIENT} ON CONFLICT DO NOTHING`;

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

export function stateRepository(db: Db): StateRepository {
  const select = <Row>(table: string) => db.prepare<[], Row>(`SELECT * FROM ${table}`);
  const accounts = select<AccountRow>("accounts");
  const clients = select<ApiClientRow>("api_clients");
  const keys = select<SigningKeyRow>("signing_keys");
  const namespaces = select<NamespaceRow>("namespaces");
  const deletions = select<DeletionRow>("namespace_deletions");
  const items = select<ItemRow>("kv_items");
  const tokens = select<TokenRow>("tokens");
  const settings = select<SettingRow>("settings");
  // A deferred transaction of reads sees one snapshot of the WAL.
  const read = db.transaction(
    (): StoreState =>
      orderState({
        accounts: accounts.all().map(accountFromRow),
        clients: clients.all().map(clientFromRow),
        signingKeys: keys.all().map(keyFromRow),
        namespaces: namespaces.all().map(namespaceFromRow),
        scheduledDeletions: deletions.all().map(deletionFromRow),
        items: items.all().map(itemFromRow),
        tokens: tokens.all().map(tokenFromRow),
        settings: settingsFromRows(settings.all()),
      }),
  );

  const anyState = db.prepare<[], { found: number }>(
    `SELECT EXISTS (SELECT 1 FROM accounts) OR EXISTS (SELECT 1 FROM signing_keys)
       OR EXISTS (SELECT 1 FROM settings) AS found`,
  );
  const deleteEverything = DELETE_EVERYTHING.map((sql) => db.prepare(sql));
  const insertAccount = db.prepare<[AccountRow]>(INSERT_ACCOUNT);
  const insertClient = db.prepare<[ApiClientRow]>(INSERT_CLIENT);
  const insertKey = db.prepare<[SigningKeyRow]>(INSERT_KEY);
  const insertNamespace = db.prepare<[NamespaceRow]>(INSERT_NAMESPACE);
  const insertDeletion = db.prepare<[DeletionRow]>(INSERT_DELETION);
  const insertItem = db.prepare<[ItemRow]>(INSERT_ITEM);
  const insertToken = db.prepare<[TokenRow]>(INSERT_TOKEN);
  const insertSetting = db.prepare<[SettingRow]>(INSERT_SETTING);
  const replace = db.transaction((state: StoreState, onlyIfEmpty: boolean): boolean => {
    if (onlyIfEmpty && anyState.get()?.found === 1) return false;
    for (const statement of deleteEverything) statement.run();
    for (const row of state.accounts) insertAccount.run(accountToRow(row));
    for (const row of state.clients) insertClient.run(clientToRow(row));
    for (const row of state.signingKeys) insertKey.run(keyToRow(row));
    for (const row of state.namespaces) insertNamespace.run(namespaceToRow(row));
    for (const row of state.scheduledDeletions) insertDeletion.run(deletionToRow(row));
    for (const row of state.items) insertItem.run(itemToRow(row));
    for (const row of state.tokens) insertToken.run(tokenToRow(row));
    for (const [key, value] of Object.entries(state.settings)) insertSetting.run({ key, value });
    return true;
  });

  const addAccount = db.prepare<[AccountRow]>(ADD_ACCOUNT);
  const addClient = db.prepare<[ApiClientRow]>(ADD_CLIENT);
  const addToken = db.prepare<[TokenRow]>(ADD_TOKEN);
  const putItem = db.prepare<[ItemRow]>(PUT_ITEM);
  const addAbsent = db.transaction((rows: StateAdditions): StateAdded => {
    const count = <T, R>(list: readonly T[], statement: Database.Statement<[R]>, toRow: (value: T) => R) =>
      list.reduce((added, value) => added + statement.run(toRow(value)).changes, 0);
    return {
      accounts: count(rows.accounts, addAccount, accountToRow),
      clients: count(rows.clients, addClient, clientToRow),
      namespaces: count(rows.namespaces, insertNamespace, namespaceToRow),
      tokens: count(rows.tokens, addToken, tokenToRow),
      items: count(rows.items, putItem, itemToRow),
    };
  });

  const oneAccount = db.prepare<[string], AccountRow>("SELECT * FROM accounts WHERE id = ?");
  const byAccount = (table: string) => db.prepare<[string]>(`DELETE FROM ${table} WHERE account_id = ?`);
  const deleteItems = byAccount("kv_items");
  const deleteDeletions = byAccount("namespace_deletions");
  const deleteNamespaces = byAccount("namespaces");
  const deleteTokens = byAccount("tokens");
  const deleteClients = db.prepare<[string, string]>(
    "DELETE FROM api_clients WHERE account_id = ? AND client_token NOT IN (SELECT value FROM json_each(?))",
  );
  const restoreAccount = db.prepare<[{ id: string; cpcode: string; initialized_at: number }]>(
    "UPDATE accounts SET cpcode = @cpcode, initialized_at = @initialized_at WHERE id = @id",
  );
  const empty = db.transaction((request: EmptyRequest): EmptyResult | null => {
    const one = request.accountId === null ? undefined : oneAccount.get(request.accountId);
    if (request.accountId !== null && one === undefined) return null;
    const found = one === undefined ? accounts.all() : [one];
    const keep = JSON.stringify(request.keepClients);
    const result = { accounts: [] as string[], tokens: 0, namespaces: 0, items: 0, clients: 0 };
    for (const account of found.map(accountFromRow).sort((a, b) => (a.id < b.id ? -1 : 1))) {
      result.items += deleteItems.run(account.id).changes;
      deleteDeletions.run(account.id);
      result.namespaces += deleteNamespaces.run(account.id).changes;
      result.tokens += deleteTokens.run(account.id).changes;
      if (request.clients) result.clients += deleteClients.run(account.id, keep).changes;
      restore(account, request);
      result.accounts.push(account.id);
    }
    return result;
  });
  function restore(account: Account, request: EmptyRequest): void {
    const restored = request.restore(account);
    restoreAccount.run({
      id: account.id,
      cpcode: restored.cpcode,
      initialized_at: restored.initializedAt.getTime(),
    });
    for (const namespace of restored.namespaces) insertNamespace.run(namespaceToRow(namespace));
  }

  return {
    read: async () => read(),
    replace: async (state, { onlyIfEmpty }) => replace.immediate(state, onlyIfEmpty),
    addAbsent: async (rows) => addAbsent.immediate(rows),
    empty: async (request) => empty.immediate(request),
  };
}
