import type { Caller } from "../accounts/caller.ts";
import type { Account } from "../accounts/model.ts";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import type { Network } from "../kv/model.ts";
import type { Store } from "../storage/store.ts";
import { addDays, daysToMs, endOfDay, utcDate } from "./dates.ts";
import type { Keyring } from "./keyring.ts";
import { activationStatus, isExpired, type Token, type TokenListing } from "./model.ts";
import { newToken, REFRESH_GRACE_DAYS } from "./new-token.ts";
import { mayActOn, requireTokenAccess } from "./token-access.ts";
import { issueTokenJwt, type TokenGrant } from "./token-jwt.ts";
import { type CreateTokenRequest, EXPIRY_RANGE_ERROR } from "./token-schemas.ts";

export interface TokenSettings {
  /** Seconds from a create or refresh until the credential is active (0: at once). */
  activationDelaySeconds: number;
  refreshIntervalDays: number;
  /** Live tokens an account may hold; expired-but-kept tokens count. */
  tokenLimit: number;
  /** Share of activations that end in ERROR (fault injection; 0 in normal use). */
  activationFailureRate: number;
}

export const EXPIRED_TOKEN_KEEP_DAYS = 30;
/** A legacy token's expiry is at most this many days ahead (Akamai: 6 months). */
export const MAX_EXPIRY_DAYS = 183;

export interface TokenServiceDeps {
  store: Store;
  keyring: Keyring;
  clock: Clock;
  randomUUID: () => string;
  random: () => number;
  settings: TokenSettings;
}

export type TokenService = ReturnType<typeof createTokenService>;

const notFound = (name: string) => new ApiError("token_not_found", `Token with name ${name} does not exist.`);

