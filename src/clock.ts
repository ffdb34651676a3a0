/**
 * The only source of "now" and of timers in the server: everything that needs time receives a
 * Clock, so moving a manual clock fires what has come due, as real time would.
 */
export interface Clock {
  now(): Date;
  /** Calls `callback` every `intervalMs` of this clock's time, first `intervalMs` from now. */
  every(intervalMs: number, callback: TimerCallback): Timer;
  /** Calls `callback` once, `delayMs` from now on this clock. */
  after(delayMs: number, callback: TimerCallback): Timer;
}

export interface Timer {
  /** The callback is not called again; cancelling twice is harmless. */
  cancel(): void;
}

/**
 * May be async. A callback owns its failures (the scheduler logs its own); whatever escapes anyway,
 * thrown or rejected, goes to the clock's `onTimerError`, never to whoever moved the clock.
 */
export type TimerCallback = () => unknown;

export interface ClockOptions {
  /** Default: printed to stderr with its stack, since an escaped failure is a bug. */
  onTimerError?: (error: unknown) => void;
}

function reportTimerError(error: unknown): void {
  console.error("edgekv: a timer callback failed", error);
}

function fire(callback: TimerCallback, onTimerError: (error: unknown) => void): void {
  try {
    Promise.resolve(callback()).catch(onTimerError);
  } catch (error) {
    onTimerError(error);
  }
}

function checkInterval(intervalMs: number): void {
  if (!(intervalMs > 0 && Number.isFinite(intervalMs)))
    throw new RangeError(`A timer interval must be a positive number of milliseconds, not ${intervalMs}.`);
}

/** Real time. Its timers are unref()ed: they never keep the process alive on their own. */
export function createSystemClock({ onTimerError = reportTimerError }: ClockOptions = {}): Clock {
  return {
    now: () => new Date(),
    every: (intervalMs, callback) => {
      checkInterval(intervalMs);
      const handle = setInterval(() => fire(callback, onTimerError), intervalMs).unref();
      return { cancel: () => clearInterval(handle) };
    },
    after: (delayMs, callback) => {
      const handle = setTimeout(() => fire(callback, onTimerError), delayMs).unref();
      return { cancel: () => clearTimeout(handle) };
    },
  };
}

export const systemClock: Clock = createSystemClock();

/**
 * A clock that moves only when told to: tests and `--clock manual` use it. Each move fires every
 * timer due at or before the new time, in due order, synchronously (an async callback's work goes
 * on after the move returns). An interval timer fires once per move however many periods the move
 * skipped (a 60-day jump must not run the scheduler five million times), and is then due one
 * interval after the new time. `set` accepts any time, earlier too: nothing is due then, and every
 * timer keeps the time it had left (an interval set to go off in 1 s still goes off 1 s later).
 */
export interface ManualClock extends Clock {
  set(at: Date): void;
  advance(milliseconds: number): void;
}

interface PendingTimer {
  due: number;
  intervalMs: number | null;
  callback: TimerCallback;
}

export function createManualClock(
  start: Date = new Date(),
  { onTimerError = reportTimerError }: ClockOptions = {},
): ManualClock {
  let current = start.getTime();
  const pending = new Set<PendingTimer>();

  function schedule(delayMs: number, intervalMs: number | null, callback: TimerCallback): Timer {
    const timer: PendingTimer = { due: current + delayMs, intervalMs, callback };
    pending.add(timer);
    return { cancel: () => pending.delete(timer) };
  }

  function moveTo(at: number): void {
    if (at < current) {
      // Going back: timers stay as far ahead as they were, not as far as the time they were due.
      for (const timer of pending) timer.due -= current - at;
      current = at;
      return;
    }
    current = at;
    // Timers created by a callback during this move wait for the next one.
    const due = [...pending].filter((timer) => timer.due <= current).sort((a, b) => a.due - b.due);
    for (const timer of due) {
      // An earlier callback may have cancelled it, or moved the clock again and fired it already.
      if (!pending.has(timer) || timer.due > current) continue;
      if (timer.intervalMs === null) pending.delete(timer);
      else timer.due = current + timer.intervalMs;
      fire(timer.callback, onTimerError);
    }
  }

  return {
    now: () => new Date(current),
    every: (intervalMs, callback) => {
      checkInterval(intervalMs);
      return schedule(intervalMs, intervalMs, callback);
    },
    after: (delayMs, callback) => schedule(Math.max(0, delayMs), null, callback),
    set: (at) => moveTo(at.getTime()),
    advance: (milliseconds) => moveTo(current + milliseconds),
  };
}
