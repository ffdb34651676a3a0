const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export const DURATION_FORMS = "a whole number with a unit (s, m, h, d, w), or several such as 1d12h";

const DURATION = /^(\d+[smhdw])+$/;
/** Longer than anything a clock is moved by or a log looked back over. */
const MAX_MS = 100 * 365 * 86_400_000;

/** Whether the text is written as a duration (`90s`, `1d12h`), however long. */
export const isDuration = (text: string): boolean => DURATION.test(text.trim().toLowerCase());

/**
 * Milliseconds from `90s`, `2h`, `60d`, `1d12h`, or from a number of milliseconds as it is; a
 * RangeError naming the accepted forms otherwise.
 */
export function durationMs(value: number | string): number {
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`A duration must be ${DURATION_FORMS}.`);
    return value;
  }
  const text = value.trim().toLowerCase();
  if (!DURATION.test(text)) {
    throw new RangeError(`${JSON.stringify(value)} is not a duration: give ${DURATION_FORMS}.`);
  }
  let total = 0;
  for (const [, amount = "0", unit = "s"] of text.matchAll(/(\d+)([smhdw])/g)) {
    total += Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  }
  if (total > MAX_MS) throw new RangeError(`${JSON.stringify(value)} is over 100 years.`);
  return total;
}
