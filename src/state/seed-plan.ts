import { DEFAULT_POLICY } from "../accounts/account-service.ts";
import type { RandomBytes } from "../accounts/credentials.ts";
import type { Account, ApiClient, DataAccessPolicy } from "../accounts/model.ts";
import type { SecretBox } from "../accounts/secret-box.ts";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import { DEFAULT_NAMESPACE, generateCpcode } from "../kv/initialize.ts";
import { type KvItem, type Namespace, NETWORKS, type Network } from "../kv/model.ts";
import type { Store } from "../storage/store.ts";
import { defaultNamespace } from "./default-namespace.ts";
import { planClient } from "./seed-clients.ts";
import { checkSeedRules, itemValue, problemAt } from "./seed-rules.ts";
import type { SeedAccount, SeedDocument, SeedNamespace } from "./seed-schema.ts";
import { type PlannedToken, planTokens } from "./seed-token-plan.ts";

export interface SeedPlanDeps {
  store: Store;
  secretBox: SecretBox;
  clock: Clock;
  randomBytes: RandomBytes;
  tokenLimit: number;
  namespaceLimit: number;
}

/** What applying the seed adds; the tokens still need their JWTs. */
export interface SeedPlan {
  readonly accounts: Account[];
  readonly clients: ApiClient[];
  readonly namespaces: Namespace[];
  readonly items: KvItem[];
  readonly tokens: PlannedToken[];
}

type Path = readonly PropertyKey[];

const conflict = (path: Path, message: string) => new ApiError("kv_conflict", problemAt(path, message));
const invalid = (path: Path, message: string) => new ApiError("validation", problemAt(path, message));

const samePolicy = (a: DataAccessPolicy, b: DataAccessPolicy) =>
  a.restrictDataAccess === b.restrictDataAccess &&
  a.allowNamespacePolicyOverride === b.allowNamespacePolicyOverride;

/** The namespaces an account has on each network once the seed is applied, by name. */
type Present = Record<Network, Map<string, { namespace: Namespace; stored: boolean }>>;

/** A stored namespace is left as it is; a field the seed gives must agree with it. */
function compareNamespace(stored: Namespace, seeded: SeedNamespace, path: Path): void {
  const fields = [
    ["retentionInSeconds", seeded.retentionInSeconds, stored.retentionInSeconds],
    ["groupId", seeded.groupId, stored.groupId],
    ["geoLocation", seeded.geoLocation, stored.geoLocation],
    ["restrictDataAccess", seeded.restrictDataAccess, stored.restrictDataAccess],
  ] as const;
  for (const [field, wanted, actual] of fields) {
    if (wanted !== undefined && wanted !== actual) {
      throw conflict(
        [...path, field],
        `namespace ${stored.name} exists on ${stored.network} with ${field} ${actual}`,
      );
    }
  }
}

function planNamespaces(
  plan: SeedPlan,
  {
    seeded,
    policy,
    present,
    now,
    path,
  }: { seeded: SeedAccount; policy: DataAccessPolicy; present: Present; now: Date; path: Path },
): void {
  for (const [n, namespace] of seeded.namespaces.entries()) {
    const at = [...path, "namespaces", n];
    for (const network of namespace.networks) {
      const found = present[network].get(namespace.name);
      if (found?.stored === true) {
        compareNamespace(found.namespace, namespace, at);
        continue;
      }
      const restrictDataAccess = namespace.restrictDataAccess ?? policy.restrictDataAccess;
      if (restrictDataAccess !== policy.restrictDataAccess && !policy.allowNamespacePolicyOverride) {
        throw invalid(
          [...at, "restrictDataAccess"],
          "the account's data access policy does not let a namespace override it",
        );
      }
      const wanted: Namespace = {
        ...defaultNamespace(seeded.id, network, restrictDataAccess, now),
        name: namespace.name,
        retentionInSeconds: namespace.retentionInSeconds ?? 0,
        groupId: namespace.groupId ?? 0,
        geoLocation: namespace.geoLocation ?? "US",
      };
      present[network].set(namespace.name, { namespace: wanted, stored: false });
      plan.namespaces.push(wanted);
    }
  }
}

/** Namespaces count against the account's limit on each network, `default` included. */
function checkLimit(
  deps: SeedPlanDeps,
  { seeded, present, path }: { seeded: SeedAccount; present: Present; path: Path },
) {
  for (const network of NETWORKS) {
    const count = present[network].size;
    if (count > deps.namespaceLimit) {
      throw invalid(
        [...path, "namespaces"],
        `account ${seeded.id} would hold ${count} namespaces on ${network}, more than its limit of ${deps.namespaceLimit}`,
      );
    }
  }
}

