import type pg from "pg";
import type { ItemAddress, Namespace, Network } from "../../kv/model.ts";
import {
  ITEM_LOOKUP_COLUMNS,
  type ItemLookupRow,
  type ItemRow,
  itemFromRow,
  itemLookupFromRow,
  itemToRow,
} from "../item-rows.ts";
import type { ItemRepository, NamespaceRepository } from "../store.ts";
import { inTransaction } from "./pool.ts";

export interface NamespaceRow {
  account_id: string;
  network: string;
  name: string;
  retention_seconds: number;
  geo_location: string;
  group_id: number;
  restrict_data_access: boolean;
  created_at: number;
}

export const namespaceFromRow = (row: NamespaceRow): Namespace => ({
  accountId: row.account_id,
  network: row.network as Network,
  name: row.name,
  retentionInSeconds: row.retention_seconds,
  geoLocation: row.geo_location,
  groupId: row.group_id,
  restrictDataAccess: row.restrict_data_access,
  createdAt: new Date(row.created_at),
});

const namespaceToRow = (ns: Namespace): NamespaceRow => ({
  account_id: ns.accountId,
  network: ns.network,
  name: ns.name,
  retention_seconds: ns.retentionInSeconds,
  geo_location: ns.geoLocation,
  group_id: ns.groupId,
  restrict_data_access: ns.restrictDataAccess,
  created_at: ns.createdAt.getTime(),
});

const NAMESPACE_COLUMNS = [
  "account_id",
  "network",
  "name",
  "retention_seconds",
  "geo_location",
  "group_id",
  "restrict_data_access",
  "created_at",
] as const satisfies ReadonlyArray<keyof NamespaceRow>;

const INSERT_NAMESPACE = `INSERT INTO namespaces (${NAMESPACE_COLUMNS.join(", ")})
  VALUES (${NAMESPACE_COLUMNS.map((_, index) => `$${index + 1}`).join(", ")}) ON CONFLICT DO NOTHING`;

/** Inserts the namespace on the pool or inside a caller's transaction; false when it exists. */
export async function insertNamespace(db: pg.Pool | pg.PoolClient, namespace: Namespace): Promise<boolean> {
  const row = namespaceToRow(namespace);
  const inserted = await db.query(
    INSERT_NAMESPACE,
    NAMESPACE_COLUMNS.map((column) => row[column]),
  );
  return inserted.rowCount === 1;
}

const NAMESPACE_KEY = "account_id = $1 AND network = $2 AND name = $3";

/** Serializes namespace creation per account across nodes (existence check and limit count, then insert). */
const LOCK_ACCOUNT = "SELECT id FROM accounts WHERE id = $1 FOR UPDATE";

// The row lock makes a concurrent deletion of the namespace wait, so the schedule is never left
// pointing at a namespace that is gone. The no-op update keeps the schedule in force and lets
// RETURNING report it, including one another node committed a moment ago.
const SCHEDULE_DELETE = `INSERT INTO namespace_deletions (account_id, network, namespace, delete_at)
  SELECT account_id, network, name, $4::bigint FROM namespaces WHERE ${NAMESPACE_KEY} FOR KEY SHARE
  ON CONFLICT (account_id, network, namespace) DO UPDATE SET delete_at = namespace_deletions.delete_at
  RETURNING delete_at`;

// Finding nothing due is a read that locks nothing, which is what every request pays.
const SELECT_DUE = "SELECT account_id, network, namespace FROM namespace_deletions WHERE delete_at <= $1";
const SELECT_DUE_IN = `${SELECT_DUE} AND account_id = $2 AND network = $3`;
const DELETE_IF_DUE = `DELETE FROM namespaces WHERE ${NAMESPACE_KEY} AND EXISTS (SELECT 1 FROM namespace_deletions
  WHERE account_id = $1 AND network = $2 AND namespace = $3 AND delete_at <= $4)`;

/**
 * Items leave in batches before their namespace does, so a namespace of millions of items never
 * needs one statement longer than the statement timeout. What a racing write adds in between goes
 * with the namespace row (ON DELETE CASCADE), as does the schedule.
 */
const ITEM_BATCH = 5_000;
const DELETE_ITEM_BATCH = `DELETE FROM kv_items WHERE ctid IN (SELECT ctid FROM kv_items
  WHERE account_id = $1 AND network = $2 AND namespace = $3 LIMIT ${ITEM_BATCH})`;

async function emptyNamespace(pool: pg.Pool, key: readonly string[]): Promise<void> {
  while (((await pool.query(DELETE_ITEM_BATCH, [...key])).rowCount ?? 0) === ITEM_BATCH) {
    // Another batch.
  }
}

