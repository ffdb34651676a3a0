import type { ManualClock } from "../clock.ts";
import type { SettingsRepository } from "../storage/store.ts";

const SETTING = "manual_clock.now";

/**
 * `--clock manual` across several nodes: the time lives in the database. A node takes it before
 * each request and each scheduler run, and writes it back when it moves the clock.
 */
export interface ManualClockControl {
  readonly clock: ManualClock;
  sync(): Promise<void>;
  persist(): Promise<void>;
}

/**
 * On a start with the system clock: the time a `--clock manual` session left in the database, when
 * it is ahead of `now`. It is forgotten (a manual time lasts only while the server runs manual), and
 * returned so the start can say that dates set in that time now lie in the future.
 */
export async function forgetManualTime(settings: SettingsRepository, now: Date): Promise<Date | null> {
  const saved = await settings.get(SETTING);
  if (saved === null) return null;
  await settings.delete(SETTING);
  const at = Date.parse(saved);
  return Number.isNaN(at) || at <= now.getTime() ? null : new Date(at);
}

export function createSharedManualClock({
  clock,
  settings,
}: {
  clock: ManualClock;
  settings: SettingsRepository;
}): ManualClockControl {
  return {
    clock,
    async sync() {
      const saved = await settings.get(SETTING);
      const at = saved === null ? Number.NaN : Date.parse(saved);
      // The clock only moves forward, so a node never goes back to an older saved time.
      if (!Number.isNaN(at) && at > clock.now().getTime()) clock.set(new Date(at));
      if (saved === null) await settings.set(SETTING, clock.now().toISOString());
    },
    async persist() {
      await settings.set(SETTING, clock.now().toISOString());
    },
  };
}
