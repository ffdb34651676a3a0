import type { ConsoleSession } from "./store.ts";

// Console sessions are the same in both adapters (times as epoch milliseconds), so one mapping each
// way serves SQLite and PostgreSQL.

export interface ConsoleSessionRow {
  session_hash: string;
  client_token: string;
  account_id: string;
  created_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  expires_at: number;
}

export const SESSION_COLUMNS = [
  "session_hash",
  "client_token",
  "account_id",
  "created_at",
  "last_seen_at",
  "idle_expires_at",
  "expires_at",
] as const satisfies ReadonlyArray<keyof ConsoleSessionRow>;

export const sessionFromRow = (row: ConsoleSessionRow): ConsoleSession => ({
  sessionHash: row.session_hash,
  clientToken: row.client_token,
  accountId: row.account_id,
  createdAt: new Date(row.created_at),
  lastSeenAt: new Date(row.last_seen_at),
  idleExpiresAt: new Date(row.idle_expires_at),
  expiresAt: new Date(row.expires_at),
});

export const sessionToRow = (session: ConsoleSession): ConsoleSessionRow => ({
  session_hash: session.sessionHash,
  client_token: session.clientToken,
  account_id: session.accountId,
  created_at: session.createdAt.getTime(),
  last_seen_at: session.lastSeenAt.getTime(),
  idle_expires_at: session.idleExpiresAt.getTime(),
  expires_at: session.expiresAt.getTime(),
});
