import type { Store } from "../storage/store.ts";
import type { AccountService } from "./account-service.ts";
import { type ApiClient, CAPABILITIES } from "./model.ts";

export const DEFAULT_ACCOUNT = "default";
const BOOTSTRAP_CLIENT_SETTING = "first_run.client_token";

/**
 * On an empty database: creates account `default`, initializes it and creates one API client that
 * holds every capability. Later starts find that client again (its secret unsealed from storage),
 * so the `.edgerc` written from it stays valid across restarts.
 */
export async function ensureFirstRunClient({
  store,
  accounts,
}: {
  store: Store;
  accounts: AccountService;
}): Promise<{ client: ApiClient; clientSecret: string; created: boolean }> {
  const known = await store.settings.get(BOOTSTRAP_CLIENT_SETTING);
  const existing = known === null ? null : await store.clients.get(known);
  if (existing?.enabled) {
    return { client: existing, clientSecret: accounts.openSecret(existing), created: false };
  }
  await accounts.ensureAccount(DEFAULT_ACCOUNT);
  const { client, clientSecret } = await accounts.createClient({
    accountId: DEFAULT_ACCOUNT,
    capabilities: CAPABILITIES,
    canSwitchAccounts: true,
    description: "created by the first run of edgekv serve",
  });
  await store.settings.set(BOOTSTRAP_CLIENT_SETTING, client.clientToken);
  return { client, clientSecret, created: true };
}
