import type { AccountService } from "../accounts/account-service.ts";
import { DEFAULT_POLICY } from "../accounts/account-service.ts";
import type { RandomBytes } from "../accounts/credentials.ts";
import type { Account, DataAccessPolicy } from "../accounts/model.ts";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import type { Store } from "../storage/store.ts";
import { type Namespace, NETWORKS } from "./model.ts";

export const DEFAULT_NAMESPACE = "default";

/** A 7-digit EdgeKV CP code: an account's EdgeKV "database". */
export function generateCpcode(randomBytes: RandomBytes): string {
  return String(1_000_000 + (randomBytes(4).readUInt32BE(0) % 9_000_000));
}

export type Initializer = ReturnType<typeof createInitializer>;

/** EdgeKV on an account: its CP code, its data access policy and the `default` namespace on both networks. */
export function createInitializer({
  store,
  accounts,
  clock,
  randomBytes,
}: {
  store: Store;
  accounts: AccountService;
  clock: Clock;
  randomBytes: RandomBytes;
}) {
  /** Initializes the account unless it already is (then nothing changes); returns it as stored. */
  async function initialize(accountId: string, policy: DataAccessPolicy = DEFAULT_POLICY): Promise<Account> {
    const now = clock.now();
    const namespaces: Namespace[] = NETWORKS.map((network) => ({
      accountId,
      network,
      name: DEFAULT_NAMESPACE,
      retentionInSeconds: 0,
      geoLocation: "US",
      groupId: 0,
      restrictDataAccess: policy.restrictDataAccess,
      createdAt: now,
    }));
    await store.accounts.initialize({
      accountId,
      cpcode: generateCpcode(randomBytes),
      initializedAt: now,
      dataAccessPolicy: policy,
      namespaces,
    });
    accounts.changed(accountId);
    const account = await accounts.getAccount(accountId);
    if (account === null) throw new Error(`Account ${accountId} vanished while it was being initialized.`);
    return account;
  }

  /** Returns the account ready for EdgeKV, creating and initializing it first when needed. */
  async function ensureAccount(accountId: string): Promise<{ account: Account; created: boolean }> {
    const { account, created } = await accounts.ensureAccount(accountId);
    return { account: account.initializedAt === null ? await initialize(accountId) : account, created };
  }

  /** The account's default data access policy, for namespaces created from now on. */
  async function setDataAccessPolicy(account: Account, policy: DataAccessPolicy): Promise<Account> {
    if (account.initializedAt === null) {
      throw new ApiError(
        "not_initialized",
        `EdgeKV is not initialized for account ${account.id}. Initialize it first: PUT /edgekv/v1/initialize.`,
      );
    }
    const accountId = account.id;
    await store.accounts.setDataAccessPolicy(accountId, policy);
    accounts.changed(accountId);
    const changed = await accounts.getAccount(accountId);
    if (changed === null) throw new Error(`Account ${accountId} vanished while its policy changed.`);
    return changed;
  }

  return { initialize, ensureAccount, setDataAccessPolicy };
}
