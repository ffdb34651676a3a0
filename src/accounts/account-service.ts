import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import type { Store } from "../storage/store.ts";
import { generateCredentials, type RandomBytes } from "./credentials.ts";
import type { Account, ApiClient, Capability, DataAccessPolicy } from "./model.ts";
import type { SecretBox } from "./secret-box.ts";
import { createShortCache } from "./short-cache.ts";

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:~-]{0,63}$/;

export const DEFAULT_POLICY: DataAccessPolicy = {
  restrictDataAccess: false,
  allowNamespacePolicyOverride: true,
};

export interface AccountServiceDeps {
  store: Store;
  secretBox: SecretBox;
  clock: Clock;
  randomBytes: RandomBytes;
}

export interface CreatedClient {
  client: ApiClient;
  /** Shown once; only the sealed form is stored. */
  clientSecret: string;
}

export type AccountService = ReturnType<typeof createAccountService>;

/** How long a read account is reused before it is read again. */
const ACCOUNT_CACHE_MS = 250;

export function createAccountService({ store, secretBox, clock, randomBytes }: AccountServiceDeps) {
  // Every request reads its account; a change (a new data access policy) is seen here at once and
  // on other nodes within ACCOUNT_CACHE_MS of real time.
  const cache = createShortCache<Account | null>({ ttlMs: ACCOUNT_CACHE_MS, now: () => performance.now() });
  const getAccount = (accountId: string): Promise<Account | null> =>
    cache.get(accountId, () => store.accounts.get(accountId));

  async function mustGet(accountId: string): Promise<Account> {
    const account = await getAccount(accountId);
    if (account === null) throw new Error(`Account ${accountId} vanished while it was being set up.`);
    return account;
  }

  /** Returns the account, creating it (not yet initialized for EdgeKV) when it does not exist. */
  async function ensureAccount(accountId: string): Promise<{ account: Account; created: boolean }> {
    if (!ACCOUNT_ID_PATTERN.test(accountId)) {
      throw new ApiError(
        "validation",
        `Invalid account id "${accountId}": use 1-64 letters, digits, '_', '-', '.', ':' or '~', starting with a letter or digit.`,
      );
    }
    const created = await store.accounts.create({
      id: accountId,
      cpcode: null,
      initializedAt: null,
      dataAccessPolicy: DEFAULT_POLICY,
      createdAt: clock.now(),
    });
    cache.forget(accountId);
    return { account: await mustGet(accountId), created };
  }

  async function createClient(input: {
    accountId: string;
    capabilities: readonly Capability[];
    canSwitchAccounts: boolean;
    description: string;
  }): Promise<CreatedClient> {
    const { clientToken, accessToken, clientSecret } = generateCredentials(randomBytes);
    const client: ApiClient = {
      clientToken,
      accessToken,
      sealedSecret: secretBox.seal(clientSecret),
      accountId: input.accountId,
      capabilities: [...new Set(input.capabilities)],
      canSwitchAccounts: input.canSwitchAccounts,
      enabled: true,
      description: input.description,
      createdAt: clock.now(),
    };
    await store.clients.create(client);
    return { client, clientSecret };
  }

  /**
   * The account a request acts on: the client's own, or the one `accountSwitchKey` names when the
   * client may switch.
   */
  async function actingAccount(client: ApiClient, accountSwitchKey: string | undefined): Promise<Account> {
    if (accountSwitchKey === undefined || accountSwitchKey === "" || accountSwitchKey === client.accountId) {
      return mustGet(client.accountId);
    }
    if (!client.canSwitchAccounts) {
      throw new ApiError(
        "forbidden",
        `This API client may not use accountSwitchKey (it belongs to account ${client.accountId}). ` +
          "Create a client with --switch-accounts to act on other accounts.",
      );
    }
    const account = await getAccount(accountSwitchKey);
    if (account === null) {
      throw new ApiError(
        "forbidden",
        `Account ${accountSwitchKey} does not exist. Create it with: edgekv credentials create --account ${accountSwitchKey}`,
      );
    }
    return account;
  }

  return {
    ensureAccount,
    getAccount,
    /** Call after changing an account in storage, so this process reads it again. */
    changed: (accountId: string) => cache.forget(accountId),
    createClient,
    actingAccount,
    openSecret: (client: ApiClient) => secretBox.open(client.sealedSecret),
  };
}
