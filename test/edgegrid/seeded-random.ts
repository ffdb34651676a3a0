/** A small deterministic PRNG (mulberry32) so property failures reproduce from the seed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[int(0, items.length - 1)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  };
  const string = (alphabet: string, min: number, max: number) =>
    Array.from({ length: int(min, max) }, () => pick([...alphabet])).join("");
  const bytes = (length: number) => Uint8Array.from({ length }, () => int(0, 255));
  const chance = (probability: number) => next() < probability;
  return { next, int, pick, string, bytes, chance };
}

export type SeededRandom = ReturnType<typeof seededRandom>;
