/**
 * The server's time as the page knows it: the latest `X-EdgeKV-Time` (or `time` event) and the
 * moment, on this browser's monotonic clock, it arrived. The browser's own date is never used.
 */
export interface ServerClock {
  readonly serverMs: number;
  readonly receivedAt: number;
  /** A manual clock stands still between moves, so its time is not carried forward. */
  readonly mode: "manual" | "system";
}

/** The clock after a reading; a reading that is not a date leaves it as it was. */
export function readClock(clock: ServerClock, iso: string | null, receivedAt: number): ServerClock {
  if (iso === null) return clock;
  const serverMs = Date.parse(iso);
  if (Number.isNaN(serverMs)) return clock;
  return { ...clock, serverMs, receivedAt };
}

/** The server's time now, `monotonicNow` being the browser's `performance.now()`. */
export function serverNow(clock: ServerClock, monotonicNow: number): number {
  if (clock.mode === "manual") return clock.serverMs;
  return clock.serverMs + Math.max(0, monotonicNow - clock.receivedAt);
}
