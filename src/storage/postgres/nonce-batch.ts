import type pg from "pg";

interface Pending {
  readonly clientToken: string;
  readonly nonce: string;
  readonly expiresAt: number;
  readonly now: number;
  resolve(accepted: boolean): void;
  reject(error: unknown): void;
}

// One statement records a whole batch; RETURNING names the nonces it accepted (inserted, or
// replacing an expired row). A live row is left alone and its nonce is refused, as one by one.
const REMEMBER_BATCH = {
  name: "edgekv_nonce_remember_batch",
  text: `INSERT INTO nonces (client_token, nonce, expires_at)
    SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
    ON CONFLICT (client_token, nonce) DO UPDATE SET expires_at = excluded.expires_at
    WHERE nonces.expires_at < $4
    RETURNING client_token, nonce`,
};

/**
 * Every signed request records its nonce in the shared table before it is answered. Requests that
 * arrive while a batch is on its way are sent together in the next one: one round trip for many
 * requests under load, the same single round trip as before when there is no load. Each nonce is
 * still accepted at most once across every node (the primary key decides); a batch takes its
 * earliest `now`, so it never accepts a replay that one statement per request would have refused.
 */
export function createNonceBatcher(pool: pg.Pool) {
  let waiting: Pending[] = [];
  let inFlight = false;

  async function send(batch: Pending[]): Promise<void> {
    // A nonce twice in one batch: the first counts, the second is a replay.
    const seen = new Set<string>();
    const unique: Pending[] = [];
    for (const entry of batch) {
      const key = `${entry.clientToken}\n${entry.nonce}`;
      if (seen.has(key)) entry.resolve(false);
      else {
        seen.add(key);
        unique.push(entry);
      }
    }
    // In one order on every node: two batches sharing nonces (a replay sent to two nodes at once)
    // wait for each other instead of deadlocking.
    unique.sort((a, b) =>
      a.clientToken === b.clientToken ? (a.nonce < b.nonce ? -1 : 1) : a.clientToken < b.clientToken ? -1 : 1,
    );
    try {
      const { rows } = await pool.query<{ client_token: string; nonce: string }>({
        ...REMEMBER_BATCH,
        values: [
          unique.map((entry) => entry.clientToken),
          unique.map((entry) => entry.nonce),
          unique.map((entry) => entry.expiresAt),
          Math.min(...unique.map((entry) => entry.now)),
        ],
      });
      const accepted = new Set(rows.map((row) => `${row.client_token}\n${row.nonce}`));
      for (const entry of unique) entry.resolve(accepted.has(`${entry.clientToken}\n${entry.nonce}`));
    } catch (error) {
      for (const entry of unique) entry.reject(error);
    }
  }

  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      await send(batch);
    }
    inFlight = false;
  }

  return {
    remember(input: { clientToken: string; nonce: string; expiresAt: Date; now: Date }): Promise<boolean> {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({
          clientToken: input.clientToken,
          nonce: input.nonce,
          expiresAt: input.expiresAt.getTime(),
          now: input.now.getTime(),
          resolve,
          reject,
        });
        // The requests read in this turn of the event loop go together (setImmediate runs after
        // the turn's I/O callbacks), then whatever arrives while that batch is on its way.
        if (!inFlight) {
          inFlight = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
