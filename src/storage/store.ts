import type { Account, ApiClient, Capability } from "../accounts/model.ts";
import type { AuditEvent, AuditQuery, NewAuditEvent } from "../audit/audit-event.ts";
import type { ItemAddress, KvItem, Namespace, Network } from "../kv/model.ts";
import type { ActivationStatus, SigningKey, Token, TokenKind, TokenListing } from "../tokens/model.ts";
import type { StateRepository } from "./state-repository.ts";

/**
 * The storage contract. Every method is one atomic unit of work named by what it does, so the
 * domain never holds a transaction open across awaits and each adapter (SQLite, PostgreSQL) keeps
 * its own locking. New behaviour starts as a test in the store contract suite.
 */
export interface Store {
  readonly dialect: "sqlite" | "postgres";
  readonly accounts: AccountRepository;
  readonly clients: ApiClientRepository;
  readonly nonces: NonceRepository;
  readonly namespaces: NamespaceRepository;
  readonly items: ItemRepository;
  readonly settings: SettingsRepository;
  readonly tokens: TokenRepository;
  readonly signingKeys: SigningKeyRepository;
  /** The connection pool's use right now; null where there is no pool (SQLite: one connection). */
  poolStats(): PoolStats | null;
  readonly audit: AuditRepository;
  /** The web console's login keys and sessions. */
  readonly console: ConsoleRepository;
  /** The whole state at once (export, import, seed, reset): see state-repository.ts. */
  readonly state: StateRepository;
  close(): Promise<void>;
}

/** A PostgreSQL pool's connections at one moment. */
export interface PoolStats {
  /** Connections open, idle or in use. */
  readonly total: number;
  readonly idle: number;
  /** Queries waiting for a connection: above zero, the pool is too small for the load. */
  readonly waiting: number;
  readonly max: number;
}

export interface AccountRepository {
  get(id: string): Promise<Account | null>;
  /** Every account, by id. */
  list(): Promise<Account[]>;
  /** Inserts the account; false when one with that id exists. */
  create(account: Account): Promise<boolean>;
  /** Changes an account's default data access policy; false when there is no such account. */
  setDataAccessPolicy(accountId: string, policy: Account["dataAccessPolicy"]): Promise<boolean>;
  /**
   * Sets the CP code and policy and creates the given namespaces, all or nothing. False when the
   * account is already initialized (nothing changes then).
   */
  initialize(input: {
    accountId: string;
    cpcode: string;
    initializedAt: Date;
    dataAccessPolicy: Account["dataAccessPolicy"];
    namespaces: readonly Namespace[];
  }): Promise<boolean>;
}

export interface ApiClientRepository {
  get(clientToken: string): Promise<ApiClient | null>;
  list(filter?: { accountId?: string }): Promise<ApiClient[]>;
  create(client: ApiClient): Promise<void>;
  /** False when no such client exists. */
  setEnabled(clientToken: string, enabled: boolean): Promise<boolean>;
  /** Replaces the client's capabilities; false when no such client exists. */
  setCapabilities(clientToken: string, capabilities: readonly Capability[]): Promise<boolean>;
  /**
   * Records that the client was used at `at` (kept apart from the client itself, so exports and
   * resets never see it); a later time wins.
   */
  markUsed(clientToken: string, at: Date): Promise<void>;
  /** When each client that was ever used was last used, by client token. */
  lastUsed(): Promise<ReadonlyMap<string, Date>>;
}

