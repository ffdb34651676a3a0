import type { Store } from "../storage/store.ts";
import type { Token } from "./model.ts";

/**
 * How long a token read for the data plane is reused. A change made through this process (revoke,
 * refresh, purge, reset, import) is forgotten at once; one made by another node sharing the
 * database, or by the CLI on the SQLite file, is seen within this time (the contract: within 1 s).
 * Expiry and activation are worked out from the token at every request, so the time alone needs
 * no reload.
 */
export const TOKEN_CACHE_MS = 500;
const MAX_ENTRIES = 20_000;

export type TokenCache = ReturnType<typeof createTokenCache>;

/** Tokens by uuid, for a short time; an unknown uuid is not remembered (a new token works at once). */
export function createTokenCache({ ttlMs = TOKEN_CACHE_MS, now = () => performance.now() } = {}) {
  const entries = new Map<string, { token: Token; until: number }>();
  const loading = new Map<string, Promise<Token | null>>();
  // Bumped by every forget: a read that began before a change does not put the old row back.
  let generation = 0;
  return {
    async get(uuid: string, load: (uuid: string) => Promise<Token | null>): Promise<Token | null> {
      const at = now();
      const hit = entries.get(uuid);
      if (hit !== undefined && hit.until > at) return hit.token;
      const pending = loading.get(uuid);
      if (pending !== undefined) return pending;
      const started = generation;
      const promise = load(uuid).then(
        (token) => {
          if (loading.get(uuid) === promise) loading.delete(uuid);
          if (token !== null && started === generation) {
            if (entries.size >= MAX_ENTRIES) entries.clear();
            entries.set(uuid, { token, until: at + ttlMs });
          }
          return token;
        },
        (error: unknown) => {
          if (loading.get(uuid) === promise) loading.delete(uuid);
          throw error;
        },
      );
      loading.set(uuid, promise);
      return promise;
    },
    forget(uuid: string): void {
      generation += 1;
      entries.delete(uuid);
      loading.delete(uuid);
    },
    clear(): void {
      generation += 1;
      entries.clear();
      loading.clear();
    },
    size: () => entries.size,
  };
}

const caches = new WeakMap<Store, TokenCache>();

/** The one cache of a store: the data plane reads through it, the token writers forget through it. */
export function tokenCacheOf(store: Store): TokenCache {
  let cache = caches.get(store);
  if (cache === undefined) {
    cache = createTokenCache();
    caches.set(store, cache);
  }
  return cache;
}
