import type pg from "pg";
import type { TokenRefresh } from "../store.ts";

interface Pending {
  readonly input: TokenRefresh;
  resolve(applied: boolean): void;
  reject(error: unknown): void;
}

// One statement (one commit) applies a whole batch of versioned refreshes; RETURNING names the
// tokens it changed, each still only if at the expected version and not revoked. A refreshed token's
// scheduler claim ends with it: its next refresh is free to be taken at once.
const REFRESH_BATCH = {
  name: "edgekv_token_refresh_batch",
  text: `UPDATE tokens AS t SET credential = v.credential, previous_credential = v.previous,
      latest_refresh_on = v.latest, next_refresh_on = v.next, activation_due_at = v.due,
      activation_outcome = v.outcome, credential_version = t.credential_version + 1,
      refresh_claimed_until = NULL
    FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::text[])
      AS v(uuid, expected, credential, previous, latest, next, due, outcome)
    WHERE t.uuid = v.uuid AND t.credential_version = v.expected AND t.revoked_at IS NULL
    RETURNING t.uuid`,
};

/**
 * The scheduler refreshes a batch of due tokens at once: their updates travel together, so 100,000
 * refreshes are a thousand commits rather than 100,000. A refresh asked for alone goes alone, as
 * soon as the statement before it is done. A token twice in one batch waits for the next.
 */
export function createRefreshBatcher(pool: pg.Pool) {
  let waiting: Pending[] = [];
  let inFlight = false;

  async function send(batch: Pending[]): Promise<void> {
    try {
      const { rows } = await pool.query<{ uuid: string }>({
        ...REFRESH_BATCH,
        values: [
          batch.map((entry) => entry.input.uuid),
          batch.map((entry) => entry.input.expectedVersion),
          batch.map((entry) => entry.input.credential),
          batch.map((entry) => entry.input.previousCredential),
          batch.map((entry) => entry.input.latestRefreshOn),
          batch.map((entry) => entry.input.nextRefreshOn),
          batch.map((entry) => entry.input.activationDueAt.getTime()),
          batch.map((entry) => entry.input.activationOutcome),
        ],
      });
      const applied = new Set(rows.map((row) => row.uuid));
      for (const entry of batch) entry.resolve(applied.has(entry.input.uuid));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }

  async function drain(): Promise<void> {
    while (waiting.length > 0) {
      const batch: Pending[] = [];
      const later: Pending[] = [];
      const uuids = new Set<string>();
      for (const entry of waiting) {
        if (uuids.has(entry.input.uuid)) later.push(entry);
        else {
          uuids.add(entry.input.uuid);
          batch.push(entry);
        }
      }
      waiting = later;
      await send(batch);
    }
    inFlight = false;
  }

  return {
    refresh(input: TokenRefresh): Promise<boolean> {
      return new Promise<boolean>((resolve, reject) => {
        waiting.push({ input, resolve, reject });
        if (!inFlight) {
          inFlight = true;
          setImmediate(() => void drain());
        }
      });
    },
  };
}
