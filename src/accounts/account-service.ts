import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import type { Store } from "../storage/store.ts";
import { generateCredentials, type RandomBytes } from "./credentials.ts";
import type { Account, ApiClient, Capability, DataAccessPolicy } from "./model.ts";
import type { SecretBox } from "./secret-box.ts";

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

export function createAccountService({ store, secretBox, clock, randomBytes }: AccountServiceDeps) {
  // An initialized account never changes (there is no update of it), so every request after the
  // first is served from memory.
  const initialized = new Map<string, Account>();
  async function getAccount(accountId: string): Promise<Account | null> {
    const known = initialized.get(accountId);
    if (known !== undefined) return known;
    const account = await store.accounts.get(accountId);
    if (account !== null && account.initializedAt !== null) initialized.set(accountId, account);
    return account;
  }

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
    createClient,
    actingAccount,
    openSecret: (client: ApiClient) => secretBox.open(client.sealedSecret),
  };
}
