import { type Cell, type Paint, plain, plural, renderTable } from "./format.ts";
import { UserError } from "./user-error.ts";

/** One event as GET /_edgekv/v1/audit answers it. */
export interface AuditEventJson {
  id: number;
  at: string;
  action: string;
  target: string;
  status: number | null;
  outcome: string;
  accountId: string | null;
  clientToken: string | null;
  tokenUuid: string | null;
  traceId: string | null;
  errorCode: string | null;
}

export interface AuditPageJson {
  events: AuditEventJson[];
  nextCursor: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export function readAuditPage(value: unknown): AuditPageJson {
  if (
    !isRecord(value) ||
    !Array.isArray(value.events) ||
    !value.events.every((event) => isRecord(event) && typeof event.id === "number") ||
    !(value.nextCursor === null || typeof value.nextCursor === "string")
  ) {
    throw new UserError("The server answered with something that is not a page of the audit log.");
  }
  return value as unknown as AuditPageJson;
}

const HEADERS = ["TIME", "ACTION", "STATUS", "OUTCOME", "ACCOUNT", "CLIENT TOKEN", "TRACE ID", "TARGET"];
/**
 * The widths `--follow` pads to, so that lines printed batch by batch line up (the target, last, is
 * not padded): an ISO second, the longest action, a status, an outcome with the longest error code,
 * an account id, a client token, a trace id.
 */
const FOLLOW_WIDTHS = [20, 21, 6, 28, 12, 38, 16];

const OUTCOME_STYLE: Readonly<Record<string, Cell["style"]>> = {
  ok: "green",
  refused: "red",
  failed: "yellow",
};

/** To the second, in UTC: `2026-11-28T10:00:00Z`. */
const second = (at: string) => at.replace(/\.\d+Z$/, "Z");

function cells(event: AuditEventJson): Cell[] {
  return [
    { text: second(event.at) },
    { text: event.action },
    // null: done on the command line, not over HTTP.
    { text: event.status === null ? "cli" : String(event.status) },
    {
      text: event.errorCode === null ? event.outcome : `${event.outcome} ${event.errorCode}`,
      style: OUTCOME_STYLE[event.outcome],
    },
    { text: event.accountId ?? "-" },
    { text: event.clientToken ?? "-" },
    { text: event.traceId ?? "-" },
    { text: event.target },
  ];
}

/** A page, newest first, as a table. */
export function renderAuditTable(events: readonly AuditEventJson[], paint: Paint = plain): string {
  return renderTable(HEADERS, events.map(cells), paint);
}

const padded = (row: readonly Cell[], paint: Paint) =>
  row
    .map((cell, column) => {
      const width = FOLLOW_WIDTHS[column];
      const padding = width === undefined ? "" : " ".repeat(Math.max(0, width - cell.text.length));
      return paint(cell.text, cell.style) + padding;
    })
    .join("  ");

/** The header `--follow` prints once. */
export const followHeader = (paint: Paint = plain): string =>
  padded(
    HEADERS.map((text) => ({ text, style: "bold" as const })),
    paint,
  );

/** One event as a line under `followHeader`. */
export const followLine = (event: AuditEventJson, paint: Paint = plain): string =>
  padded(cells(event), paint);

/** The line under a listing: how many, and how to see older ones when there are more. */
export function listingFooter(count: number, more: string | null): string {
  const counted = count === 0 ? "No audit events match." : `${plural(count, "event")}, newest first.`;
  return more === null ? counted : `${counted} Older ones: ${more}`;
}
