import pg from "pg";
import type { PoolSettings } from "./pool.ts";

/** The channel every node listens on and notifies after a write that cached reads depend on. */
export const CHANGES_CHANNEL = "edgekv_changes";
/** Even without a notification (a node of an older version, a lost connection), a read is redone after this. */
export const CACHE_TTL_MS = 500;
const RECONNECT_MS = 1_000;
const MAX_ENTRIES = 20_000;

/**
 * What lets nodes sharing one database cache their hottest reads (tokens, token lists, data-plane
 * item reads). Each node keeps one connection that LISTENs on a channel; every write that could
 * change a cached read NOTIFYs it after committing, and every node (this one at once, the others a
 * few milliseconds later) then forgets everything it cached. While the listening connection is
 * down nothing is cached, and no cached read is older than CACHE_TTL_MS in any case, so a revoke,
 * refresh or expiry on one node is honoured by every node well within a second.
 */
export function createChangeFeed(settings: PoolSettings, pool: pg.Pool) {
  let generation = 0;
  let listening = false;
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;
  const forget = () => {
    generation += 1;
  };

  // Notifications carry no content, so many writes share one: a write made while one is on its
  // way waits for the next, which is sent once that one is done (after the write committed).
  let sending: Promise<void> | null = null;
  let following: Promise<void> | null = null;
  function announce(): Promise<void> {
    if (sending === null) {
      sending = pool
        .query("SELECT pg_notify($1, '')", [CHANGES_CHANNEL])
        .then(
          () => undefined,
          () => undefined,
        )
        .finally(() => {
          sending = null;
        });
      return sending;
    }
    following ??= sending.then(() => {
      following = null;
      return announce();
    });
    return following;
  }

  async function listen(): Promise<void> {
    if (closed) return;
    const options = settings.schema === undefined ? undefined : `-c search_path=${settings.schema}`;
    const next = new pg.Client({
      connectionString: settings.url,
      connectionTimeoutMillis: 10_000,
      ...(options === undefined ? {} : { options }),
    });
    const lost = () => {
      if (client !== next) return;
      client = null;
      listening = false;
      forget();
      next.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => void listen(), RECONNECT_MS);
    };
    next.on("notification", forget);
    next.on("error", lost);
    next.on("end", lost);
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (client !== next) return;
      // Whatever was cached before now was read while nobody was listening for changes.
      forget();
      listening = !closed;
    } catch {
      lost();
    }
  }

  return {
    /** Connects the listening connection; the feed works (uncached) until it has. */
    start: () => listen(),
    listening: () => listening,
    /** After a write: forget here at once, and tell the other nodes. */
    async changed(): Promise<void> {
      forget();
      await announce();
    },
    /** A cache of one kind of read; nothing is remembered while the feed is not listening. */
    cache<V>({ keep = (value: V): boolean => value !== null }: { keep?: (value: V) => boolean } = {}) {
      const entries = new Map<string, { value: V; generation: number; until: number }>();
      return async (key: string, load: () => Promise<V>): Promise<V> => {
        const at = performance.now();
        const hit = entries.get(key);
        if (hit !== undefined && hit.generation === generation && hit.until > at && listening)
          return hit.value;
        const started = generation;
        const value = await load();
        if (listening && started === generation && keep(value)) {
          if (entries.size >= MAX_ENTRIES) entries.clear();
          entries.set(key, { value, generation: started, until: at + CACHE_TTL_MS });
        }
        return value;
      };
    },
    async close(): Promise<void> {
      closed = true;
      listening = false;
      if (retry !== null) clearTimeout(retry);
      const open = client;
      client = null;
      await open?.end().catch(() => undefined);
    },
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;

/** Whether a write's result says it changed nothing (0 rows, false, null): then no one is told. */
const unchanged = (result: unknown) => result === 0 || result === false || result === null;

/** The repository with `methods` telling the feed after they ran (and changed something). */
export function notifying<R extends object>(
  feed: ChangeFeed,
  repository: R,
  methods: ReadonlyArray<keyof R>,
): R {
  const wrapped = { ...repository };
  for (const method of methods) {
    const original = repository[method];
    if (typeof original !== "function") continue;
    wrapped[method] = (async (...args: unknown[]) => {
      try {
        const result = await (original as (...input: unknown[]) => Promise<unknown>).apply(repository, args);
        if (!unchanged(result)) await feed.changed();
        return result;
      } catch (error) {
        // A failed write may still have changed something (a statement that committed before it).
        await feed.changed();
        throw error;
      }
    }) as R[keyof R];
  }
  return wrapped;
}
