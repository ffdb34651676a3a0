const DAY_MS = 86_400_000;

const dayNames = new Map<number, string>();

/** `YYYY-MM-DD` of an instant, in UTC (a list prints one per token: each day is formatted once). */
export const utcDate = (instant: Date): string => {
  const day = Math.floor(instant.getTime() / DAY_MS);
  let name = dayNames.get(day);
  if (name === undefined) {
    name = instant.toISOString().slice(0, 10);
    if (dayNames.size >= 10_000) dayNames.clear();
    dayNames.set(day, name);
  }
  return name;
};

export const addDays = (date: string, days: number): string =>
  utcDate(new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS));

/** The last second of a UTC date: when a legacy token stops working. */
export const endOfDay = (date: string): Date => new Date(Date.parse(`${date}T23:59:59Z`));

export const daysToMs = (days: number): number => days * DAY_MS;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * The date of an expiry given as `YYYY-MM-DD` or as an ISO-8601 timestamp (the official CLI sends
 * `YYYY-MM-DDT00:00:00Z`); null when it is neither, or not a real calendar date.
 */
export function parseExpiryDate(value: string): string | null {
  const date = TIMESTAMP.exec(value)?.[1] ?? value;
  const match = DATE.exec(date);
  if (match === null) return null;
  const parsed = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || utcDate(parsed) !== date) return null;
  if (value !== date && Number.isNaN(Date.parse(value))) return null;
  return date;
}
