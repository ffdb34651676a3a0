import { randomUUID } from "node:crypto";
import { type Credentials, createHarness, type Harness } from "../support/harness.ts";
import { send } from "./wire.ts";

/** Names and credentials the fuzzer draws from, so requests reach past the validators. */
export interface World {
  readonly h: Harness;
  /** All capabilities, may switch accounts. */
  readonly main: Credentials;
  /** Same account, staging view rights only: 403 on most operations. */
  readonly limited: Credentials;
  /** Another account, a few capabilities. */
  readonly foreign: Credentials;
  /** A client that exists but is disabled. */
  readonly disabled: Credentials;
  /** Account ids for `accountSwitchKey`: existing, uninitialised, unknown. */
  readonly accounts: readonly string[];
  /** Namespaces on both networks of the default account; never deleted by the fuzzer. */
  readonly namespaces: readonly string[];
  readonly groups: readonly string[];
  readonly items: readonly string[];
  /** Tokens the fuzzer reads and refreshes but never revokes. */
  readonly tokens: readonly string[];
  /** Tokens and namespaces the fuzzer made or may delete; grows as it creates them. */
  readonly churn: { readonly tokens: string[]; readonly namespaces: string[] };
  /**
   * Data-plane credential headers: `usual` ones an EdgeWorker sends (tokens in force, with various
   * reach), `odd` ones (none, revoked, expired, unknown, tampered, malformed). Weights, not verdicts.
   */
  readonly edge: {
    readonly usual: ReadonlyArray<Readonly<Record<string, string>>>;
    readonly odd: ReadonlyArray<Readonly<Record<string, string>>>;
  };
}

export const JWT_HEADER = "x-akamai-edgedb-auth";
export const REFERENCE_HEADER = "x-akamai-edgedb-auth-ref";

const DAY = 86_400;

/** A signed admin call that must succeed: setup is not under test. */
async function call(h: Harness, credentials: Credentials, method: string, url: string, body?: unknown) {
  const response = await send(h, {
    method,
    url,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: Buffer.from(JSON.stringify(body)) }),
    auth: { kind: "signed", credentials, skewSeconds: 0, nonce: randomUUID() },
  });
  if (response.statusCode >= 300) {
    throw new Error(`setup: ${method} ${url} → ${response.statusCode} ${response.body}`);
  }
  return String(response.headers["content-type"]).startsWith("application/json")
    ? (response.json() as Record<string, unknown>)
    : {};
}

const isoDate = (at: Date, days: number) =>
  new Date(at.getTime() + days * DAY * 1000).toISOString().slice(0, 10);

/**
 * A server with something to hit: two accounts, a second namespace, items in groups on both
 * networks, enhanced and legacy tokens with various reaches, a revoked and an expired one.
 */
