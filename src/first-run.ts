import type { AccountService } from "./accounts/account-service.ts";
import { type ApiClient, CAPABILITIES } from "./accounts/model.ts";
import type { Initializer } from "./kv/initialize.ts";
import type { Store } from "./storage/store.ts";

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
  initializer,
}: {
  store: Store;
  accounts: AccountService;
  initializer: Initializer;
}): Promise<{ client: ApiClient; clientSecret: string; created: boolean }> {
  const known = await store.settings.get(BOOTSTRAP_CLIENT_SETTING);
  const existing = known === null ? null : await store.clients.get(known);
  if (existing?.enabled) {
    return { client: existing, clientSecret: accounts.openSecret(existing), created: false };
  }
  await initializer.ensureAccount(DEFAULT_ACCOUNT);
  const { client, clientSecret } = await accounts.createClient({
    accountId: DEFAULT_ACCOUNT,
    capabilities: CAPABILITIES,
    canSwitchAccounts: true,
    description: "created by the first run of edgekv serve",
  });
  // The first first run claims the setting; a replacement for a disabled client overwrites it.
  let claimed = true;
  if (known === null)
    claimed = await store.settings.setIfAbsent(BOOTSTRAP_CLIENT_SETTING, client.clientToken);
  else await store.settings.set(BOOTSTRAP_CLIENT_SETTING, client.clientToken);
  if (claimed) return { client, clientSecret, created: true };
  // Another node started at the same moment and its client won: use that one, retire ours.
  await store.clients.setEnabled(client.clientToken, false);
  const winner = await store.settings.get(BOOTSTRAP_CLIENT_SETTING);
  const chosen = winner === null ? null : await store.clients.get(winner);
  if (chosen === null) throw new Error("The first-run API client vanished while another node created it.");
  return { client: chosen, clientSecret: accounts.openSecret(chosen), created: false };
}
