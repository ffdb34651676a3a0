import { randomBytes, randomUUID } from "node:crypto";
import type { AccountService } from "../accounts/account-service.ts";
import type { SecretBox } from "../accounts/secret-box.ts";
import type { Clock } from "../clock.ts";
import { isApiError } from "../errors.ts";
import { DEFAULT_KV_SETTINGS } from "../kv/kv-service.ts";
import type { StateAdded } from "../storage/state-repository.ts";
import type { Store } from "../storage/store.ts";
import type { Keyring } from "../tokens/keyring.ts";
import type { TokenSettings } from "../tokens/token-service.ts";
import { type ResetRequest, resetState } from "./reset.ts";
import { SeedFileError } from "./seed-parse.ts";
import type { SeedDocument } from "./seed-schema.ts";
import { createSeeder } from "./seeder.ts";

export type StateService = ReturnType<typeof createStateService>;

/** Seeding and resetting on one store: what the routes, the server's start and the CLI use. */
export function createStateService(deps: {
  store: Store;
  secretBox: SecretBox;
  accounts: Pick<AccountService, "changed">;
  keyring: Keyring;
  clock: Clock;
  settings: Pick<TokenSettings, "tokenLimit" | "refreshIntervalDays">;
  /** The `--seed` document the server started with, for a reset with reseed. */
  startSeed?: SeedDocument | null;
}) {
  const seeder = createSeeder({
    ...deps,
    randomBytes,
    randomUUID,
    namespaceLimit: DEFAULT_KV_SETTINGS.namespaceLimit,
  });
  const startSeed = deps.startSeed ?? null;
  return {
    applySeed: (seed: SeedDocument) => seeder.apply(seed),
    reset: (request: ResetRequest) => resetState({ ...deps, randomBytes, seeder, startSeed }, request),
  };
}

/** The `--seed` file at start: a seed the database contradicts stops the start in one line. */
export async function applyStartSeed(
  state: StateService,
  seed: SeedDocument,
  path: string,
): Promise<StateAdded> {
  try {
    return await state.applySeed(seed);
  } catch (error) {
    if (isApiError(error)) throw new SeedFileError(`The seed file ${path} was not applied: ${error.message}`);
    throw error;
  }
}
