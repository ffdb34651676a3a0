import type { Network } from "../kv/model.ts";
import type { ScheduledDeletion } from "./state-repository.ts";

// Scheduled deletions and settings are the same rows in both adapters, so one mapping each way
// serves SQLite and PostgreSQL.

export interface DeletionRow {
  account_id: string;
  network: string;
  namespace: string;
  delete_at: number;
}

export const deletionFromRow = (row: DeletionRow): ScheduledDeletion => ({
  accountId: row.account_id,
  network: row.network as Network,
  namespace: row.namespace,
  deleteAt: new Date(row.delete_at),
});

export const deletionToRow = (deletion: ScheduledDeletion): DeletionRow => ({
  account_id: deletion.accountId,
  network: deletion.network,
  namespace: deletion.namespace,
  delete_at: deletion.deleteAt.getTime(),
});

export interface SettingRow {
  key: string;
  value: string;
}

export const settingsFromRows = (rows: readonly SettingRow[]): Record<string, string> =>
  Object.fromEntries(rows.map((row) => [row.key, row.value]));
