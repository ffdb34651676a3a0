import { DURATION_FORMS, durationSeconds } from "../duration.ts";
import { UserError } from "./user-error.ts";

/** As far as the server moves its clock at once. */
export const MAX_ADVANCE_SECONDS = 3_650 * 86_400;

/** Seconds in a duration such as `60d` or `1d12h`; a UserError naming the accepted forms otherwise. */
export function parseDuration(text: string): number {
  const seconds = durationSeconds(text);
  if (seconds === null)
    throw new UserError(`Invalid duration "${text}": give ${DURATION_FORMS} (up to 3650d).`);
  if (seconds > MAX_ADVANCE_SECONDS) {
    throw new UserError(`Invalid duration "${text}": the clock moves at most 3650d (ten years) at once.`);
  }
  return seconds;
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
