import type { AccountService } from "../accounts/account-service.ts";
import type { RandomBytes } from "../accounts/credentials.ts";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import { generateCpcode } from "../kv/initialize.ts";
import { NETWORKS } from "../kv/model.ts";
import type { EmptyResult, StateAdded } from "../storage/state-repository.ts";
import type { Store } from "../storage/store.ts";
import { defaultNamespace } from "./default-namespace.ts";
import type { SeedDocument } from "./seed-schema.ts";
import type { Seeder } from "./seeder.ts";

/** Where the first run records its client (see first-run.ts): a reset never removes that client. */
export const FIRST_RUN_CLIENT_SETTING = "first_run.client_token";

export interface ResetRequest {
  /** null: every account. */
  readonly accountId: string | null;
  /** Also remove the accounts' API clients (but the caller's and the first-run client). */
  readonly credentials: boolean;
  /** Then apply the seed the server started with again. */
  readonly reseed: boolean;
  /** The client asking: it is never removed, so the caller keeps its connection. */
  readonly callerClient: string;
}

export interface ResetResult extends EmptyResult {
  readonly reseeded: StateAdded | null;
}

export interface ResetDeps {
  store: Store;
  accounts: Pick<AccountService, "changed">;
  clock: Clock;
  randomBytes: RandomBytes;
  seeder: Seeder;
  /** The `--seed` document the server started with; null without one. */
  startSeed: SeedDocument | null;
}

/**
 * Empties tokens, namespaces and items (and with `credentials` the API clients) of one account or
 * all, in one transaction, leaving each account initialized with `default` on both networks as a
 * first run makes it; then, with `reseed`, applies the start seed again (a second transaction).
 */
export async function resetState(deps: ResetDeps, request: ResetRequest): Promise<ResetResult> {
  const { store, clock, randomBytes, startSeed } = deps;
  if (request.reseed && startSeed === null) {
    throw new ApiError(
      "validation",
      "reseed: this server was started without --seed, so there is no seed to apply again. Start it with --seed FILE, or apply one with POST /_edgekv/v1/seed.",
    );
  }
  const firstRun = await store.settings.get(FIRST_RUN_CLIENT_SETTING);
  const now = clock.now();
  const emptied = await store.state.empty({
    accountId: request.accountId,
    clients: request.credentials,
    keepClients: [request.callerClient, ...(firstRun === null ? [] : [firstRun])],
    restore: (account) => ({
      cpcode: account.cpcode ?? generateCpcode(randomBytes),
      initializedAt: account.initializedAt ?? now,
      namespaces: NETWORKS.map((network) =>
        defaultNamespace(account.id, network, account.dataAccessPolicy.restrictDataAccess, now),
      ),
    }),
  });
  // An account that does not exist is empty already: asking again after a reset answers the same.
  const result = emptied ?? { accounts: [], tokens: 0, namespaces: 0, items: 0, clients: 0 };
  for (const id of result.accounts) deps.accounts.changed(id);
  const reseeded = request.reseed && startSeed !== null ? await deps.seeder.apply(startSeed) : null;
  return { ...result, reseeded };
}
