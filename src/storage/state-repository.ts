import type { Account, ApiClient } from "../accounts/model.ts";
import type { KvItem, Namespace, Network } from "../kv/model.ts";
import type { SigningKey, Token } from "../tokens/model.ts";

/** A namespace's deletion, scheduled by an asynchronous DELETE. */
export interface ScheduledDeletion {
  readonly accountId: string;
  readonly network: Network;
  readonly namespace: string;
  readonly deleteAt: Date;
}

/**
 * Everything the server keeps, but nonces (they matter for a minute and belong to the requests of
 * that minute). Secrets stay sealed as stored.
 */
export interface StoreState {
  readonly accounts: readonly Account[];
  readonly clients: readonly ApiClient[];
  readonly signingKeys: readonly SigningKey[];
  readonly namespaces: readonly Namespace[];
  readonly scheduledDeletions: readonly ScheduledDeletion[];
  readonly items: readonly KvItem[];
  /** Revoked tokens included. */
  readonly tokens: readonly Token[];
  /** Every setting: which client the first run created, the `--clock manual` time. */
  readonly settings: Readonly<Record<string, string>>;
}

/** Rows to add where they are missing (a seed). */
export interface StateAdditions {
  /** Inserted when absent; an existing account that is not initialized yet is initialized as given. */
  readonly accounts: readonly Account[];
  /** Inserted when no client has the client token. */
  readonly clients: readonly ApiClient[];
  /** Inserted when absent on that network. */
  readonly namespaces: readonly Namespace[];
  /** Inserted unless the account holds a live token of that name. */
  readonly tokens: readonly Token[];
  /** Written (inserted or replaced) when their namespace exists. */
  readonly items: readonly KvItem[];
}

/** How many rows of each kind an `addAbsent` added or changed. */
export type StateAdded = { readonly [K in keyof StateAdditions]: number };

/** What an emptied account is left with: initialized, with these namespaces. */
export interface AccountRestore {
  readonly cpcode: string;
  readonly initializedAt: Date;
  readonly namespaces: readonly Namespace[];
}

export interface EmptyRequest {
  /** null: every account. */
  readonly accountId: string | null;
  /** Whether the accounts' API clients go too. */
  readonly clients: boolean;
  /** Clients kept even then (the caller's own, the first-run client). */
  readonly keepClients: readonly string[];
  /** Called for each emptied account, inside the transaction: it must not do I/O. */
  restore(account: Account): AccountRestore;
}

export interface EmptyResult {
  /** The accounts emptied, sorted. */
  readonly accounts: readonly string[];
  readonly tokens: number;
  readonly namespaces: number;
  readonly items: number;
  readonly clients: number;
}

/** The whole state at once: export, import, seed and reset. Each method is one transaction. */
export interface StateRepository {
  /** Everything in one consistent read, each list in the order of state-order.ts. */
  read(): Promise<StoreState>;
  /**
   * Replaces everything but nonces with `state`. With `onlyIfEmpty`, changes nothing and answers
   * false when the database holds any account, signing key or setting.
   */
  replace(state: StoreState, options: { onlyIfEmpty: boolean }): Promise<boolean>;
  /** Adds what is missing, all or nothing. */
  addAbsent(rows: StateAdditions): Promise<StateAdded>;
  /**
   * Deletes the tokens, namespaces (with their items and scheduled deletions) and, if asked, API
   * clients of one account or of every account, then restores each account as `restore` says; null
   * when the one account does not exist.
   */
  empty(request: EmptyRequest): Promise<EmptyResult | null>;
}
