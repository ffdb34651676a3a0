import type { Migration } from "../sqlite/migrations.ts";

/**
 * The PostgreSQL schema: versions 1-3 are SQLite's, version for version; version 4 is PostgreSQL's
 * own storage setting; version 5 is SQLite's 4 (the audit log), version 6 SQLite's 5. Times are
 * epoch milliseconds.
 */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "accounts, api clients, nonces, namespaces, settings",
    sql: `
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        cpcode TEXT,
        initialized_at BIGINT,
        restrict_data_access BOOLEAN NOT NULL DEFAULT false,
        allow_namespace_policy_override BOOLEAN NOT NULL DEFAULT true,
        created_at BIGINT NOT NULL
      );

      CREATE TABLE api_clients (
        client_token TEXT PRIMARY KEY,
        access_token TEXT NOT NULL,
        sealed_secret TEXT NOT NULL,
        account_id TEXT NOT NULL REFERENCES accounts(id),
        capabilities TEXT NOT NULL,
        can_switch_accounts BOOLEAN NOT NULL,
        enabled BOOLEAN NOT NULL,
        description TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX api_clients_by_account ON api_clients(account_id);

      CREATE TABLE nonces (
        client_token TEXT NOT NULL,
        nonce TEXT NOT NULL,
        expires_at BIGINT NOT NULL,
        PRIMARY KEY (client_token, nonce)
      );
      CREATE INDEX nonces_by_expiry ON nonces(expires_at);

      CREATE TABLE namespaces (
        account_id TEXT NOT NULL REFERENCES accounts(id),
        network TEXT NOT NULL CHECK (network IN ('staging', 'production')),
        name TEXT NOT NULL,
        retention_seconds BIGINT NOT NULL,
        geo_location TEXT NOT NULL,
        group_id BIGINT NOT NULL,
        restrict_data_access BOOLEAN NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, network, name)
      );

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
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
        allow_production SMALLINT NOT NULL,
        allow_staging SMALLINT NOT NULL,
        namespace_permissions TEXT NOT NULL,
        edgeworker_ids TEXT,
        cpcode TEXT NOT NULL,
        expiry TEXT NOT NULL,
        expires_at BIGINT,
        issued_at BIGINT NOT NULL,
        latest_refresh_on TEXT,
        next_refresh_on TEXT,
        credential TEXT NOT NULL,
        previous_credential TEXT,
        credential_version INTEGER NOT NULL,
        activation_due_at BIGINT NOT NULL,
        activation_outcome TEXT NOT NULL CHECK (activation_outcome IN ('COMPLETE', 'ERROR')),
        revoked_at BIGINT,
        created_at BIGINT NOT NULL
      );
      CREATE UNIQUE INDEX tokens_live_name ON tokens(account_id, name) WHERE revoked_at IS NULL;
      CREATE INDEX tokens_due_refresh ON tokens(next_refresh_on) WHERE revoked_at IS NULL AND kind = 'enhanced';

      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        algorithm TEXT NOT NULL,
        sealed_private_jwk TEXT NOT NULL,
        public_jwk TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        publish_until BIGINT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: "kv items and scheduled namespace deletions",
    // Group names and item keys collate as bytes, like SQLite's TEXT, so the primary key's order
    // is the order of the sorted listings.
    sql: `
      CREATE TABLE kv_items (
        account_id TEXT NOT NULL,
        network TEXT NOT NULL,
        namespace TEXT NOT NULL,
        group_name TEXT COLLATE "C" NOT NULL,
        item_key TEXT COLLATE "C" NOT NULL,
        value BYTEA NOT NULL,
        content_type TEXT NOT NULL,
        updated_at BIGINT NOT NULL,
        expires_at BIGINT,
        PRIMARY KEY (account_id, network, namespace, group_name, item_key),
        FOREIGN KEY (account_id, network, namespace)
          REFERENCES namespaces (account_id, network, name) ON DELETE CASCADE
      );
      CREATE INDEX kv_items_by_expiry ON kv_items(expires_at) WHERE expires_at IS NOT NULL;

      CREATE TABLE namespace_deletions (
        account_id TEXT NOT NULL,
        network TEXT NOT NULL,
        namespace TEXT NOT NULL,
        delete_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, network, namespace),
        FOREIGN KEY (account_id, network, namespace)
          REFERENCES namespaces (account_id, network, name) ON DELETE CASCADE
      );
      CREATE INDEX namespace_deletions_due ON namespace_deletions(delete_at);
    `,
  },
  {
    version: 4,
    name: "nonces unlogged",
    // Nonces matter for a minute; losing them in a crash is harmless, and unlogged writes skip the
    // WAL on every authenticated request.
    sql: "ALTER TABLE nonces SET UNLOGGED;",
  },
  {
    version: 5,
    name: "audit log",
    // No foreign keys: a refused authentication names no account, and an event outlives what it names.
    sql: `
      CREATE TABLE audit_events (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at BIGINT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        status INTEGER,
        outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
        account_id TEXT,
        client_token TEXT,
        token_uuid TEXT,
        trace_id TEXT,
        error_code TEXT
      );
      CREATE INDEX audit_events_by_time ON audit_events(at);
      CREATE INDEX audit_events_by_action ON audit_events(action, id);
    `,
  },
  {
    version: 6,
    name: "web console login keys and sessions, api client use, audit via",
    // SQLite's 5. Last use is kept apart from api_clients, so that exports and resets never carry it.
    sql: `
      CREATE TABLE console_login_keys (
        key_hash TEXT PRIMARY KEY,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT
      );

      CREATE TABLE console_sessions (
        session_hash TEXT PRIMARY KEY,
        client_token TEXT NOT NULL,
        account_id TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        last_seen_at BIGINT NOT NULL,
        idle_expires_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL
      );

      CREATE TABLE api_client_use (
        client_token TEXT PRIMARY KEY,
        last_used_at BIGINT NOT NULL
      );

      ALTER TABLE audit_events ADD COLUMN via TEXT;
    `,
  },
  {
    version: 7,
    name: "scheduled refresh claims",
    // A node's scheduler claims the due tokens it takes (until a time), so that another node's run
    // takes others instead of the same rows once the first node's select has committed.
    sql: `
      ALTER TABLE tokens ADD COLUMN refresh_claimed_until BIGINT;
    `,
  },
  {
    version: 8,
    name: "indexes for the purge of expired and revoked tokens",
    // The scheduler purges every second; without these each run read every token to find none.
    sql: `
      CREATE INDEX tokens_expiring ON tokens(expires_at) WHERE expires_at IS NOT NULL;
      CREATE INDEX tokens_revoked ON tokens(revoked_at) WHERE revoked_at IS NOT NULL;
    `,
  },
];
