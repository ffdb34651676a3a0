import type Database from "better-sqlite3";
import { type ConsoleSessionRow, SESSION_COLUMNS, sessionFromRow, sessionToRow } from "../console-rows.ts";
import type { ConsoleRepository } from "../store.ts";

type Db = Database.Database;

const INSERT_KEY = `INSERT INTO console_login_keys (key_hash, created_at, expires_at, used_at)
  VALUES (@key_hash, @created_at, @expires_at, NULL)`;
/** Only an unused, unexpired key is marked: the one update that succeeds is the one login. */
const USE_KEY = `UPDATE console_login_keys SET used_at = @now
  WHERE key_hash = @key_hash AND used_at IS NULL AND expires_at > @now`;
const INSERT_SESSION = `INSERT INTO console_sessions (${SESSION_COLUMNS.join(", ")})
  VALUES (${SESSION_COLUMNS.map((column) => `@${column}`).join(", ")})`;
const TOUCH_SESSION = `UPDATE console_sessions
  SET last_seen_at = @now, idle_expires_at = min(@idle_expires_at, expires_at)
  WHERE session_hash = @session_hash AND idle_expires_at > @now AND expires_at > @now
  RETURNING *`;

export function consoleRepository(db: Db): ConsoleRepository {
  const insertKey = db.prepare<[{ key_hash: string; created_at: number; expires_at: number }]>(INSERT_KEY);
  const useKey = db.prepare<[{ key_hash: string; now: number }]>(USE_KEY);
  const insertSession = db.prepare<[ConsoleSessionRow]>(INSERT_SESSION);
  const touch = db.prepare<
    [{ session_hash: string; now: number; idle_expires_at: number }],
    ConsoleSessionRow
  >(TOUCH_SESSION);
  const selectLive = db.prepare<[string, number, number], ConsoleSessionRow>(
    "SELECT * FROM console_sessions WHERE session_hash = ? AND idle_expires_at > ? AND expires_at > ?",
  );
  const remove = db.prepare<[string]>("DELETE FROM console_sessions WHERE session_hash = ?");
  const purgeKeys = db.prepare<[number]>("DELETE FROM console_login_keys WHERE expires_at < ?");
  const purgeSessions = db.prepare<[number, number]>(
    "DELETE FROM console_sessions WHERE idle_expires_at < ? OR expires_at < ?",
  );
  return {
    addLoginKey: async ({ keyHash, createdAt, expiresAt }) => {
      insertKey.run({ key_hash: keyHash, created_at: createdAt.getTime(), expires_at: expiresAt.getTime() });
    },
    useLoginKey: async ({ keyHash, now }) =>
      useKey.run({ key_hash: keyHash, now: now.getTime() }).changes === 1,
    addSession: async (session) => {
      insertSession.run(sessionToRow(session));
    },
    touchSession: async ({ sessionHash, now, idleExpiresAt }) => {
      const row = touch.get({
        session_hash: sessionHash,
        now: now.getTime(),
        idle_expires_at: idleExpiresAt.getTime(),
      });
      return row === undefined ? null : sessionFromRow(row);
    },
    getSession: async ({ sessionHash, now }) => {
      const row = selectLive.get(sessionHash, now.getTime(), now.getTime());
      return row === undefined ? null : sessionFromRow(row);
    },
    deleteSession: async (sessionHash) => remove.run(sessionHash).changes === 1,
    purgeExpired: async (now) =>
      purgeKeys.run(now.getTime()).changes + purgeSessions.run(now.getTime(), now.getTime()).changes,
  };
}