export interface NonceRepository {
  /** Records the nonce; false when this client already used it and it has not expired. */
  remember(input: { clientToken: string; nonce: string; expiresAt: Date; now: Date }): Promise<boolean>;
  /** Forgets nonces that expired before `now`; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}

export interface NamespaceKey {
  accountId: string;
  network: Network;
  name: string;
}

export type NamespaceCreateResult = "created" | "exists" | "limit";

export interface NamespaceRepository {
  /** Inserts unless it exists on that network, or the account already holds `limit` namespaces there. */
  createWithinLimit(namespace: Namespace, options: { limit: number }): Promise<NamespaceCreateResult>;
  get(key: NamespaceKey): Promise<Namespace | null>;
  list(key: { accountId: string; network: Network }): Promise<Namespace[]>;
  /** Changes the retention of an existing namespace; returns it changed, or null when there is none. */
  setRetention(key: NamespaceKey & { retentionInSeconds: number }): Promise<Namespace | null>;
  /** Moves an existing namespace to another permission group; returns it changed, or null when there is none. */
  setGroup(key: NamespaceKey & { groupId: number }): Promise<Namespace | null>;
  /** Deletes the namespace, its items and any scheduled deletion; false when there is none. */
  delete(key: NamespaceKey): Promise<boolean>;
  /**
   * Schedules the namespace's deletion for `at` unless a deletion is already scheduled. Returns the
   * time in force (the earlier schedule wins), or null when there is no such namespace.
   */
  scheduleDelete(key: NamespaceKey & { at: Date }): Promise<Date | null>;
  /**
   * Deletes, with their items, the namespaces whose scheduled deletion is at or before `now` (only
   * one account's network when `scope` is given); returns how many. Cheap when nothing is due.
   */
  deleteDue(input: { now: Date; scope?: { accountId: string; network: Network } }): Promise<number>;
}

/** The items of one namespace. */
export interface NamespaceItemsKey {
  accountId: string;
  network: Network;
  namespace: string;
}

/** Items are live until `expiresAt` (exclusive): every read takes `now` and skips expired ones. */
export type ItemLookup =
  | { readonly namespace: "missing" | "deletion-due" }
  | { readonly namespace: "present"; readonly item: KvItem | null };

export interface ItemRepository {
  /** Inserts or replaces the item; false (nothing stored) when its namespace does not exist. */
  put(item: KvItem): Promise<boolean>;
  /** The live item at that address, or null when missing or expired at `now`. */
  get(address: ItemAddress, now: Date): Promise<KvItem | null>;
  /**
   * A read in one statement (the data plane's): whether the item's namespace exists and whether its
   * scheduled deletion is due at `now`, and the live item when it exists and is not due.
   */
  lookup(address: ItemAddress, now: Date): Promise<ItemLookup>;
  /** Deletes the item; false when there was no live item at `now`. */
  delete(address: ItemAddress, now: Date): Promise<boolean>;
  /** Names of the groups holding at least one live item, sorted, at most `limit`. */
  listGroups(input: NamespaceItemsKey & { now: Date; limit: number }): Promise<string[]>;
  /** Keys of the group's live items, sorted, at most `limit`. */
  listKeys(input: NamespaceItemsKey & { group: string; now: Date; limit: number }): Promise<string[]>;
  /** Deletes up to `limit` items expired at `now`; returns how many. */
  purgeExpired(input: { now: Date; limit: number }): Promise<number>;
}

/** Small named values the server keeps about itself (e.g. which client the first run created). */
export interface SettingsRepository {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
  /** Stores the value unless the key has one; true when this call stored it. */
  setIfAbsent(key: string, value: string): Promise<boolean>;
  /** Removes the setting; false when there was none. */
  delete(key: string): Promise<boolean>;
}

export type TokenInsertResult = "inserted" | "duplicate" | "limit";

export interface TokenRefresh {
  uuid: string;
  /** The refresh happens only if the token is still at this version and not revoked. */
  expectedVersion: number;
  credential: string;
  previousCredential: string | null;
  latestRefreshOn: string;
  nextRefreshOn: string;
  activationDueAt: Date;
  activationOutcome: Token["activationOutcome"];
}

