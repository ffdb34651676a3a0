import type Database from "better-sqlite3";
import type { ItemAddress, Namespace, Network } from "../../kv/model.ts";
import {
  ITEM_LOOKUP_COLUMNS,
  type ItemLookupRow,
  type ItemRow,
  itemFromRow,
  itemLookupFromRow,
  itemToRow,
} from "../item-rows.ts";
import type { ItemRepository, NamespaceCreateResult, NamespaceRepository } from "../store.ts";
import type { ReadCache } from "./read-cache.ts";

type Db = Database.Database;

export interface NamespaceRow {
  account_id: string;
  network: string;
  name: string;
  retention_seconds: number;
  geo_location: string;
  group_id: number;
  restrict_data_access: number;
  created_at: number;
}

export const namespaceFromRow = (row: NamespaceRow): Namespace => ({
  accountId: row.account_id,
  network: row.network as Network,
  name: row.name,
  retentionInSeconds: row.retention_seconds,
  geoLocation: row.geo_location,
  groupId: row.group_id,
  restrictDataAccess: row.restrict_data_access === 1,
  createdAt: new Date(row.created_at),
});

export const namespaceToRow = (ns: Namespace): NamespaceRow => ({
  account_id: ns.accountId,
  network: ns.network,
  name: ns.name,
  retention_seconds: ns.retentionInSeconds,
  geo_location: ns.geoLocation,
  group_id: ns.groupId,
  restrict_data_access: ns.restrictDataAccess ? 1 : 0,
  created_at: ns.createdAt.getTime(),
});

export const INSERT_NAMESPACE = `INSERT INTO namespaces (account_id, network, name, retention_seconds, geo_location, group_id, restrict_data_access, created_at)
  VALUES (@account_id, @network, @name, @retention_seconds, @geo_location, @group_id, @restrict_data_access, @created_at)
  ON CONFLICT DO NOTHING`;

