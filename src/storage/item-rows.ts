import type { Network } from "../kv/model.ts";
import { isItemContentType, type KvItem } from "../kv/model.ts";

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
