/**
 * Remembers loaded values for a short time: enough to spare the database on every request of a
 * busy client, short enough that a change made elsewhere (a revoked client, another node's change)
 * applies at once for a person watching. A change made here is forgotten at once.
 */
export function createShortCache<V>({ ttlMs, now }: { ttlMs: number; now: () => number }) {
  const entries = new Map<string, { value: V; until: number }>();
  return {
    async get(key: string, load: () => Promise<V>): Promise<V> {
      const at = now();
      const hit = entries.get(key);
      if (hit !== undefined && hit.until > at) return hit.value;
      const value = await load();
      if (entries.size > 10_000) entries.clear();
      entries.set(key, { value, until: at + ttlMs });
      return value;
    },
    forget(key: string): void {
      entries.delete(key);
    },
  };
}
