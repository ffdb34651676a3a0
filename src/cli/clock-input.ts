import { UserError } from "./user-error.ts";

/** The units of a duration, largest first, in seconds. */
const UNITS = [
  ["d", 86_400],
  ["h", 3_600],
  ["m", 60],
  ["s", 1],
] as const;

/** Each unit at most once, largest first: `90s`, `2h`, `60d`, `1d12h`, `1h30m`. */
const DURATION = /^(?:(\d{1,9})d)?(?:(\d{1,9})h)?(?:(\d{1,9})m)?(?:(\d{1,9})s)?$/;

/** As far as the server moves its clock at once. */
export const MAX_ADVANCE_SECONDS = 3_650 * 86_400;

const DURATION_FORMS =
  "whole days, hours, minutes or seconds, largest first, e.g. 90s, 15m, 2h, 60d or 1d12h (up to 3650d)";

/** Seconds in a duration such as `60d` or `1d12h`; a UserError naming the accepted forms otherwise. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (text === "" || match === null) {
    throw new UserError(`Invalid duration "${text}": give ${DURATION_FORMS}.`);
  }
  const seconds = UNITS.reduce((sum, [, size], index) => sum + Number(match[index + 1] ?? 0) * size, 0);
  if (seconds > MAX_ADVANCE_SECONDS) {
    throw new UserError(`Invalid duration "${text}": the clock moves at most 3650d (ten years) at once.`);
  }
  return seconds;
}

/** Whole seconds in the grammar parseDuration reads: `1d12h`, `90s` as `1m30s`, `0s`. */
export function formatDuration(seconds: number): string {
  let left = Math.round(Math.abs(seconds));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(left / size);
    left -= count * size;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return parts.length === 0 ? "0s" : parts.join("");
}

/**
 * A duration for reading rather than typing: its largest unit and the next, rounded to that next
 * one (`59d23h59m59.8s` is `60d`, a clock read a moment after it moved).
 */
export function formatApproximately(seconds: number): string {
  const whole = Math.round(Math.abs(seconds));
  const largest = UNITS.findIndex(([, size]) => whole >= size);
  const step = UNITS[largest + 1]?.[1] ?? 1;
  return formatDuration(Math.round(whole / step) * step);
}

const DATE = /^(\d{4}-\d{2}-\d{2})$/;
const TIME = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

const TIME_FORMS =
  "give an ISO-8601 time with its zone, e.g. 2027-01-31T09:00:00Z or 2027-01-31T09:00+01:00, or a date (2027-01-31 is its midnight UTC)";

/** A time for `clock set`: ISO-8601 with a zone, or a date meaning its midnight UTC. */
export function parseInstant(text: string): Date {
  const date = DATE.exec(text)?.[1];
  const time = TIME.exec(text);
  const day = date ?? time?.[1];
  const midnight = day === undefined ? Number.NaN : Date.parse(`${day}T00:00:00Z`);
  // Date.parse takes 2027-02-30 for 2027-03-02.
  const calendarDay = !Number.isNaN(midnight) && new Date(midnight).toISOString().slice(0, 10) === day;
  const at = date === undefined ? Date.parse(text) : midnight;
  if (!calendarDay || Number.isNaN(at)) throw new UserError(`Invalid time "${text}": ${TIME_FORMS}.`);
  if (time !== null && time[2] === undefined) {
    throw new UserError(
      `Invalid time "${text}": say its zone, e.g. ${text}Z for UTC or ${text}+01:00; a server may be anywhere.`,
    );
  }
  return new Date(at);
}
