import type pg from "pg";
import type { SigningKeyRepository, TokenRepository } from "../store.ts";
import {
  keyFromRow,
  type SigningKeyRow,
  statusCountsFromRows,
  TOKEN_LISTING_COLUMNS,
  type TokenListingRow,
  type TokenOutcomeRow,
  type TokenRow,
  tokenFromRow,
  tokenListingFromRow,
  tokenToRow,
} from "../token-rows.ts";
import { inTransaction } from "./pool.ts";
import { createRefreshBatcher } from "./refresh-batch.ts";

/** How long a scheduler run's claim on the due tokens it took keeps other nodes off them. */
export const REFRESH_CLAIM_MS = 60_000;

export const TOKEN_COLUMNS = [
  "uuid",
  "account_id",
  "name",
  "kind",
  "allow_production",
  "allow_staging",
  "namespace_permissions",
  "edgeworker_ids",
  "cpcode",
  "expiry",
  "expires_at",
  "issued_at",
  "latest_refresh_on",
  "next_refresh_on",
  "credential",
  "previous_credential",
  "credential_version",
  "activation_due_at",
  "activation_outcome",
  "revoked_at",
  "created_at",
] as const satisfies ReadonlyArray<keyof TokenRow>;

export const INSERT_TOKEN = `INSERT INTO tokens (${TOKEN_COLUMNS.join(", ")})
  VALUES (${TOKEN_COLUMNS.map((_, index) => `$${index + 1}`).join(", ")})`;

const COUNT_LIVE_BY_OUTCOME = `SELECT kind, activation_outcome AS outcome, count(*)::int AS n,
    (count(*) FILTER (WHERE activation_due_at > $1))::int AS pending
  FROM tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at >= $1)
  GROUP BY kind, activation_outcome`;

// Named (prepared) statements for the reads every request makes: parsed and planned once per
// connection. Their columns are listed, so a later migration cannot change what they return.
const SELECT_BY_UUID = {
  name: "edgekv_token_by_uuid",
  text: `SELECT ${TOKEN_COLUMNS.join(", ")} FROM tokens WHERE uuid = $1`,
};
const SELECT_LIVE_BY_NAME = {
  name: "edgekv_token_by_name",
  text: `SELECT ${TOKEN_COLUMNS.join(", ")} FROM tokens WHERE account_id = $1 AND name = $2 AND revoked_at IS NULL`,
};

/** Serializes token creation per account across nodes (name check and limit count, then insert). */
const LOCK_ACCOUNT = "SELECT id FROM accounts WHERE id = $1 FOR UPDATE";

/**
 * Whether the name is taken by a live token, and the account's live tokens counted no further than
 * the limit (whether the account is at it is all a create needs): one round trip, and a cost that
 * does not grow with the account.
 */
const NAME_TAKEN_AND_COUNT = {
  name: "edgekv_token_name_taken_and_count",
  text: `SELECT EXISTS (SELECT 1 FROM tokens WHERE account_id = $1 AND name = $2 AND revoked_at IS NULL) AS taken,
    (SELECT count(*)::int FROM (SELECT 1 FROM tokens WHERE account_id = $1 AND revoked_at IS NULL LIMIT $3) live) AS n`,
};

