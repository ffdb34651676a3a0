import type Database from "better-sqlite3";
import type { AuditQuery } from "../../audit/audit-event.ts";
import {
  AUDIT_INSERT_COLUMNS,
  type AuditRow,
  auditFromRow,
  auditToRow,
  type NewAuditRow,
} from "../audit-rows.ts";
import type { AuditRepository } from "../store.ts";

type Db = Database.Database;

const INSERT_EVENT = `INSERT INTO audit_events (${AUDIT_INSERT_COLUMNS.join(", ")})
  VALUES (${AUDIT_INSERT_COLUMNS.map((column) => `@${column}`).join(", ")}) RETURNING *`;

/**
 * A listing's statement: one condition per filter given, always in this order, so there are at most
 * a few dozen distinct statements and each is prepared once.
 */
function listStatement(query: AuditQuery): { sql: string; values: unknown[] } {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const where = (condition: string, value: unknown) => {
    conditions.push(condition);
    values.push(value);
  };
  if (query.since !== undefined) where("at >= ?", query.since.getTime());
  if (query.until !== undefined) where("at < ?", query.until.getTime());
  if (query.actions !== undefined)
    where("action IN (SELECT value FROM json_each(?))", JSON.stringify(query.actions));
  if (query.beforeId !== undefined) where("id < ?", query.beforeId);
  if (query.afterId !== undefined) where("id > ?", query.afterId);
  const filter = conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`;
  return {
    sql: `SELECT * FROM audit_events${filter} ORDER BY id DESC LIMIT ?`,
    values: [...values, query.limit],
  };
}

export function auditRepository(db: Db): AuditRepository {
  const insert = db.prepare<[NewAuditRow], AuditRow>(INSERT_EVENT);
  const listings = new Map<string, Database.Statement<unknown[], AuditRow>>();
  // A read first, so that the common case (nothing old enough) takes no write lock.
  const anyBefore = db.prepare<[number], { due: number }>(
    "SELECT EXISTS (SELECT 1 FROM audit_events WHERE at < ?) AS due",
  );
  const pruneOldest = db.prepare<[number, number]>(
    "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < ? ORDER BY at LIMIT ?)",
  );
  return {
    record: async (event) => {
      const row = insert.get(auditToRow(event));
      if (row === undefined) throw new Error("The audit event was not stored.");
      return auditFromRow(row);
    },
    list: async (query) => {
      const { sql, values } = listStatement(query);
      let statement = listings.get(sql);
      if (statement === undefined) {
        statement = db.prepare<unknown[], AuditRow>(sql);
        listings.set(sql, statement);
      }
      return statement.all(...values).map(auditFromRow);
    },
    prune: async ({ before, limit }) =>
      anyBefore.get(before.getTime())?.due === 1 ? pruneOldest.run(before.getTime(), limit).changes : 0,
  };
}
