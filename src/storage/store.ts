import type { Account, ApiClient, Namespace, Network } from "../accounts/model.ts";

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
  readonly settings: SettingsRepository;
  close(): Promise<void>;
}

export interface AccountRepository {
  get(id: string): Promise<Account | null>;
  list(): Promise<Account[]>;
  /** Inserts the account; false when one with that id exists. */
  create(account: Account): Promise<boolean>;
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
}

export interface NonceRepository {
  /** Records the nonce; false when this client already used it and it has not expired. */
  remember(input: { clientToken: string; nonce: string; expiresAt: Date; now: Date }): Promise<boolean>;
  /** Forgets nonces that expired before `now`; returns how many. */
  purgeExpired(now: Date): Promise<number>;
}

export interface NamespaceRepository {
  get(key: { accountId: string; network: Network; name: string }): Promise<Namespace | null>;
  list(key: { accountId: string; network: Network }): Promise<Namespace[]>;
}

/** Small named values the server keeps about itself (e.g. which client the first run created). */
export interface SettingsRepository {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}