/** Items are written when they are missing or differ (bytes or type); their expiry follows the namespace. */
async function planItems(
  deps: SeedPlanDeps,
  plan: SeedPlan,
  { seeded, present, now }: { seeded: SeedAccount; present: Present; now: Date },
): Promise<void> {
  for (const namespace of seeded.namespaces) {
    for (const item of namespace.items) {
      for (const network of item.networks ?? namespace.networks) {
        const target = present[network].get(namespace.name);
        if (target === undefined) continue;
        const { value, contentType } = itemValue(item);
        const address = {
          accountId: seeded.id,
          network,
          namespace: namespace.name,
          group: item.group,
          key: item.key,
        };
        const stored = target.stored ? await deps.store.items.get(address, now) : null;
        if (stored !== null && stored.contentType === contentType && stored.value.equals(value)) continue;
        const retentionMs = target.namespace.retentionInSeconds * 1000;
        plan.items.push({
          ...address,
          value,
          contentType,
          updatedAt: now,
          expiresAt: retentionMs > 0 ? new Date(now.getTime() + retentionMs) : null,
        });
      }
    }
  }
}

async function planAccount(deps: SeedPlanDeps, plan: SeedPlan, seeded: SeedAccount, path: Path, now: Date) {
  const { store } = deps;
  const stored = await store.accounts.get(seeded.id);
  const initialized = stored !== null && stored.initializedAt !== null;
  if (initialized && seeded.cpcode !== undefined && stored.cpcode !== seeded.cpcode) {
    throw conflict([...path, "cpcode"], `account ${seeded.id} exists with CP code ${stored.cpcode}`);
  }
  if (
    initialized &&
    seeded.dataAccessPolicy !== undefined &&
    !samePolicy(stored.dataAccessPolicy, seeded.dataAccessPolicy)
  ) {
    const { restrictDataAccess, allowNamespacePolicyOverride } = stored.dataAccessPolicy;
    throw conflict(
      [...path, "dataAccessPolicy"],
      `account ${seeded.id} exists with restrictDataAccess ${restrictDataAccess}, allowNamespacePolicyOverride ${allowNamespacePolicyOverride}`,
    );
  }
  const policy = initialized ? stored.dataAccessPolicy : (seeded.dataAccessPolicy ?? DEFAULT_POLICY);
  const cpcode = stored?.cpcode ?? seeded.cpcode ?? generateCpcode(deps.randomBytes);
  const present: Present = { staging: new Map(), production: new Map() };
  if (initialized) {
    for (const network of NETWORKS) {
      for (const namespace of await store.namespaces.list({ accountId: seeded.id, network })) {
        present[network].set(namespace.name, { namespace, stored: true });
      }
    }
  } else {
    plan.accounts.push({
      id: seeded.id,
      cpcode,
      initializedAt: now,
      dataAccessPolicy: policy,
      createdAt: stored?.createdAt ?? now,
    });
  }
  for (const [c, client] of seeded.clients.entries()) {
    const added = await planClient(deps, client, {
      accountId: seeded.id,
      now,
      path: [...path, "clients", c],
    });
    if (added !== null) plan.clients.push(added);
  }
  planNamespaces(plan, { seeded, policy, present, now, path });
  // As a first run makes it: `default` on both networks, unless the seed describes it.
  for (const network of NETWORKS) {
    if (present[network].has(DEFAULT_NAMESPACE)) continue;
    const namespace = defaultNamespace(seeded.id, network, policy.restrictDataAccess, now);
    present[network].set(DEFAULT_NAMESPACE, { namespace, stored: false });
    plan.namespaces.push(namespace);
  }
  checkLimit(deps, { seeded, present, path });
  await planItems(deps, plan, { seeded, present, now });
  plan.tokens.push(...(await planTokens(deps, { seeded, cpcode, initialized, present, now, path })));
}

/**
 * Compares the seed with the database and says what applying it adds; a seed that contradicts
 * what is stored is refused (409), one that breaks a rule too (400), naming the field.
 */
export async function planSeed(deps: SeedPlanDeps, seed: SeedDocument): Promise<SeedPlan> {
  const broken = checkSeedRules(seed);
  if (broken !== null) throw new ApiError("validation", broken);
  const now = deps.clock.now();
  const plan: SeedPlan = { accounts: [], clients: [], namespaces: [], items: [], tokens: [] };
  for (const [a, account] of seed.accounts.entries())
    await planAccount(deps, plan, account, ["accounts", a], now);
  return plan;
}
