/** Versioned schema changes, applied in order at start; a version is never edited once released. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "accounts, api clients, nonces, namespaces, settings",
    sql: `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        cpcode TEXT,
        initialized_at INTEGER,
        restrict_data_access INTEGER NOT NULL DEFAULT 0,
        allow_namespace_policy_override INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE api_clients (
        client_token TEXT PRIMARY KEY,
        access_token TEXT NOT NULL,
        sealed_secret TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        capabilities TEXT NOT NULL,
        can_switch_accounts INTEGER NOT NULL,
        enabled INTEGER NOT NULL,
        description TEXT NOT NULL,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX api_clients_by_account ON api_clients(account_id);

      CREATE TABLE nonces (
        client_token TEXT NOT NULL,
        nonce TEXT NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (client_token, nonce)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX nonces_by_expiry ON nonces(expires_at);

      CREATE TABLE namespaces (
        account_id TEXT NOT NULL REFERENCES accounts(id),
        network TEXT NOT NULL CHECK (network IN ('staging', 'production')),
        name TEXT NOT NULL,
        retention_seconds INTEGER NOT NULL,
        geo_location TEXT NOT NULL,
        group_id INTEGER NOT NULL,
        restrict_data_access INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, network, name)
      ) STRICT;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: "access tokens and token signing keys",
    sql: `
      CREATE TABLE tokens (
        uuid TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        name TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('enhanced', 'legacy')),
        allow_production INTEGER NOT NULL,
        allow_staging INTEGER NOT NULL,
        namespace_permissions TEXT NOT NULL,
        edgeworker_ids TEXT,
        cpcode TEXT NOT NULL,
        expiry TEXT NOT NULL,
        expires_at INTEGER,
        issued_at INTEGER NOT NULL,
        latest_refresh_on TEXT,
        next_refresh_on TEXT,
        credential TEXT NOT NULL,
        previous_credential TEXT,
        credential_version INTEGER NOT NULL,
        activation_due_at INTEGER NOT NULL,
        activation_outcome TEXT NOT NULL CHECK (activation_outcome IN ('COMPLETE', 'ERROR')),
        revoked_at INTEGER,
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX tokens_live_name ON tokens(account_id, name) WHERE revoked_at IS NULL;
      CREATE INDEX tokens_due_refresh ON tokens(next_refresh_on) WHERE revoked_at IS NULL AND kind = 'enhanced';

      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        algorithm TEXT NOT NULL,
        sealed_private_jwk TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        publish_until INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: "kv items and scheduled namespace deletions",
    sql: `
      CREATE TABLE kv_items (
        account_id TEXT NOT NULL,
        network TEXT NOT NULL,
        namespace TEXT NOT NULL,
        group_name TEXT NOT NULL,
        item_key TEXT NOT NULL,
        value BLOB NOT NULL,
        content_type TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER,
        PRIMARY KEY (account_id, network, namespace, group_name, item_key),
        FOREIGN KEY (account_id, network, namespace)
          REFERENCES namespaces (account_id, network, name) ON DELETE CASCADE
      ) STRICT;
      CREATE INDEX kv_items_by_expiry ON kv_items(expires_at) WHERE expires_at IS NOT NULL;

      CREATE TABLE namespace_deletions (
        account_id TEXT NOT NULL,
        network TEXT NOT NULL,
        namespace TEXT NOT NULL,
        delete_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, network, namespace),
        FOREIGN KEY (account_id, network, namespace)
          REFERENCES namespaces (account_id, network, name) ON DELETE CASCADE
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX namespace_deletions_due ON namespace_deletions(delete_at);
    `,
  },
  {
    version: 4,
    name: "audit log",
    // No foreign keys: a refused authentication names no account, and an event outlives what it names.
    sql: `
      CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at INTEGER NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        status INTEGER,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
        account_id TEXT,
        client_token TEXT,
        token_uuid TEXT,
        trace_id TEXT,
        error_code TEXT
      ) STRICT;
      CREATE INDEX audit_events_by_time ON audit_events(at);
      CREATE INDEX audit_events_by_action ON audit_events(action, id);
    `,
  },
  {
    version: 5,
    name: "web console login keys and sessions, api client use, audit via",
    // Last use is kept apart from api_clients, so that exports, imports and resets never carry it.
    sql: `
      CREATE TABLE console_login_keys (
        key_hash TEXT PRIMARY KEY,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE console_sessions (
        session_hash TEXT PRIMARY KEY,
        client_token TEXT NOT NULL,
        account_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        idle_expires_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE api_client_use (
        client_token TEXT PRIMARY KEY,
        last_used_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      ALTER TABLE audit_events ADD COLUMN via TEXT;
    `,
  },
  {
    version: 6,
    name: "indexes for the purge of expired and revoked tokens",
    // The scheduler purges every second; without these it read every token to find none (half a
    // second a run at a million tokens, with every request waiting). Live enhanced tokens, nearly
    // all of a large database, are in neither index.
    sql: `
      CREATE INDEX tokens_expiring ON tokens(expires_at) WHERE expires_at IS NOT NULL;
      CREATE INDEX tokens_revoked ON tokens(revoked_at) WHERE revoked_at IS NOT NULL;
    `,
  },
];
