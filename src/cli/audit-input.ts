import { AUDIT_ACTIONS, actionsMatching, MAX_PAGE } from "../audit/audit-event.ts";
import { durationMs, isDuration } from "../duration.ts";
import { UserError } from "./user-error.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
// A time of day without a zone would mean this machine's zone, which the server cannot know.
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Date.parse takes 2026-02-30 for March 2nd. */
function isCalendarDay(day: string): boolean {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(midnight) && new Date(midnight).toISOString().slice(0, 10) === day;
}

/**
 * `--since`/`--until` as the ISO time the server takes: an ISO time with its zone, a date (its
 * midnight, UTC), or a time ago (`90s`, `15m`, `1h`, `2d`, `1w`) counted back from `now`.
 */
export function parseAuditTime(option: string, text: string, now: Date): string {
  if (isDuration(text)) {
    try {
      return new Date(now.getTime() - durationMs(text)).toISOString();
    } catch (error) {
      throw new UserError(`Invalid ${option} "${text}": ${(error as Error).message}`);
    }
  }
  const time = DATE.test(text) ? `${text}T00:00:00Z` : ZONED_TIME.test(text) ? text : null;
  const parsed = time === null || !isCalendarDay(text.slice(0, 10)) ? Number.NaN : Date.parse(time);
  if (Number.isNaN(parsed)) {
    throw new UserError(
      `Invalid ${option} "${text}": give an ISO time with its zone (2026-11-28T10:00:00Z), a date ` +
        "(2026-11-28, from midnight UTC) or how long ago (15m, 1h, 2d).",
    );
  }
  return new Date(parsed).toISOString();
}

/** `--action`: one audit action, or the start of some ending in "." (`token.`). */
export function parseAuditAction(text: string): string {
  if (actionsMatching(text).length > 0) return text;
  const groups = [...new Set(AUDIT_ACTIONS.map((action) => `${action.split(".")[0]}.`))];
  throw new UserError(
    `Unknown --action "${text}": give an audit action such as token.create, or one of ${groups.join(", ")} for a whole group.`,
  );
}

/** `--limit`: events per page, as the server allows. */
export function parseAuditLimit(text: string): number {
  const limit = Number(text);
  if (!/^\d{1,3}$/.test(text) || limit < 1 || limit > MAX_PAGE) {
    throw new UserError(`Invalid --limit "${text}": give a whole number from 1 to ${MAX_PAGE}.`);
  }
  return limit;
}

/** `--interval`: seconds between polls of `--follow`, from 0.1 to an hour. */
export function parseInterval(text: string): number {
  const seconds = Number(text);
  if (!/^\d{1,4}(\.\d{1,3})?$/.test(text) || seconds < 0.1 || seconds > 3600) {
    throw new UserError(`Invalid --interval "${text}": give seconds from 0.1 to 3600, e.g. --interval 5.`);
  }
  return seconds * 1000;
}