export function createTokenService({
  store,
  keyring,
  clock,
  randomUUID,
  random,
  settings,
}: TokenServiceDeps) {
  const activation = (now: Date) => ({
    activationDueAt: new Date(now.getTime() + settings.activationDelaySeconds * 1000),
    activationOutcome: random() < settings.activationFailureRate ? ("ERROR" as const) : ("COMPLETE" as const),
  });

  async function checkNamespaces(account: Account, request: CreateTokenRequest): Promise<void> {
    const networks: Network[] = [
      ...(request.allowOnStaging ? (["staging"] as const) : []),
      ...(request.allowOnProduction ? (["production"] as const) : []),
    ];
    const policies = new Set<boolean>();
    for (const name of Object.keys(request.namespacePermissions)) {
      for (const network of networks) {
        const namespace = await store.namespaces.get({ accountId: account.id, network, name });
        if (namespace === null) {
          throw new ApiError(
            "validation",
            `Namespace ${name} does not exist on the ${network} network. Create it first, or do not allow the token on ${network}.`,
            {},
            { field: `namespacePermissions.${name}` },
          );
        }
        policies.add(namespace.restrictDataAccess);
      }
    }
    if (policies.size > 1) {
      throw new ApiError(
        "validation",
        "All namespaces of a token must have the same data access policy (restrictDataAccess).",
        {},
        { field: "namespacePermissions" },
      );
    }
  }

  async function create(caller: Caller, request: CreateTokenRequest): Promise<Token> {
    const now = clock.now();
    const today = utcDate(now);
    if (
      request.expiry !== null &&
      (request.expiry < addDays(today, 1) || request.expiry > addDays(today, MAX_EXPIRY_DAYS))
    ) {
      throw new ApiError("validation", EXPIRY_RANGE_ERROR, {}, { field: "expiry" });
    }
    requireTokenAccess(caller.client, "create", request);
    const { account } = caller;
    if (account.cpcode === null) {
      throw new ApiError(
        "not_initialized",
        `Account ${account.id} is not initialized. Initialize it with PUT /edgekv/v1/initialize.`,
      );
    }
    await checkNamespaces(account, request);
    const uuid = randomUUID();
    const grant: TokenGrant = {
      uuid,
      accountId: account.id,
      cpcode: account.cpcode,
      allowOnProduction: request.allowOnProduction,
      allowOnStaging: request.allowOnStaging,
      namespacePermissions: request.namespacePermissions,
      edgeWorkerIds: request.edgeWorkerIds,
    };
    const token = await newToken({
      keyring,
      grant,
      name: request.name,
      expiry: request.expiry,
      refreshIntervalDays: settings.refreshIntervalDays,
      now,
      // A legacy token works as soon as it is returned: its value is the credential.
      activation:
        request.expiry !== null ? { activationDueAt: now, activationOutcome: "COMPLETE" } : activation(now),
    });
    const result = await store.tokens.insert(token, { limit: settings.tokenLimit });
    if (result === "duplicate") {
      throw new ApiError(
        "token_conflict",
        `Token with name ${request.name} is already stored.`,
        {},
        {
          field: "name",
        },
      );
    }
    if (result === "limit") {
      throw new ApiError(
        "validation",
        `The account already holds ${settings.tokenLimit} access tokens, its limit (expired tokens count for ` +
          `${EXPIRED_TOKEN_KEEP_DAYS} days). Revoke tokens you no longer need.`,
      );
    }
    return token;
  }

  async function list(
    caller: Caller,
    { includeExpired }: { includeExpired: boolean },
  ): Promise<TokenListing[]> {
    const { client } = caller;
    const now = clock.now();
    const keptSince = now.getTime() - daysToMs(EXPIRED_TOKEN_KEEP_DAYS);
    return (await store.tokens.list(caller.account.id)).filter(
      (token) =>
        mayActOn(client, "view", token) &&
        (token.expiresAt === null ||
          !isExpired(token, now) ||
          (includeExpired && token.expiresAt.getTime() >= keptSince)),
    );
  }

  async function findLive(
    caller: Caller,
    name: string,
    action: "view" | "create" | "revoke",
  ): Promise<Token> {
    const token = await store.tokens.getByName({ accountId: caller.account.id, name });
    if (token === null) throw notFound(name);
    requireTokenAccess(caller.client, action, token);
    if (isExpired(token, clock.now())) throw new ApiError("token_expired", "Token has expired.");
    return token;
  }

  /** Re-issues the credential; the previous one keeps working until the new one is active. */
  async function refreshToken(token: Token): Promise<boolean> {
    const now = clock.now();
    const today = utcDate(now);
    const nextRefreshOn = addDays(today, settings.refreshIntervalDays);
    const credential = await issueTokenJwt(keyring, {
      grant: token,
      issuedAt: now,
      expiresAt: endOfDay(addDays(nextRefreshOn, REFRESH_GRACE_DAYS)),
    });
    const active = activationStatus(token, now) === "COMPLETE" ? token.credential : token.previousCredential;
    return store.tokens.refresh({
      uuid: token.uuid,
      expectedVersion: token.credentialVersion,
      credential,
      previousCredential: active,
      latestRefreshOn: today,
      nextRefreshOn,
      ...activation(now),
    });
  }

  async function refresh(caller: Caller, name: string): Promise<Token> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const token = await findLive(caller, name, "create");
      if (token.kind === "legacy") {
        throw new ApiError(
          "validation",
          `Token ${name} has an expiry date (a legacy token) and cannot be refreshed. Create a token without expiry instead.`,
        );
      }
      if (await refreshToken(token)) {
        const refreshed = await store.tokens.getByUuid(token.uuid);
        if (refreshed !== null && refreshed.revokedAt === null) return refreshed;
        throw notFound(name);
      }
    }
    throw new ApiError("token_conflict", `Token ${name} is being changed by another request; try again.`);
  }

  /** Expired tokens can be revoked too; the name is free again afterwards. */
  async function revoke(caller: Caller, name: string): Promise<Token> {
    const token = await store.tokens.getByName({ accountId: caller.account.id, name });
    if (token === null) throw notFound(name);
    requireTokenAccess(caller.client, "revoke", token);
    const revoked = await store.tokens.revoke({ accountId: caller.account.id, name, at: clock.now() });
    if (revoked === null) throw notFound(name);
    return revoked;
  }

  /** The scheduler's work: due refreshes (each once) and purging long-expired tokens. */
  async function runDueWork(): Promise<{ refreshed: number; purged: number }> {
    const now = clock.now();
    let refreshed = 0;
    for (;;) {
      const due = await store.tokens.listDueRefreshes({ today: utcDate(now), limit: 100 });
      let progressed = false;
      // A batch's JWTs are signed at once (ECDSA signing waits on the crypto thread pool); each
      // refresh is still a versioned update, applied once whichever node gets there first.
      for (const done of await Promise.all(due.map((token) => refreshToken(token)))) {
        if (done) {
          refreshed += 1;
          progressed = true;
        }
      }
      if (due.length < 100 || !progressed) break;
    }
    const cutoff = new Date(now.getTime() - daysToMs(EXPIRED_TOKEN_KEEP_DAYS));
    const purged = await store.tokens.purge({ expiredBefore: cutoff, revokedBefore: cutoff });
    return { refreshed, purged };
  }

  return {
    create,
    list,
    get: (caller: Caller, name: string) => findLive(caller, name, "view"),
    refresh,
    revoke,
    runDueWork,
  };
}
