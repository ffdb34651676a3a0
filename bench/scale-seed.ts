// The million-token database of `npm run bench:scale`, written straight into the server's tables
// (one INSERT … SELECT per table, no signed requests): 2,000 accounts of 500 enhanced tokens each,
// a `default` namespace per account, and 500 items per account (1,000,000 items).
import Database from "better-sqlite3";
import pg from "pg";

export const SCALE_ACCOUNTS = 2_000;
export const TOKENS_PER_ACCOUNT = 500;
export const SCALE_TOKENS = SCALE_ACCOUNTS * TOKENS_PER_ACCOUNT;
export const SCALE_ITEMS = SCALE_TOKENS;
/** A stand-in for a token's JWT, as long as a real one, so that the bytes per token are realistic. */
const CREDENTIAL_LENGTH = 620;

export interface ScaleShape {
  readonly accounts: number;
  readonly tokensPerAccount: number;
  readonly items: number;
  /** The tokens' next refresh date (YYYY-MM-DD); far off by default. */
  readonly nextRefreshOn: string;
}

const MILLION: ScaleShape = {
  accounts: SCALE_ACCOUNTS,
  tokensPerAccount: TOKENS_PER_ACCOUNT,
  items: SCALE_ITEMS,
  nextRefreshOn: "2099-01-01",
};

const seedSql = (dialect: "sqlite" | "postgres", now: number, shape: ScaleShape) => {
  const SCALE_ACCOUNTS = shape.accounts;
  const TOKENS_PER_ACCOUNT = shape.tokensPerAccount;
  const SCALE_TOKENS = shape.accounts * shape.tokensPerAccount;
  const SCALE_ITEMS = shape.items;
  const next = `'${shape.nextRefreshOn}'`;
  const credential = `'${"x".repeat(CREDENTIAL_LENGTH)}'`;
  if (dialect === "sqlite") {
    const series = (count: number) =>
      `WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < ${count - 1})`;
    const account = `printf('scale%04d', n / ${TOKENS_PER_ACCOUNT})`;
    return [
      `${series(SCALE_ACCOUNTS)} INSERT INTO accounts (id, cpcode, initialized_at, restrict_data_access, allow_namespace_policy_override, created_at)
        SELECT printf('scale%04d', n), '1234567', ${now}, 0, 1, ${now} FROM s`,
      `${series(SCALE_ACCOUNTS)} INSERT INTO namespaces (account_id, network, name, retention_seconds, geo_location, group_id, restrict_data_access, created_at)
        SELECT printf('scale%04d', n), 'production', 'default', 0, 'US', 0, 0, ${now} FROM s`,
      `${series(SCALE_TOKENS)} INSERT INTO tokens (uuid, account_id, name, kind, allow_production, allow_staging, namespace_permissions,
          edgeworker_ids, cpcode, expiry, expires_at, issued_at, latest_refresh_on, next_refresh_on, credential, previous_credential,
          credential_version, activation_due_at, activation_outcome, revoked_at, created_at)
        SELECT printf('5ca1e000-0000-4000-8000-%012x', n), ${account}, printf('t%03d', n % ${TOKENS_PER_ACCOUNT}), 'enhanced', 1, 0,
          '{"default":["r"]}', NULL, '1234567', '9999-12-31', NULL, ${now}, NULL, ${next}, ${credential}, NULL, 1, ${now},
          'COMPLETE', NULL, ${now} FROM s`,
      `${series(SCALE_ITEMS)} INSERT INTO kv_items (account_id, network, namespace, group_name, item_key, value, content_type, updated_at, expires_at)
        SELECT ${account}, 'production', 'default', 'g', printf('k%03d', n % ${TOKENS_PER_ACCOUNT}),
          CAST(printf('{"n":%d,"text":"an item of the scale benchmark"}', n) AS BLOB), 'text/plain; charset=utf-8', ${now}, NULL FROM s`,
    ];
  }
  const account = `'scale' || lpad((n / ${TOKENS_PER_ACCOUNT})::text, 4, '0')`;
  return [
    `INSERT INTO accounts (id, cpcode, initialized_at, restrict_data_access, allow_namespace_policy_override, created_at)
      SELECT 'scale' || lpad(n::text, 4, '0'), '1234567', ${now}, false, true, ${now} FROM generate_series(0, ${SCALE_ACCOUNTS - 1}) n`,
    `INSERT INTO namespaces (account_id, network, name, retention_seconds, geo_location, group_id, restrict_data_access, created_at)
      SELECT 'scale' || lpad(n::text, 4, '0'), 'production', 'default', 0, 'US', 0, false, ${now} FROM generate_series(0, ${SCALE_ACCOUNTS - 1}) n`,
    `INSERT INTO tokens (uuid, account_id, name, kind, allow_production, allow_staging, namespace_permissions,
        edgeworker_ids, cpcode, expiry, expires_at, issued_at, latest_refresh_on, next_refresh_on, credential, previous_credential,
        credential_version, activation_due_at, activation_outcome, revoked_at, created_at)
      SELECT '5ca1e000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'), ${account}, 't' || lpad((n % ${TOKENS_PER_ACCOUNT})::text, 3, '0'),
        'enhanced', 1, 0, '{"default":["r"]}', NULL, '1234567', '9999-12-31', NULL, ${now}, NULL, ${next}, ${credential},
        NULL, 1, ${now}, 'COMPLETE', NULL, ${now} FROM generate_series(0, ${SCALE_TOKENS - 1}) n`,
    `INSERT INTO kv_items (account_id, network, namespace, group_name, item_key, value, content_type, updated_at, expires_at)
      SELECT ${account}, 'production', 'default', 'g', 'k' || lpad((n % ${TOKENS_PER_ACCOUNT})::text, 3, '0'),
        convert_to('{"n":' || n || ',"text":"an item of the scale benchmark"}', 'UTF8'), 'text/plain; charset=utf-8', ${now}, NULL
      FROM generate_series(0, ${SCALE_ITEMS - 1}) n`,
    // As a database that has been running would be: vacuumed (autovacuum would otherwise start on
    // the million new rows in the middle of the measurements) and its statistics known.
    "VACUUM ANALYZE",
  ];
};