interface DueRow {
  account_id: string;
  network: string;
  namespace: string;
}

export function namespaceRepository(pool: pg.Pool): NamespaceRepository {
  return {
    createWithinLimit: (namespace, { limit }) =>
      inTransaction(pool, async (client) => {
        await client.query(LOCK_ACCOUNT, [namespace.accountId]);
        const key = [namespace.accountId, namespace.network, namespace.name];
        if (
          ((await client.query(`SELECT 1 FROM namespaces WHERE ${NAMESPACE_KEY}`, key)).rowCount ?? 0) > 0
        ) {
          return "exists";
        }
        const count = await client.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM namespaces WHERE account_id = $1 AND network = $2",
          [namespace.accountId, namespace.network],
        );
        if ((count.rows[0]?.n ?? 0) >= limit) return "limit";
        return (await insertNamespace(client, namespace)) ? "created" : "exists";
      }),
    get: async ({ accountId, network, name }) => {
      const { rows } = await pool.query<NamespaceRow>(`SELECT * FROM namespaces WHERE ${NAMESPACE_KEY}`, [
        accountId,
        network,
        name,
      ]);
      return rows[0] === undefined ? null : namespaceFromRow(rows[0]);
    },
    list: async ({ accountId, network }) =>
      (
        await pool.query<NamespaceRow>(
          'SELECT * FROM namespaces WHERE account_id = $1 AND network = $2 ORDER BY name COLLATE "C"',
          [accountId, network],
        )
      ).rows.map(namespaceFromRow),
    setRetention: async ({ accountId, network, name, retentionInSeconds }) => {
      const { rows } = await pool.query<NamespaceRow>(
        `UPDATE namespaces SET retention_seconds = $4 WHERE ${NAMESPACE_KEY} RETURNING *`,
        [accountId, network, name, retentionInSeconds],
      );
      return rows[0] === undefined ? null : namespaceFromRow(rows[0]);
    },
    setGroup: async ({ accountId, network, name, groupId }) => {
      const { rows } = await pool.query<NamespaceRow>(
        `UPDATE namespaces SET group_id = $4 WHERE ${NAMESPACE_KEY} RETURNING *`,
        [accountId, network, name, groupId],
      );
      return rows[0] === undefined ? null : namespaceFromRow(rows[0]);
    },
    delete: async ({ accountId, network, name }) => {
      await emptyNamespace(pool, [accountId, network, name]);
      return (
        (await pool.query(`DELETE FROM namespaces WHERE ${NAMESPACE_KEY}`, [accountId, network, name]))
          .rowCount === 1
      );
    },
    scheduleDelete: async ({ accountId, network, name, at }) => {
      const { rows } = await pool.query<{ delete_at: number }>(SCHEDULE_DELETE, [
        accountId,
        network,
        name,
        at.getTime(),
      ]);
      return rows[0] === undefined ? null : new Date(rows[0].delete_at);
    },
    deleteDue: async ({ now, scope }) => {
      const due = (
        scope === undefined
          ? await pool.query<DueRow>(SELECT_DUE, [now.getTime()])
          : await pool.query<DueRow>(SELECT_DUE_IN, [now.getTime(), scope.accountId, scope.network])
      ).rows;
      let deleted = 0;
      for (const { account_id, network, namespace } of due) {
        await emptyNamespace(pool, [account_id, network, namespace]);
        deleted +=
          (await pool.query(DELETE_IF_DUE, [account_id, network, namespace, now.getTime()])).rowCount ?? 0;
      }
      return deleted;
    },
  };
}

export const ITEM_COLUMNS = [
  "account_id",
  "network",
  "namespace",
  "group_name",
  "item_key",
  "value",
  "content_type",
  "updated_at",
  "expires_at",
] as const satisfies ReadonlyArray<keyof ItemRow>;

const addressValues = (address: ItemAddress) => [
  address.accountId,
  address.network,
  address.namespace,
  address.group,
  address.key,
];

const ADDRESS = "account_id = $1 AND network = $2 AND namespace = $3 AND group_name = $4 AND item_key = $5";
const NAMESPACE_ITEMS = "account_id = $1 AND network = $2 AND namespace = $3";
const live = (now: string) => `(expires_at IS NULL OR expires_at > ${now})`;

