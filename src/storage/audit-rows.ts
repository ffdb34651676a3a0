import type { AuditAction, AuditEvent, AuditOutcome, AuditVia, NewAuditEvent } from "../audit/audit-event.ts";

// Audit rows are the same in both adapters (times as epoch milliseconds), so one mapping each way
// serves SQLite and PostgreSQL.

export interface AuditRow {
  id: number;
  at: number;
  action: string;
  target: string;
  status: number | null;
  outcome: string;
  account_id: string | null;
  client_token: string | null;
  token_uuid: string | null;
  trace_id: string | null;
  error_code: string | null;
  /** Null in events recorded before the column existed. */
  via: string | null;
}

export type NewAuditRow = Omit<AuditRow, "id">;

/** The columns an insert names, in the order of its values. */
export const AUDIT_INSERT_COLUMNS = [
  "at",
  "action",
  "target",
  "status",
  "outcome",
  "account_id",
  "client_token",
  "token_uuid",
  "trace_id",
  "error_code",
  "via",
] as const satisfies ReadonlyArray<keyof NewAuditRow>;

export const auditFromRow = (row: AuditRow): AuditEvent => ({
  id: row.id,
  at: new Date(row.at),
  action: row.action as AuditAction,
  target: row.target,
  status: row.status,
  outcome: row.outcome as AuditOutcome,
  accountId: row.account_id,
  clientToken: row.client_token,
  tokenUuid: row.token_uuid,
  traceId: row.trace_id,
  errorCode: row.error_code,
  // Before `via` was recorded, only the command line recorded events without a status.
  via: (row.via ?? (row.status === null ? "cli" : "api")) as AuditVia,
});

export const auditToRow = (event: NewAuditEvent): NewAuditRow => ({
  at: event.at.getTime(),
  action: event.action,
  target: event.target,
  status: event.status,
  outcome: event.outcome,
  account_id: event.accountId,
  client_token: event.clientToken,
  token_uuid: event.tokenUuid,
  trace_id: event.traceId,
  error_code: event.errorCode,
  via: event.via,
});
