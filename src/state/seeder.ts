import type { AccountService } from "../accounts/account-service.ts";
import type { RandomBytes } from "../accounts/credentials.ts";
import type { SecretBox } from "../accounts/secret-box.ts";
import type { Clock } from "../clock.ts";
import type { StateAdded } from "../storage/state-repository.ts";
import type { Store } from "../storage/store.ts";
import type { Keyring } from "../tokens/keyring.ts";
import type { Token } from "../tokens/model.ts";
import type { TokenSettings } from "../tokens/token-service.ts";
import { planSeed } from "./seed-plan.ts";
import type { SeedDocument } from "./seed-schema.ts";
import { issueSeedToken } from "./seed-tokens.ts";

export interface SeederDeps {
  store: Store;
  secretBox: SecretBox;
  accounts: Pick<AccountService, "changed">;
  keyring: Keyring;
  clock: Clock;
  randomBytes: RandomBytes;
  randomUUID: () => string;
  settings: Pick<TokenSettings, "tokenLimit" | "refreshIntervalDays">;
  /** Namespaces an account may hold on each network. */
  namespaceLimit: number;
}

export type Seeder = ReturnType<typeof createSeeder>;

/**
 * Applies seeds: every check first (the file's own rules, then what the database holds), then one
 * all-or-nothing write of what is missing. Applying the same seed again adds nothing.
 */
export function createSeeder(deps: SeederDeps) {
  async function apply(seed: SeedDocument): Promise<StateAdded> {
    const { store, clock, settings } = deps;
    const plan = await planSeed({ ...deps, tokenLimit: settings.tokenLimit }, seed);
    const now = clock.now();
    const tokens: Token[] = [];
    for (const planned of plan.tokens) {
      tokens.push(
        await issueSeedToken({ ...deps, refreshIntervalDays: settings.refreshIntervalDays }, planned, now),
      );
    }
    const added = await store.state.addAbsent({ ...plan, tokens });
    for (const account of seed.accounts) deps.accounts.changed(account.id);
    return added;
  }
  return { apply };
}
