import type pg from "pg";
import { type ConsoleSessionRow, SESSION_COLUMNS, sessionFromRow, sessionToRow } from "../console-rows.ts";
import type { ConsoleRepository } from "../store.ts";

const INSERT_KEY = `INSERT INTO console_login_keys (key_hash, created_at, expires_at, used_at)
  VALUES ($1, $2, $3, NULL)`;
/** Only an unused, unexpired key is marked: of two nodes racing, one update succeeds, one login. */
const USE_KEY = `UPDATE console_login_keys SET used_at = $2
  WHERE key_hash = $1 AND used_at IS NULL AND expires_at > $2`;
const INSERT_SESSION = `INSERT INTO console_sessions (${SESSION_COLUMNS.join(", ")})
  VALUES (${SESSION_COLUMNS.map((_, index) => `$${index + 1}`).join(", ")})`;
const TOUCH_SESSION = `UPDATE console_sessions
  SET last_seen_at = $2, idle_expires_at = LEAST($3, expires_at)
  WHERE session_hash = $1 AND idle_expires_at > $2 AND expires_at > $2
  RETURNING *`;

export function consoleRepository(pool: pg.Pool): ConsoleRepository {
  return {
    addLoginKey: async ({ keyHash, createdAt, expiresAt }) => {
      await pool.query(INSERT_KEY, [keyHash, createdAt.getTime(), expiresAt.getTime()]);
    },
    useLoginKey: async ({ keyHash, now }) =>
      (await pool.query(USE_KEY, [keyHash, now.getTime()])).rowCount === 1,
    addSession: async (session) => {
      const row = sessionToRow(session);
      await pool.query(
        INSERT_SESSION,
        SESSION_COLUMNS.map((column) => row[column]),
      );
    },
    touchSession: async ({ sessionHash, now, idleExpiresAt }) => {
      const row = (
        await pool.query<ConsoleSessionRow>(TOUCH_SESSION, [
          sessionHash,
          now.getTime(),
          idleExpiresAt.getTime(),
        ])
      ).rows[0];
      return row === undefined ? null : sessionFromRow(row);
    },
    getSession: async ({ sessionHash, now }) => {
      const row = (
        await pool.query<ConsoleSessionRow>(
          "SELECT * FROM console_sessions WHERE session_hash = $1 AND idle_expires_at > $2 AND expires_at > $2",
          [sessionHash, now.getTime()],
        )
      ).rows[0];
      return row === undefined ? null : sessionFromRow(row);
    },
    deleteSession: async (sessionHash) =>
      (await pool.query("DELETE FROM console_sessions WHERE session_hash = $1", [sessionHash])).rowCount ===
      1,
    purgeExpired: async (now) => {
      const keys = await pool.query("DELETE FROM console_login_keys WHERE expires_at < $1", [now.getTime()]);
      const sessions = await pool.query(
        "DELETE FROM console_sessions WHERE idle_expires_at < $1 OR expires_at < $1",
        [now.getTime()],
      );
      return (keys.rowCount ?? 0) + (sessions.rowCount ?? 0);
    },
  };
}
