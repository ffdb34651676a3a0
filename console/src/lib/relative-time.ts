const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Units from largest to smallest: the first one the span reaches names it. */
const STEPS: readonly (readonly [number, string, string])[] = [
  [365 * DAY, "year", "years"],
  [30 * DAY, "month", "months"],
  [DAY, "day", "days"],
  [HOUR, "hour", "hours"],
  [MINUTE, "min", "min"],
];

/** "in 3 days", "2 min ago", "just now": how far `thenMs` is from the server's `nowMs`. */
export function formatRelative(thenMs: number, nowMs: number): string {
  const span = thenMs - nowMs;
  const size = Math.abs(span);
  if (size < 45 * SECOND) return "just now";
  for (const [unit, one, many] of STEPS) {
    // Rounded, so 23.6 hours reads "1 day"; a minute is the smallest unit named.
    const count = Math.round(size / unit);
    if (count >= 1 && size >= unit * 0.95) {
      const words = `${count} ${count === 1 ? one : many}`;
      return span > 0 ? `in ${words}` : `${words} ago`;
    }
  }
  const words = "1 min";
  return span > 0 ? `in ${words}` : `${words} ago`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds of a `YYYY-MM-DD` date's start in UTC; null for anything else. */
export function utcDayStart(date: string): number | null {
  const match = DATE.exec(date);
  if (match === null) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(ms).toISOString().startsWith(date) ? ms : null;
}

/**
 * A `YYYY-MM-DD` date (the API's dates are UTC days) against the server's time: "today",
 * "tomorrow", "in 12 days", "yesterday", "3 days ago"; the date itself when it is not one.
 */
export function formatRelativeDay(date: string, nowMs: number): string {
  const start = utcDayStart(date);
  if (start === null) return date;
  const today = Math.floor(nowMs / DAY) * DAY;
  const days = Math.round((start - today) / DAY);
  if (days === 0) return "today";
  if (days === 1) return "tomorrow";
  if (days === -1) return "yesterday";
  if (Math.abs(days) < 60) return days > 0 ? `in ${days} days` : `${-days} days ago`;
  return formatRelative(start, today);
}

/** `2026-05-04 13:05:09 UTC`: an absolute time, the same on every browser. */
export function formatUtc(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}