// Inserting through SELECT ... WHERE EXISTS stores nothing for a namespace that is gone, instead
// of failing on the foreign key; the row lock makes a concurrent deletion of the namespace wait
// for this put (and then delete the item), or this put wait for it (and then store nothing).
export const PUT_ITEM = `INSERT INTO kv_items (${ITEM_COLUMNS.join(", ")})
  SELECT $1, $2, $3, $4, $5, $6::bytea, $7, $8::bigint, $9::bigint
  WHERE EXISTS (SELECT 1 FROM namespaces WHERE account_id = $1 AND network = $2 AND name = $3 FOR KEY SHARE)
  ON CONFLICT (account_id, network, namespace, group_name, item_key) DO UPDATE SET
    value = excluded.value, content_type = excluded.content_type,
    updated_at = excluded.updated_at, expires_at = excluded.expires_at`;

// SKIP LOCKED: nodes purging at once take disjoint batches, and an item being written now is left
// for the next run; its expiry is checked again on the locked row, so a renewed item stays.
const PURGE_EXPIRED = `DELETE FROM kv_items WHERE (account_id, network, namespace, group_name, item_key) IN
  (SELECT account_id, network, namespace, group_name, item_key FROM kv_items
   WHERE expires_at IS NOT NULL AND expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)`;

// A named (prepared) statement: the data plane runs it at every read, so it is parsed and planned
// once per connection. Its columns are listed, so a later migration cannot change what it returns.
const LOOKUP_ITEM = {
  name: "edgekv_item_lookup",
  text: `SELECT ${ITEM_LOOKUP_COLUMNS} FROM namespaces n
    LEFT JOIN namespace_deletions d ON d.account_id = n.account_id AND d.network = n.network AND d.namespace = n.name
    LEFT JOIN kv_items i ON i.account_id = n.account_id AND i.network = n.network AND i.namespace = n.name
      AND i.group_name = $4 AND i.item_key = $5
    WHERE n.account_id = $1 AND n.network = $2 AND n.name = $3`,
};

/** Reads a row through a cache (change-feed.ts), or directly. */
export type RowCache = <V>(key: string, load: () => Promise<V>) => Promise<V>;
const uncached: RowCache = (_key, load) => load();

export function itemRepository(pool: pg.Pool, cached: RowCache = uncached): ItemRepository {
  return {
    // The row is what may be remembered; its expiry and due deletion are checked against `now` here.
    lookup: async (address, now) => {
      const values = addressValues(address);
      const row = await cached(values.join("\n"), async () => {
        const { rows } = await pool.query<ItemLookupRow>({ ...LOOKUP_ITEM, values });
        return rows[0];
      });
      return itemLookupFromRow(row, address, now);
    },
    put: async (item) => {
      const row = itemToRow(item);
      const stored = await pool.query(
        PUT_ITEM,
        ITEM_COLUMNS.map((column) => row[column]),
      );
      return stored.rowCount === 1;
    },
    get: async (address, now) => {
      const { rows } = await pool.query<ItemRow>(
        `SELECT * FROM kv_items WHERE ${ADDRESS} AND ${live("$6")}`,
        [...addressValues(address), now.getTime()],
      );
      return rows[0] === undefined ? null : itemFromRow(rows[0]);
    },
    delete: async (address, now) => {
      // An expired row is removed too, but it was already gone for the caller.
      const { rows } = await pool.query<{ expires_at: number | null }>(
        `DELETE FROM kv_items WHERE ${ADDRESS} RETURNING expires_at`,
        addressValues(address),
      );
      const row = rows[0];
      return row !== undefined && (row.expires_at === null || row.expires_at > now.getTime());
    },
    listGroups: async ({ accountId, network, namespace, now, limit }) =>
      (
        await pool.query<{ group_name: string }>(
          `SELECT group_name FROM kv_items WHERE ${NAMESPACE_ITEMS} AND ${live("$4")}
           GROUP BY group_name ORDER BY group_name COLLATE "C" LIMIT $5`,
          [accountId, network, namespace, now.getTime(), limit],
        )
      ).rows.map((row) => row.group_name),
    listKeys: async ({ accountId, network, namespace, group, now, limit }) =>
      (
        await pool.query<{ item_key: string }>(
          `SELECT item_key FROM kv_items WHERE ${NAMESPACE_ITEMS} AND group_name = $4 AND ${live("$5")}
           ORDER BY item_key COLLATE "C" LIMIT $6`,
          [accountId, network, namespace, group, now.getTime(), limit],
        )
      ).rows.map((row) => row.item_key),
    purgeExpired: async ({ now, limit }) =>
      (await pool.query(PURGE_EXPIRED, [now.getTime(), limit])).rowCount ?? 0,
  };
}
