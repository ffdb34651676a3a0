import { systemClock } from "../clock.ts";
import { SERVER_TIME_HEADER } from "../http/server-time.ts";

/** "Now" for relative dates ("expired", "in 12 days", "due"), and whose clock it was read from. */
export interface ServerNow {
  readonly at: Date;
  /**
   * `server`: its X-EdgeKV-Time, edgekv-server's own clock, manual or not. `date`: its HTTP Date, the
   * real time of a server that sends no X-EdgeKV-Time (Akamai's). `local`: no answer said a time, so
   * this computer's clock.
   */
  readonly source: "server" | "date" | "local";
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const parsed = (value: string | undefined): Date | null => {
  const at = Date.parse(value ?? "");
  return Number.isNaN(at) ? null : new Date(at);
};

/** The server's time as an answer's headers (names in lower case, as Node gives them) say it; null if they do not. */
export function serverTimeOf(
  headers: Readonly<Record<string, string | string[] | undefined>>,
): ServerNow | null {
  const own = parsed(first(headers[SERVER_TIME_HEADER.toLowerCase()]));
  if (own !== null) return { at: own, source: "server" };
  const date = parsed(first(headers.date));
  return date === null ? null : { at: date, source: "date" };
}

export const localNow = (): ServerNow => ({ at: systemClock.now(), source: "local" });

/** Said on stderr when relative dates are shown from this computer's clock, which may not be the server's. */
export const localTimeNote = (host: string) =>
  `edgekv: ${host} did not say its time; "expired", "in N days" and "due" follow this computer's clock.\n`;
