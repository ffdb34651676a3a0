/** The units of a duration, largest first, in seconds. */
const UNITS = [
  ["w", 604_800],
  ["d", 86_400],
  ["h", 3_600],
  ["m", 60],
  ["s", 1],
] as const;

/** Each unit at most once, largest first: `90s`, `2h`, `60d`, `1d12h`, `1h30m`, `1w`. */
const DURATION = /^(?:(\d{1,9})w)?(?:(\d{1,9})d)?(?:(\d{1,9})h)?(?:(\d{1,9})m)?(?:(\d{1,9})s)?$/;

export const DURATION_FORMS =
  "whole weeks, days, hours, minutes or seconds, largest first, e.g. 90s, 15m, 2h, 60d or 1d12h";

/**
 * The seconds in a duration written as `90s`, `15m`, `2h`, `60d`, `1d12h` or `1w`; null when the
 * text is not one. The one grammar of the CLI (`clock advance`, `audit --since`) and the test API.
 */
export function durationSeconds(text: string): number | null {
  const match = DURATION.exec(text);
  if (text === "" || match === null) return null;
  return UNITS.reduce((sum, [, size], index) => sum + Number(match[index + 1] ?? 0) * size, 0);
}

/** Whether the text is written as a duration, however long. */
export const isDuration = (text: string): boolean => durationSeconds(text) !== null;

/** Longer than anything a clock is moved by or a log looked back over. */
const MAX_MS = 100 * 365 * 86_400_000;

/**
 * Milliseconds from a duration's text, or from a number of milliseconds as it is; a RangeError
 * naming the accepted forms otherwise.
 */
export function durationMs(value: number | string): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`A duration must be milliseconds (0 or more), or ${DURATION_FORMS}.`);
    }
    return value;
  }
  const seconds = durationSeconds(value);
  if (seconds === null)
    throw new RangeError(`${JSON.stringify(value)} is not a duration: give ${DURATION_FORMS}.`);
  if (seconds * 1000 > MAX_MS) throw new RangeError(`${JSON.stringify(value)} is over 100 years.`);
  return seconds * 1000;
}

/** Whole seconds in that grammar, in days and smaller units: `1d12h`, `90s` as `1m30s`, `0s`. */
export function formatDuration(seconds: number): string {
  let left = Math.round(Math.abs(seconds));
  const parts: string[] = [];
  for (const [unit, size] of UNITS.slice(1)) {
    const count = Math.floor(left / size);
    left -= count * size;
    if (count > 0) parts.push(`${count}${unit}`);
  }
  return parts.length === 0 ? "0s" : parts.join("");
}

/**
 * A duration for reading rather than typing: its largest unit (days at most) and the next, rounded to
 * that next one (`59d23h59m59.8s` is `60d`, a clock read a moment after it moved).
 */
export function formatApproximately(seconds: number): string {
  const whole = Math.round(Math.abs(seconds));
  const units = UNITS.slice(1);
  const largest = units.findIndex(([, size]) => whole >= size);
  const step = units[largest + 1]?.[1] ?? 1;
  return formatDuration(Math.round(whole / step) * step);
}