/** Writes the million tokens into a database the server has created (and is not running on). */
export async function seedScale(
  target: { sqliteFile: string } | { url: string },
  shape: ScaleShape = MILLION,
): Promise<void> {
  const now = Date.now();
  if ("sqliteFile" in target) {
    const db = new Database(target.sqliteFile);
    try {
      db.pragma("journal_mode = WAL");
      db.transaction(() => {
        for (const sql of seedSql("sqlite", now, shape)) db.exec(sql);
      })();
      db.exec("ANALYZE");
      db.pragma("wal_checkpoint(TRUNCATE)");
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    for (const sql of seedSql("postgres", now, shape)) await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Bytes the tokens table (with its indexes) takes, per token row. */
export async function bytesPerToken(target: { sqliteFile: string } | { url: string }): Promise<number> {
  if ("sqliteFile" in target) {
    const db = new Database(target.sqliteFile, { readonly: true });
    try {
      const bytes = db
        .prepare<[], number>(
          "SELECT sum(pgsize) FROM dbstat WHERE name = 'tokens' OR name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'tokens')",
        )
        .pluck()
        .get();
      const rows = db.prepare<[], number>("SELECT count(*) FROM tokens").pluck().get();
      return (bytes ?? 0) / (rows ?? 1);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ bytes: string; n: string }>(
      "SELECT pg_total_relation_size('tokens') AS bytes, (SELECT count(*) FROM tokens) AS n",
    );
    return Number(rows[0]?.bytes ?? 0) / Number(rows[0]?.n ?? 1);
  } finally {
    await client.end();
  }
}