export function namespaceRepository(db: Db): NamespaceRepository {
  const selectOne = db.prepare<[string, string, string], NamespaceRow>(
    "SELECT * FROM namespaces WHERE account_id = ? AND network = ? AND name = ?",
  );
  const selectAll = db.prepare<[string, string], NamespaceRow>(
    "SELECT * FROM namespaces WHERE account_id = ? AND network = ? ORDER BY name",
  );
  const countOnNetwork = db.prepare<[string, string], { n: number }>(
    "SELECT count(*) AS n FROM namespaces WHERE account_id = ? AND network = ?",
  );
  const insert = db.prepare<[NamespaceRow]>(INSERT_NAMESPACE);
  const createWithinLimit = db.transaction((row: NamespaceRow, limit: number): NamespaceCreateResult => {
    if (selectOne.get(row.account_id, row.network, row.name) !== undefined) return "exists";
    if ((countOnNetwork.get(row.account_id, row.network)?.n ?? 0) >= limit) return "limit";
    insert.run(row);
    return "created";
  });
  const updateRetention = db.prepare<[number, string, string, string], NamespaceRow>(
    "UPDATE namespaces SET retention_seconds = ? WHERE account_id = ? AND network = ? AND name = ? RETURNING *",
  );
  const updateGroup = db.prepare<[number, string, string, string], NamespaceRow>(
    "UPDATE namespaces SET group_id = ? WHERE account_id = ? AND network = ? AND name = ? RETURNING *",
  );
  // Items and a scheduled deletion go with the namespace (ON DELETE CASCADE).
  const deleteOne = db.prepare<[string, string, string]>(
    "DELETE FROM namespaces WHERE account_id = ? AND network = ? AND name = ?",
  );
  const insertDeletion = db.prepare<[{ account_id: string; network: string; name: string; at: number }]>(
    `INSERT INTO namespace_deletions (account_id, network, namespace, delete_at)
     SELECT @account_id, @network, @name, @at
     WHERE EXISTS (SELECT 1 FROM namespaces WHERE account_id = @account_id AND network = @network AND name = @name)
     ON CONFLICT DO NOTHING`,
  );
  const selectDeletion = db.prepare<[string, string, string], { delete_at: number }>(
    "SELECT delete_at FROM namespace_deletions WHERE account_id = ? AND network = ? AND namespace = ?",
  );
  const scheduleDelete = db.transaction(
    (key: { account_id: string; network: string; name: string; at: number }): number | null => {
      insertDeletion.run(key);
      return selectDeletion.get(key.account_id, key.network, key.name)?.delete_at ?? null;
    },
  );
  // A read first, so that the common case (nothing due) takes no write lock.
  const anyDue = db.prepare<[number], { due: number }>(
    "SELECT EXISTS (SELECT 1 FROM namespace_deletions WHERE delete_at <= ?) AS due",
  );
  const anyDueIn = db.prepare<[number, string, string], { due: number }>(
    `SELECT EXISTS (SELECT 1 FROM namespace_deletions WHERE delete_at <= ? AND account_id = ? AND network = ?) AS due`,
  );
  const deleteDue = db.prepare<[number]>(
    `DELETE FROM namespaces WHERE (account_id, network, name) IN
       (SELECT account_id, network, namespace FROM namespace_deletions WHERE delete_at <= ?)`,
  );
  const deleteDueIn = db.prepare<[number, string, string]>(
    `DELETE FROM namespaces WHERE (account_id, network, name) IN
       (SELECT account_id, network, namespace FROM namespace_deletions
        WHERE delete_at <= ? AND account_id = ? AND network = ?)`,
  );
  return {
    createWithinLimit: async (namespace, { limit }) =>
      createWithinLimit.immediate(namespaceToRow(namespace), limit),
    get: async ({ accountId, network, name }) => {
      const row = selectOne.get(accountId, network, name);
      return row === undefined ? null : namespaceFromRow(row);
    },
    list: async ({ accountId, network }) => selectAll.all(accountId, network).map(namespaceFromRow),
    setRetention: async ({ accountId, network, name, retentionInSeconds }) => {
      const row = updateRetention.get(retentionInSeconds, accountId, network, name);
      return row === undefined ? null : namespaceFromRow(row);
    },
    setGroup: async ({ accountId, network, name, groupId }) => {
      const row = updateGroup.get(groupId, accountId, network, name);
      return row === undefined ? null : namespaceFromRow(row);
    },
    delete: async ({ accountId, network, name }) => deleteOne.run(accountId, network, name).changes === 1,
    scheduleDelete: async ({ accountId, network, name, at }) => {
      const scheduled = scheduleDelete.immediate({ account_id: accountId, network, name, at: at.getTime() });
      return scheduled === null ? null : new Date(scheduled);
    },
    deleteDue: async ({ now, scope }) => {
      const at = now.getTime();
      if (scope === undefined) {
        return anyDue.get(at)?.due === 1 ? deleteDue.run(at).changes : 0;
      }
      return anyDueIn.get(at, scope.accountId, scope.network)?.due === 1
        ? deleteDueIn.run(at, scope.accountId, scope.network).changes
        : 0;
    },
  };
}

type AddressRow = Pick<ItemRow, "account_id" | "network" | "namespace" | "group_name" | "item_key">;

const addressToRow = (address: ItemAddress): AddressRow => ({
  account_id: address.accountId,
  network: address.network,
  namespace: address.namespace,
  group_name: address.group,
  item_key: address.key,
});

const ADDRESS = `account_id = @account_id AND network = @network AND namespace = @namespace
  AND group_name = @group_name AND item_key = @item_key`;
const LIVE = "(expires_at IS NULL OR expires_at > @now)";

// Inserting through SELECT ... WHERE EXISTS stores nothing for a namespace deleted meanwhile,
// instead of failing on the foreign key.
export const PUT_ITEM = `INSERT INTO kv_items (account_id, network, namespace, group_name, item_key, value, content_type, updated_at, expires_at)
  SELECT @account_id, @network, @namespace, @group_name, @item_key, @value, @content_type, @updated_at, @expires_at
  WHERE EXISTS (SELECT 1 FROM namespaces WHERE account_id = @account_id AND network = @network AND name = @namespace)
  ON CONFLICT (account_id, network, namespace, group_name, item_key) DO UPDATE SET
    value = excluded.value, content_type = excluded.content_type,
    updated_at = excluded.updated_at, expires_at = excluded.expires_at`;

