import type { AccountService } from "./accounts/account-service.ts";
import { ALL_CAPABILITIES, type ApiClient } from "./accounts/model.ts";
import type { Initializer } from "./kv/initialize.ts";
import type { Store } from "./storage/store.ts";

export const DEFAULT_ACCOUNT = "default";
const BOOTSTRAP_CLIENT_SETTING = "first_run.client_token";

/** The first-run administrator client's token, once a first run has created it. */
export const firstRunClientToken = (store: Pick<Store, "settings">): Promise<string | null> =>
  store.settings.get(BOOTSTRAP_CLIENT_SETTING);

/**
 * On an empty database: creates account `default`, initializes it and creates one API client that
 * holds every capability, SERVER_ADMIN included. Later starts find that client again (its secret unsealed from storage),
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
    // A database from before a capability existed: the first-run client holds every one.
    const missing = ALL_CAPABILITIES.filter((capability) => !existing.capabilities.includes(capability));
    const client =
      missing.length === 0 ? existing : { ...existing, capabilities: [...existing.capabilities, ...missing] };
    if (missing.length > 0) await store.clients.setCapabilities(client.clientToken, client.capabilities);
    return { client, clientSecret: accounts.openSecret(client), created: false };
  }
  await initializer.ensureAccount(DEFAULT_ACCOUNT);
  const { client, clientSecret } = await accounts.createClient({
    accountId: DEFAULT_ACCOUNT,
    capabilities: ALL_CAPABILITIES,
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