export interface TokenRepository {
  /** Inserts unless a live token of the account has the name, or the account holds `limit` tokens. */
  insert(token: Token, options: { limit: number }): Promise<TokenInsertResult>;
  /** The account's live (not revoked) token of that name. */
  getByName(key: { accountId: string; name: string }): Promise<Token | null>;
  /** Any token, revoked ones included. */
  getByUuid(uuid: string): Promise<Token | null>;
  /** The account's live tokens, sorted by name. */
  list(accountId: string): Promise<TokenListing[]>;
  /** Applies a refresh if the token is unchanged since it was read; false otherwise. */
  refresh(input: TokenRefresh): Promise<boolean>;
  /** Revokes the live token of that name; returns it, or null when there is none. */
  revoke(key: { accountId: string; name: string; at: Date }): Promise<Token | null>;
  /**
   * Live enhanced tokens whose next refresh date is on or before `today` (YYYY-MM-DD), oldest first.
   * On PostgreSQL the tokens handed out are claimed for a minute (until refreshed), so that another
   * node's scheduler takes other due tokens meanwhile; SQLite has one scheduler and no claims.
   */
  listDueRefreshes(input: { today: string; limit: number }): Promise<Token[]>;
  /** Deletes legacy tokens that expired before `expiredBefore` and tokens revoked before `revokedBefore`. */
  purge(input: { expiredBefore: Date; revokedBefore: Date }): Promise<number>;
  /**
   * How many tokens, of every account, are live at `now` (neither revoked nor expired), by kind and
   * by the status `activationStatus` gives at `now`; combinations with none are left out. One
   * aggregate query: it runs at every metrics scrape, whatever the number of tokens.
   */
  countByStatus(now: Date): Promise<TokenStatusCount[]>;
}

export interface TokenStatusCount {
  readonly kind: TokenKind;
  readonly status: ActivationStatus;
  readonly count: number;
}

export interface SigningKeyRepository {
  /** Every key still published, newest first. */
  listPublished(now: Date): Promise<SigningKey[]>;
  /** Inserts the key unless one was created at or after `unlessCreatedSince`: one rotation per period. */
  insertUnlessRotated(key: SigningKey, unlessCreatedSince: Date): Promise<boolean>;
}

/** The audit log: appended to, read newest first, pruned by age. */
export interface AuditRepository {
  /** Appends the event and returns it with its id, higher than that of any event before it. */
  record(event: NewAuditEvent): Promise<AuditEvent>;
  /** Up to `limit` events matching the query, newest (highest id) first. */
  list(query: AuditQuery): Promise<AuditEvent[]>;
  /** Deletes up to `limit` events recorded before `before`, oldest first; returns how many. */
  prune(input: { before: Date; limit: number }): Promise<number>;
}

/** A web console session as stored: only the SHA-256 of its secret, never the secret. */
export interface ConsoleSession {
  readonly sessionHash: string;
  /** The API client the session acts as. */
  readonly clientToken: string;
  readonly accountId: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  /** Moved forward by every request; the session ends when it passes. */
  readonly idleExpiresAt: Date;
  /** The session ends then, however busy. */
  readonly expiresAt: Date;
}

/** The web console's one-time login keys and its sessions, both stored as SHA-256 hashes. */
export interface ConsoleRepository {
  addLoginKey(key: { keyHash: string; createdAt: Date; expiresAt: Date }): Promise<void>;
  /** Marks the key used at `now`; true only for the first use of a known key not expired at `now`. */
  useLoginKey(input: { keyHash: string; now: Date }): Promise<boolean>;
  addSession(session: ConsoleSession): Promise<void>;
  /**
   * The session when it is live at `now` (neither expiry passed), its idle expiry moved to
   * `idleExpiresAt` (never past its absolute expiry); null otherwise.
   */
  touchSession(input: {
    sessionHash: string;
    now: Date;
    idleExpiresAt: Date;
  }): Promise<ConsoleSession | null>;
  /** The session when it is live at `now`, left as it is; null otherwise. */
  getSession(input: { sessionHash: string; now: Date }): Promise<ConsoleSession | null>;
  /** Ends the session; false when there was none. */
  deleteSession(sessionHash: string): Promise<boolean>;
  /** Forgets keys and sessions expired before `now`; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}
