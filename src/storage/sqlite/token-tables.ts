import type Database from "better-sqlite3";
import type { Token, TokenListing } from "../../tokens/model.ts";
import type { SigningKeyRepository, TokenInsertResult, TokenRepository } from "../store.ts";
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

import type { ReadCache } from "./read-cache.ts";

type Db = Database.Database;

export const INSERT_TOKEN = `INSERT INTO tokens (uuid, account_id, name, kind, allow_production, allow_staging,
    namespace_permissions, edgeworker_ids, cpcode, expiry, expires_at, issued_at, latest_refresh_on, next_refresh_on,
    credential, previous_credential, credential_version, activation_due_at, activation_outcome, revoked_at, created_at)
  VALUES (@uuid, @account_id, @name, @kind, @allow_production, @allow_staging, @namespace_permissions,
    @edgeworker_ids, @cpcode, @expiry, @expires_at, @issued_at, @latest_refresh_on, @next_refresh_on, @credential,
    @previous_credential, @credential_version, @activation_due_at, @activation_outcome, @revoked_at, @created_at)`;

/** Deletes tokens expired or revoked before the two times; the scheduler runs it every second. */
export const PURGE_TOKENS =
  "DELETE FROM tokens WHERE (expires_at IS NOT NULL AND expires_at < ?) OR (revoked_at IS NOT NULL AND revoked_at < ?)";

export function tokenRepository(db: Db, memo: ReadCache): TokenRepository {
  // Counts no further than the limit: whether the account is at it is all a create needs to know,
  // and an account far past it (raised and lowered again) costs no more than one at it.
  const countLive = db.prepare<[string, number], { n: number }>(
    "SELECT count(*) AS n FROM (SELECT 1 FROM tokens WHERE account_id = ? AND revoked_at IS NULL LIMIT ?)",
  );
  const nameTaken = db.prepare<[string, string], { uuid: string }>(
    "SELECT uuid FROM tokens WHERE account_id = ? AND name = ? AND revoked_at IS NULL",
  );
  const insertRow = db.prepare<[TokenRow]>(INSERT_TOKEN);
  const insert = db.transaction((token: Token, limit: number): TokenInsertResult => {
    if (nameTaken.get(token.accountId, token.name) !== undefined) return "duplicate";
    if ((countLive.get(token.accountId, limit)?.n ?? 0) >= limit) return "limit";
    insertRow.run(tokenToRow(token));
    return "inserted";
  });
  const selectLiveByName = db.prepare<[string, string], TokenRow>(
    "SELECT * FROM tokens WHERE account_id = ? AND name = ? AND revoked_at IS NULL",
  );
  const selectByUuid = db.prepare<[string], TokenRow>("SELECT * FROM tokens WHERE uuid = ?");
  const selectLive = db.prepare<[string], TokenListingRow>(
    `SELECT ${TOKEN_LISTING_COLUMNS} FROM tokens WHERE account_id = ? AND revoked_at IS NULL ORDER BY name`,
  );
  const applyRefresh = db.prepare<
    [
      {
        uuid: string;
        expected: number;
        credential: string;
        previous: string | null;
        latest: string;
        next: string;
        due: number;
        outcome: string;
      },
    ]
  >(
    `UPDATE tokens SET credential = @credential, previous_credential = @previous, latest_refresh_on = @latest,
       next_refresh_on = @next, activation_due_at = @due, activation_outcome = @outcome,
       credential_version = credential_version + 1
     WHERE uuid = @uuid AND credential_version = @expected AND revoked_at IS NULL`,
  );
  const revokeLive = db.prepare<[number, string, string], TokenRow>(
    "UPDATE tokens SET revoked_at = ? WHERE account_id = ? AND name = ? AND revoked_at IS NULL RETURNING *",
  );
  const selectDue = db.prepare<[string, number], TokenRow>(
    `SELECT * FROM tokens WHERE kind = 'enhanced' AND revoked_at IS NULL AND next_refresh_on <= ?
     ORDER BY next_refresh_on LIMIT ?`,
  );
  const purgeRows = db.prepare<[number, number]>(PURGE_TOKENS);
  const countLiveByOutcome = db.prepare<[{ now: number }], TokenOutcomeRow>(
    `SELECT kind, activation_outcome AS outcome, count(*) AS n, sum(activation_due_at > @now) AS pending
     FROM tokens WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at >= @now)
     GROUP BY kind, activation_outcome`,
  );
  // What every request reads is remembered until the database changes (read-cache.ts).
  const byName = memo<Token | null>();
  const byUuid = memo<Token | null>();
  const listed = memo<readonly TokenListing[]>();
  return {
    insert: async (token, { limit }) => insert.immediate(token, limit),
    getByName: async ({ accountId, name }) =>
      byName(`${accountId}\n${name}`, () => {
        const row = selectLiveByName.get(accountId, name);
        return row === undefined ? null : tokenFromRow(row);
      }),
    getByUuid: async (uuid) =>
      byUuid(uuid, () => {
        const row = selectByUuid.get(uuid);
        return row === undefined ? null : tokenFromRow(row);
      }),
    list: async (accountId) => [
      ...listed(accountId, () => selectLive.all(accountId).map(tokenListingFromRow)),
    ],
    refresh: async (input) =>
      applyRefresh.run({
        uuid: input.uuid,
        expected: input.expectedVersion,
        credential: input.credential,
        previous: input.previousCredential,
        latest: input.latestRefreshOn,
        next: input.nextRefreshOn,
        due: input.activationDueAt.getTime(),
        outcome: input.activationOutcome,
      }).changes === 1,
    revoke: async ({ accountId, name, at }) => {
      const row = revokeLive.get(at.getTime(), accountId, name);
      return row === undefined ? null : tokenFromRow(row);
    },
    listDueRefreshes: async ({ today, limit }) => selectDue.all(today, limit).map(tokenFromRow),
    purge: async ({ expiredBefore, revokedBefore }) =>
      purgeRows.run(expiredBefore.getTime(), revokedBefore.getTime()).changes,
    countByStatus: async (now) => statusCountsFromRows(countLiveByOutcome.all({ now: now.getTime() })),
  };
}

export function signingKeyRepository(db: Db): SigningKeyRepository {
  const selectPublished = db.prepare<[number], SigningKeyRow>(
    "SELECT * FROM signing_keys WHERE publish_until > ? ORDER BY created_at DESC, kid DESC",
  );
  const insertUnless = db.prepare<[SigningKeyRow & { since: number }]>(
    `INSERT INTO signing_keys (kid, algorithm, sealed_private_jwk, public_jwk, created_at, publish_until)
     SELECT @kid, @algorithm, @sealed_private_jwk, @public_jwk, @created_at, @publish_until
     WHERE NOT EXISTS (SELECT 1 FROM signing_keys WHERE created_at >= @since)`,
  );
  return {
    listPublished: async (now) => selectPublished.all(now.getTime()).map(keyFromRow),
    insertUnlessRotated: async (key, since) =>
      insertUnless.run({
        kid: key.kid,
        algorithm: key.algorithm,
        sealed_private_jwk: key.sealedPrivateJwk,
        public_jwk: JSON.stringify(key.publicJwk),
        created_at: key.createdAt.getTime(),
        publish_until: key.publishUntil.getTime(),
        since: since.getTime(),
      }).changes === 1,
  };
}
