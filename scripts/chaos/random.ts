/**
 * Seeded choices, so that `--seed` repeats a run's decisions (which operation, which key, when to
 * kill, which node). Timing still differs between runs: the seed fixes the choices, not the moment
 * each request reaches the server.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  between(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** An independent stream for one purpose, made from the seed and the label alone. */
  fork(label: string): Random;
}

/** Spreads the bits of a 32-bit value (a murmur3-style finalizer), so nearby seeds diverge at once. */
function scramble(value: number): number {
  let x = value >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (const char of label) hash = Math.imul(hash ^ (char.codePointAt(0) ?? 0), 0x01000193);
  return hash >>> 0;
}

/** xorshift32: fast and plenty for choosing test actions; not for anything secret. */
export function seededRandom(seed: number): Random {
  // Zero is xorshift's one fixed point: it would only ever produce zero.
  let state = scramble(seed) || 0x6d2b79f5;
  const nextUint = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  const next = () => nextUint() / 0x1_0000_0000;
  return {
    next,
    between: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new Error("pick() needs at least one item");
      return item;
    },
    fork: (label) => seededRandom(scramble(seed ^ hashLabel(label))),
  };
}

export const randomSeed = (): number => Math.floor(Math.random() * 0x1_0000_0000);