export function itemRepository(db: Db, memo: ReadCache): ItemRepository {
  const upsert = db.prepare<[ItemRow]>(PUT_ITEM);
  const selectLive = db.prepare<[AddressRow & { now: number }], ItemRow>(
    `SELECT * FROM kv_items WHERE ${ADDRESS} AND ${LIVE}`,
  );
  const deleteOne = db.prepare<[AddressRow], { expires_at: number | null }>(
    `DELETE FROM kv_items WHERE ${ADDRESS} RETURNING expires_at`,
  );
  // Remembered until the database changes (read-cache.ts); expiry is checked against `now` after.
  const lookedUp = memo<ItemLookupRow | undefined>();
  const lookup = db.prepare<[AddressRow], ItemLookupRow>(
    `SELECT ${ITEM_LOOKUP_COLUMNS} FROM namespaces n
     LEFT JOIN namespace_deletions d ON d.account_id = n.account_id AND d.network = n.network AND d.namespace = n.name
     LEFT JOIN kv_items i ON i.account_id = n.account_id AND i.network = n.network AND i.namespace = n.name
       AND i.group_name = @group_name AND i.item_key = @item_key
     WHERE n.account_id = @account_id AND n.network = @network AND n.name = @namespace`,
  );
  const selectGroups = db.prepare<
    [{ account_id: string; network: string; namespace: string; now: number; limit: number }],
    { group_name: string }
  >(
    `SELECT DISTINCT group_name FROM kv_items
     WHERE account_id = @account_id AND network = @network AND namespace = @namespace AND ${LIVE}
     ORDER BY group_name LIMIT @limit`,
  );
  const selectKeys = db.prepare<
    [
      {
        account_id: string;
        network: string;
        namespace: string;
        group_name: string;
        now: number;
        limit: number;
      },
    ],
    { item_key: string }
  >(
    `SELECT item_key FROM kv_items
     WHERE account_id = @account_id AND network = @network AND namespace = @namespace
       AND group_name = @group_name AND ${LIVE}
     ORDER BY item_key LIMIT @limit`,
  );
  const purge = db.prepare<[number, number]>(
    `DELETE FROM kv_items WHERE rowid IN
       (SELECT rowid FROM kv_items WHERE expires_at IS NOT NULL AND expires_at <= ? LIMIT ?)`,
  );
  return {
    put: async (item) => upsert.run(itemToRow(item)).changes === 1,
    lookup: async (address, now) => {
      const key = [address.accountId, address.network, address.namespace, address.group, address.key].join(
        "\n",
      );
      return itemLookupFromRow(
        lookedUp(key, () => lookup.get(addressToRow(address))),
        address,
        now,
      );
    },
    get: async (address, now) => {
      const row = selectLive.get({ ...addressToRow(address), now: now.getTime() });
      return row === undefined ? null : itemFromRow(row);
    },
    delete: async (address, now) => {
      // An expired row is removed too, but it was already gone for the caller.
      const row = deleteOne.get(addressToRow(address));
      return row !== undefined && (row.expires_at === null || row.expires_at > now.getTime());
    },
    listGroups: async ({ accountId, network, namespace, now, limit }) =>
      selectGroups
        .all({ account_id: accountId, network, namespace, now: now.getTime(), limit })
        .map((row) => row.group_name),
    listKeys: async ({ accountId, network, namespace, group, now, limit }) =>
      selectKeys
        .all({ account_id: accountId, network, namespace, group_name: group, now: now.getTime(), limit })
        .map((row) => row.item_key),
    purgeExpired: async ({ now, limit }) => purge.run(now.getTime(), limit).changes,
  };
}
