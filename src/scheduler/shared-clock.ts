import type { ManualClock } from "../clock.ts";
import type { SettingsRepository } from "../storage/store.ts";

const SETTING = "manual_clock.now";
/** How many times the clock was put back; a node that sees it change takes the saved time, earlier too. */
const RESETS = "manual_clock.resets";

/**
 * `--clock manual` across several nodes: the time lives in the database. A node takes it before
 * each request and each scheduler run, and writes it back when it moves the clock.
 */
export interface ManualClockControl {
  readonly clock: ManualClock;
  sync(): Promise<void>;
  persist(): Promise<void>;
  /** Puts the clock at `at`, earlier than now too, on every node (each takes it at its next sync). */
  reset(at: Date): Promise<void>;
}

/**
 * On a start with the system clock: the time a `--clock manual` session left in the database, when
 * it is ahead of `now`. It is forgotten (a manual time lasts only while the server runs manual), and
 * returned so the start can say that dates set in that time now lie in the future.
 */
export async function forgetManualTime(settings: SettingsRepository, now: Date): Promise<Date | null> {
  const saved = await settings.get(SETTING);
  await settings.delete(RESETS);
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
  // The resets this node has seen; undefined until its first sync, which takes them as they are.
  let resetsSeen: string | null | undefined;
  return {
    clock,
    async sync() {
      // Read before the time: reset() writes the time first, so a changed count comes with its time.
      const resets = await settings.get(RESETS);
      const saved = await settings.get(SETTING);
      const at = saved === null ? Number.NaN : Date.parse(saved);
      const wasReset = resetsSeen !== undefined && resets !== resetsSeen;
      resetsSeen = resets;
      // Otherwise the clock only moves forward, so a node never goes back to an older saved time.
      if (!Number.isNaN(at) && (wasReset || at > clock.now().getTime())) clock.set(new Date(at));
      if (saved === null) await settings.set(SETTING, clock.now().toISOString());
    },
    async persist() {
      await settings.set(SETTING, clock.now().toISOString());
    },
    async reset(at) {
      clock.set(at);
      await settings.set(SETTING, at.toISOString());
      const resets = String((Number.parseInt((await settings.get(RESETS)) ?? "0", 10) || 0) + 1);
      await settings.set(RESETS, resets);
      resetsSeen = resets;
    },
  };
}
