import type pg from "pg";
import type { AuditQuery } from "../../audit/audit-event.ts";
import { AUDIT_INSERT_COLUMNS, type AuditRow, auditFromRow, auditToRow } from "../audit-rows.ts";
import type { AuditRepository } from "../store.ts";

// Ids come from one sequence shared by every node. Two nodes inserting at the same moment may
// commit in the other order than their ids, so a reader polling for "newer than id N" could in
// rare cases miss an event committed just after its poll: acceptable for following a log.
const INSERT_EVENT = `INSERT INTO audit_events (${AUDIT_INSERT_COLUMNS.join(", ")})
  VALUES (${AUDIT_INSERT_COLUMNS.map((_, index) => `$${index + 1}`).join(", ")}) RETURNING *`;

/** A listing's statement: one condition per filter given, numbered in order. */
function listStatement(query: AuditQuery): { sql: string; values: unknown[] } {
  const conditions: string[] = [];
  const values: unknown[] = [];
  const where = (condition: (param: string) => string, value: unknown) => {
    values.push(value);
    conditions.push(condition(`$${values.length}`));
  };
  if (query.since !== undefined) where((param) => `at >= ${param}`, query.since.getTime());
  if (query.until !== undefined) where((param) => `at < ${param}`, query.until.getTime());
  if (query.actions !== undefined) where((param) => `action = ANY(${param}::text[])`, query.actions);
  if (query.beforeId !== undefined) where((param) => `id < ${param}`, query.beforeId);
  if (query.afterId !== undefined) where((param) => `id > ${param}`, query.afterId);
  const filter = conditions.length === 0 ? "" : ` WHERE ${conditions.join(" AND ")}`;
  values.push(query.limit);
  return { sql: `SELECT * FROM audit_events${filter} ORDER BY id DESC LIMIT $${values.length}`, values };
}

// SKIP LOCKED: nodes pruning at once take disjoint batches instead of waiting for each other.
const PRUNE_OLDEST = `DELETE FROM audit_events WHERE id IN
  (SELECT id FROM audit_events WHERE at < $1 ORDER BY at LIMIT $2 FOR UPDATE SKIP LOCKED)`;

export function auditRepository(pool: pg.Pool): AuditRepository {
  return {
    record: async (event) => {
      const row = auditToRow(event);
      const stored = (
        await pool.query<AuditRow>(
          INSERT_EVENT,
          AUDIT_INSERT_COLUMNS.map((column) => row[column]),
        )
      ).rows[0];
      if (stored === undefined) throw new Error("The audit event was not stored.");
      return auditFromRow(stored);
    },
    list: async (query) => {
      const { sql, values } = listStatement(query);
      return (await pool.query<AuditRow>(sql, values)).rows.map(auditFromRow);
    },
    prune: async ({ before, limit }) =>
      (await pool.query(PRUNE_OLDEST, [before.getTime(), limit])).rowCount ?? 0,
  };
}
