/**
 * Nonces this process has accepted, until they expire. A replay to the same process is refused
 * without touching the database; nodes that share a database also record nonces there.
 */
export function createRecentNonces({ now }: { now: () => Date }) {
  const expiries = new Map<string, number>();
  let nextSweep = 0;

  function sweep(at: number): void {
    for (const [key, expiresAt] of expiries) if (expiresAt < at) expiries.delete(key);
    nextSweep = at + 10_000;
  }

  return {
    /** Records the nonce; false when it was seen and has not expired. */
    remember({
      clientToken,
      nonce,
      expiresAt,
    }: {
      clientToken: string;
      nonce: string;
      expiresAt: Date;
    }): boolean {
      const at = now().getTime();
      if (at >= nextSweep) sweep(at);
      const key = `${clientToken}\n${nonce}`;
      const seen = expiries.get(key);
      if (seen !== undefined && seen >= at) return false;
      expiries.set(key, expiresAt.getTime());
      return true;
    },
    size: () => expiries.size,
  };
}
