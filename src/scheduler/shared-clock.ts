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
