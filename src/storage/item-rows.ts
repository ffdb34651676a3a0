import type { ItemAddress, Network } from "../kv/model.ts";
import { isItemContentType, type KvItem } from "../kv/model.ts";
import type { ItemLookup } from "./store.ts";

// Item rows are the same in both adapters (value as bytes, times as epoch milliseconds), so one
// mapping each way serves SQLite and PostgreSQL.

export interface ItemRow {
  account_id: string;
  network: string;
  namespace: string;
  group_name: string;
  item_key: string;
  value: Buffer;
  content_type: string;
  updated_at: number;
  expires_at: number | null;
}

export const itemFromRow = (row: ItemRow): KvItem => {
  if (!isItemContentType(row.content_type)) {
    throw new Error(`Stored item has an unknown content type: ${row.content_type}`);
  }
  return {
    accountId: row.account_id,
    network: row.network as Network,
    namespace: row.namespace,
    group: row.group_name,
    key: row.item_key,
    value: row.value,
    contentType: row.content_type,
    updatedAt: new Date(row.updated_at),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
  };
};

export const itemToRow = (item: KvItem): ItemRow => ({
  account_id: item.accountId,
  network: item.network,
  namespace: item.namespace,
  group_name: item.group,
  item_key: item.key,
  value: item.value,
  content_type: item.contentType,
  updated_at: item.updatedAt.getTime(),
  expires_at: item.expiresAt?.getTime() ?? null,
});

/**
 * What the data plane's one-statement read returns: the namespace row joined to its deletion and
 * item, expired or not (the expiry is checked against `now` here, so a row read earlier still answers right).
 */
export interface ItemLookupRow {
  delete_at: number | null;
  item_key: string | null;
  value: Buffer | null;
  content_type: string | null;
  updated_at: number | null;
  expires_at: number | null;
}

/** The columns of an ItemLookupRow, for a query on `namespaces n`, `namespace_deletions d` and `kv_items i`. */
export const ITEM_LOOKUP_COLUMNS =
  "d.delete_at AS delete_at, i.item_key AS item_key, i.value AS value, i.content_type AS content_type, " +
  "i.updated_at AS updated_at, i.expires_at AS expires_at";

export function itemLookupFromRow(
  row: ItemLookupRow | undefined,
  address: ItemAddress,
  now: Date,
): ItemLookup {
  if (row === undefined) return { namespace: "missing" };
  if (row.delete_at !== null && row.delete_at <= now.getTime()) return { namespace: "deletion-due" };
  if (row.item_key === null || row.value === null || row.content_type === null || row.updated_at === null)
    return { namespace: "present", item: null };
  if (row.expires_at !== null && row.expires_at <= now.getTime()) return { namespace: "present", item: null };
  return {
    namespace: "present",
    item: itemFromRow({
      account_id: address.accountId,
      network: address.network,
      namespace: address.namespace,
      group_name: address.group,
      item_key: row.item_key,
      value: row.value,
      content_type: row.content_type,
      updated_at: row.updated_at,
      expires_at: row.expires_at,
    }),
  };
}
