import { ApiError } from "../errors.ts";
import type { Namespace, Network } from "../kv/model.ts";
import type { Permission } from "../rules/permissions.ts";
import type { Store } from "../storage/store.ts";
import { addDays, parseExpiryDate, utcDate } from "../tokens/dates.ts";
import { MAX_EXPIRY_DAYS } from "../tokens/token-service.ts";
import { problemAt } from "./seed-rules.ts";
import type { SeedAccount, SeedToken } from "./seed-schema.ts";

/** A token the seed adds, before its uuid and JWT are made. */
export interface PlannedToken {
  readonly accountId: string;
  readonly cpcode: string;
  readonly name: string;
  readonly allowOnStaging: boolean;
  readonly allowOnProduction: boolean;
  readonly namespacePermissions: Readonly<Record<string, readonly Permission[]>>;
  /** null: every EdgeWorker. */
  readonly edgeWorkerIds: readonly string[] | null;
  /** A legacy token's expiry date; null for an enhanced token. */
  readonly expiry: string | null;
}

type Path = readonly PropertyKey[];
const invalid = (path: Path, message: string) => new ApiError("validation", problemAt(path, message));

/** The expiry date the token asks for, checked against today as a create is. */
function expiryOf(token: SeedToken, today: string, path: Path): string | null {
  const date =
    token.expiry !== undefined
      ? parseExpiryDate(token.expiry)
      : token.expiresInDays === undefined
        ? null
        : addDays(today, token.expiresInDays);
  if (date === null) return null;
  const first = addDays(today, 1);
  const last = addDays(today, MAX_EXPIRY_DAYS);
  if (date < first || date > last) {
    throw invalid(
      [...path, "expiry"],
      `must be from ${first} to ${last} (1 day to 6 months ahead), or use expiresInDays`,
    );
  }
  return date;
}

/** A token's namespaces exist on every network it is allowed on, with one data access policy. */
function checkNamespaces(
  token: SeedToken,
  present: Record<Network, ReadonlyMap<string, { namespace: Namespace }>>,
  path: Path,
): void {
  const networks: Network[] = [
    ...(token.allowOnStaging ? (["staging"] as const) : []),
    ...(token.allowOnProduction ? (["production"] as const) : []),
  ];
  const policies = new Set<boolean>();
  for (const name of Object.keys(token.namespacePermissions)) {
    for (const network of networks) {
      const found = present[network].get(name);
      if (found === undefined) {
        throw invalid(
          [...path, "namespacePermissions", name],
          `namespace ${name} is not on the ${network} network: list it in the account's namespaces, or do not allow the token on ${network}`,
        );
      }
      policies.add(found.namespace.restrictDataAccess);
    }
  }
  if (policies.size > 1) {
    throw invalid(
      [...path, "namespacePermissions"],
      "all namespaces of a token must have the same data access policy (restrictDataAccess)",
    );
  }
}

/**
 * The seed's tokens that the account does not hold yet (a live token of the name is left as it is),
 * within the account's token limit.
 */
export async function planTokens(
  { store, tokenLimit }: { store: Store; tokenLimit: number },
  {
    seeded,
    cpcode,
    initialized,
    present,
    now,
    path,
  }: {
    seeded: SeedAccount;
    cpcode: string;
    initialized: boolean;
    present: Record<Network, ReadonlyMap<string, { namespace: Namespace }>>;
    now: Date;
    path: Path;
  },
): Promise<PlannedToken[]> {
  const today = utcDate(now);
  const planned: PlannedToken[] = [];
  for (const [t, token] of seeded.tokens.entries()) {
    const at = [...path, "tokens", t];
    if (initialized && (await store.tokens.getByName({ accountId: seeded.id, name: token.name })) !== null)
      continue;
    checkNamespaces(token, present, at);
    const ids = (token.restrictToEdgeWorkerIds ?? []).map(String);
    const everyEdgeWorker = ids.length === 0 || (ids.length === 1 && ids[0] === "all");
    planned.push({
      accountId: seeded.id,
      cpcode,
      name: token.name,
      allowOnStaging: token.allowOnStaging,
      allowOnProduction: token.allowOnProduction,
      namespacePermissions: token.namespacePermissions,
      edgeWorkerIds: everyEdgeWorker ? null : [...new Set(ids)],
      expiry: expiryOf(token, today, at),
    });
  }
  const live = initialized ? (await store.tokens.list(seeded.id)).length : 0;
  if (live + planned.length > tokenLimit) {
    throw invalid(
      [...path, "tokens"],
      `account ${seeded.id} would hold ${live + planned.length} access tokens, more than its limit of ${tokenLimit}`,
    );
  }
  return planned;
}