export function tokenRepository(pool: pg.Pool): TokenRepository {
  const refreshes = createRefreshBatcher(pool);
  const one = async (sql: string, values: unknown[]) => {
    const row = (await pool.query<TokenRow>(sql, values)).rows[0];
    return row === undefined ? null : tokenFromRow(row);
  };
  return {
    insert: (token, { limit }) =>
      inTransaction(pool, async (client) => {
        await client.query(LOCK_ACCOUNT, [token.accountId]);
        const { rows } = await client.query<{ taken: boolean; n: number }>(NAME_TAKEN_AND_COUNT, [
          token.accountId,
          token.name,
          limit,
        ]);
        if (rows[0]?.taken === true) return "duplicate";
        if ((rows[0]?.n ?? 0) >= limit) return "limit";
        const row = tokenToRow(token);
        await client.query(
          INSERT_TOKEN,
          TOKEN_COLUMNS.map((column) => row[column]),
        );
        return "inserted";
      }),
    getByName: async ({ accountId, name }) => {
      const row = (await pool.query<TokenRow>({ ...SELECT_LIVE_BY_NAME, values: [accountId, name] })).rows[0];
      return row === undefined ? null : tokenFromRow(row);
    },
    getByUuid: async (uuid) => {
      const row = (await pool.query<TokenRow>({ ...SELECT_BY_UUID, values: [uuid] })).rows[0];
      return row === undefined ? null : tokenFromRow(row);
    },
    list: async (accountId) =>
      (
        await pool.query<TokenListingRow>(
          `SELECT ${TOKEN_LISTING_COLUMNS} FROM tokens WHERE account_id = $1 AND revoked_at IS NULL ORDER BY name COLLATE "C"`,
          [accountId],
        )
      ).rows.map(tokenListingFromRow),
    // Concurrent refreshes (a scheduler batch) share one statement and one commit.
    refresh: (input) => refreshes.refresh(input),
    revoke: ({ accountId, name, at }) =>
      one(
        "UPDATE tokens SET revoked_at = $3 WHERE account_id = $1 AND name = $2 AND revoked_at IS NULL RETURNING *",
        [accountId, name, at.getTime()],
      ),
    // Each batch is claimed for REFRESH_CLAIM_MS (real time, so a manual clock's jumps don't matter):
    // nodes running the scheduler at once take disjoint batches, SKIP LOCKED for rows being claimed
    // right now, the claim for rows claimed a moment ago. A claim left by a node that stopped lapses.
    // The versioned update in refresh() still guarantees each refresh happens once. Ordered by the
    // date alone, so that the index on it gives the first rows without sorting every due token.
    listDueRefreshes: async ({ today, limit }) => {
      const now = Date.now();
      const claimed = await pool.query<TokenRow>(
        `UPDATE tokens SET refresh_claimed_until = $3
         WHERE uuid IN (
           SELECT uuid FROM tokens
           WHERE kind = 'enhanced' AND revoked_at IS NULL AND next_refresh_on <= $1
             AND (refresh_claimed_until IS NULL OR refresh_claimed_until <= $4)
           ORDER BY next_refresh_on LIMIT $2 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [today, limit, now + REFRESH_CLAIM_MS, now],
      );
      return claimed.rows
        .map(tokenFromRow)
        .sort(
          (a, b) =>
            (a.nextRefreshOn ?? "").localeCompare(b.nextRefreshOn ?? "") || a.uuid.localeCompare(b.uuid),
        );
    },
    purge: async ({ expiredBefore, revokedBefore }) =>
      (
        await pool.query(
          "DELETE FROM tokens WHERE (expires_at IS NOT NULL AND expires_at < $1) OR (revoked_at IS NOT NULL AND revoked_at < $2)",
          [expiredBefore.getTime(), revokedBefore.getTime()],
        )
      ).rowCount ?? 0,
    countByStatus: async (now) =>
      statusCountsFromRows((await pool.query<TokenOutcomeRow>(COUNT_LIVE_BY_OUTCOME, [now.getTime()])).rows),
  };
}

/** One key rotation at a time across nodes. */
const ROTATION_LOCK = 7_433_002;

export function signingKeyRepository(pool: pg.Pool): SigningKeyRepository {
  return {
    listPublished: async (now) =>
      (
        await pool.query<SigningKeyRow>(
          "SELECT * FROM signing_keys WHERE publish_until > $1 ORDER BY created_at DESC, kid DESC",
          [now.getTime()],
        )
      ).rows.map(keyFromRow),
    insertUnlessRotated: (key, since) =>
      inTransaction(pool, async (client) => {
        await client.query("SELECT pg_advisory_xact_lock($1)", [ROTATION_LOCK]);
        const inserted = await client.query(
          `INSERT INTO signing_keys (kid, algorithm, sealed_private_jwk, public_jwk, created_at, publish_until)
           SELECT $1, $2, $3, $4, $5, $6
           WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE created_at >= $7)`,
          [
            key.kid,
            key.algorithm,
            key.sealedPrivateJwk,
            JSON.stringify(key.publicJwk),
            key.createdAt.getTime(),
            key.publishUntil.getTime(),
            since.getTime(),
          ],
        );
        return inserted.rowCount === 1;
      }),
  };
}