export async function createWorld(): Promise<World> {
  const h = await createHarness({ settings: { activationDelaySeconds: 0 } });
  const main = h.credentials;
  const limited = await h.addClient({ capabilities: ["VIEW_STAGING_TOKEN", "VIEW_STAGING_NAMESPACE"] });
  const foreign = await h.addClient({
    accountId: "second",
    capabilities: ["VIEW_TOKEN", "VIEW_NAMESPACE", "READ_DATA", "WRITE_DATA"],
  });
  const disabled = await h.addClient({});
  await h.store.clients.setEnabled(disabled.clientToken, false);
  await h.store.accounts.create({
    id: "fresh",
    cpcode: null,
    initializedAt: null,
    dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
    createdAt: h.clock.now(),
  });

  const namespaces = ["default", "fuzzns"];
  const groups = ["g", "grp-2", "_x"];
  const items = ["k", "item-1", "-dash", "0"];
  for (const network of ["staging", "production"]) {
    await call(h, main, "POST", `/edgekv/v1/networks/${network}/namespaces`, {
      namespace: "fuzzns",
      retentionInSeconds: 0,
      groupId: 0,
    });
    await call(h, main, "POST", `/edgekv/v1/networks/${network}/namespaces?accountSwitchKey=second`, {
      namespace: "fuzzns",
      retentionInSeconds: 0,
      groupId: 0,
    });
    // Every item of every group exists at first, so reads and deletes find something to act on.
    for (const namespace of namespaces) {
      for (const group of groups) {
        for (const item of items) {
          const url = `/edgekv/v1/networks/${network}/namespaces/${namespace}/groups/${group}/items/${item}`;
          await call(h, main, "PUT", url, { seeded: `${group}/${item}` });
        }
      }
    }
  }

  const now = h.clock.now();
  const everywhere = { allowOnStaging: true, allowOnProduction: true };
  const all = { default: ["r", "w", "d"], fuzzns: ["r", "w", "d"] };
  const token = async (body: Record<string, unknown>, query = "") =>
    call(h, main, "POST", `/edgekv/v1/tokens${query}`, { ...everywhere, namespacePermissions: all, ...body });
  const enhanced = await token({ name: "fz-enhanced" });
  const legacy = await token({ name: "fz-legacy", expiry: isoDate(now, 150) });
  const readOnly = await token({ name: "fz-read", namespacePermissions: { default: ["r"], fuzzns: ["r"] } });
  const edgeWorker = await token({ name: "fz-ew", restrictToEdgeWorkerIds: [42] });
  const staging = await token({ name: "fz-staging", allowOnProduction: false });
  const second = await token({ name: "fz-second" }, "?accountSwitchKey=second");
  const expiring = await token({ name: "fz-expiring", expiry: isoDate(now, 1) });
  const revoked = await token({ name: "fz-revoked" });
  const revokedLegacy = await token({ name: "fz-revoked-legacy", expiry: isoDate(now, 30) });
  await call(h, main, "DELETE", "/edgekv/v1/tokens/fz-revoked");
  await call(h, main, "DELETE", "/edgekv/v1/tokens/fz-revoked-legacy");
  // Two days on, fz-expiring has expired; the others are still in force.
  await call(h, main, "POST", "/_edgekv/v1/clock", { advanceSeconds: 2 * DAY });

  const ref = (value: unknown) => ({ [REFERENCE_HEADER]: String(value) });
  const jwt = (value: unknown) => ({ [JWT_HEADER]: String(value) });
  const legacyJwt = String(legacy.value);
  const [head, payload, signature] = legacyJwt.split(".");
  return {
    h,
    main,
    limited,
    foreign,
    disabled,
    accounts: ["default", "second", "fresh", "nobody", "__proto__"],
    namespaces,
    groups,
    items,
    tokens: ["fz-enhanced", "fz-legacy", "fz-read", "fz-ew", "fz-staging", "fz-expiring", "fz-revoked"],
    churn: { tokens: [], namespaces: [] },
    edge: {
      usual: [
        ref(enhanced.uuid),
        jwt(legacyJwt),
        ref(readOnly.uuid),
        ref(edgeWorker.uuid),
        ref(staging.uuid),
        ref(second.uuid),
        // Both headers: the reference is taken.
        { ...ref(enhanced.uuid), ...jwt("junk") },
        ref(` ${String(enhanced.uuid)} `),
      ],
      odd: [
        {},
        ref(""),
        jwt(""),
        ref(revoked.uuid),
        jwt(revokedLegacy.value),
        jwt(expiring.value),
        ref(expiring.uuid),
        ref(randomUUID()),
        ref(String(enhanced.uuid).toUpperCase()),
        ref("not-a-uuid"),
        ref("__proto__"),
        jwt("a.b.c"),
        jwt("not a jwt"),
        jwt(`${head}.${payload}.${signature?.slice(0, -2) ?? ""}AA`),
        jwt(`${Buffer.from('{"alg":"none","typ":"JWT"}').toString("base64url")}.${payload}.`),
        jwt(`${head}.${Buffer.from('{"namespace":"default"}').toString("base64url")}.${signature}`),
        jwt(legacy.uuid),
        ref(legacyJwt),
      ],
    },
  };
}
