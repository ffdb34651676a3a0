import type { NonceJournal } from "./nonce-journal.ts";

/**
 * Nonces this process has accepted, until they expire. A replay to the same process is refused
 * without touching the database; nodes that share a database also record nonces there. With a
 * journal (a single-process SQLite server), accepted nonces also go to a file and come back from it
 * at the next start, so a restart forgets none.
 */
export function createRecentNonces({
  now,
  journal,
}: {
  now: () => Date;
  journal?: NonceJournal | undefined;
}) {
  const expiries = new Map<string, number>();
  let nextSweep = 0;
  const keyOf = (clientToken: string, nonce: string) => `${clientToken}\n${nonce}`;
  for (const entry of journal?.loaded ?? [])
    expiries.set(keyOf(entry.clientToken, entry.nonce), entry.expiresAt);

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
      const key = keyOf(clientToken, nonce);
      const seen = expiries.get(key);
      if (seen !== undefined && seen >= at) return false;
      expiries.set(key, expiresAt.getTime());
      journal?.append({ clientToken, nonce, expiresAt: expiresAt.getTime() });
      return true;
    },
    size: () => expiries.size,
  };
}
