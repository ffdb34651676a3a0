import type { FastifyRequest } from "fastify";
import type { AccountService } from "../accounts/account-service.ts";
import type { Account, ApiClient } from "../accounts/model.ts";
import type { Clock } from "../clock.ts";
import { createVerifier } from "../edgegrid/verifier.ts";
import type { Store } from "../storage/store.ts";
import { createRecentNonces } from "./recent-nonces.ts";
import { createShortCache } from "./short-cache.ts";

interface VerifiableClient {
  client: ApiClient;
  clientSecret: string;
  accessToken: string;
  enabled: boolean;
}

/** How long a looked-up API client (with its unsealed secret) is reused; a revocation applies after it. */
const CLIENT_CACHE_MS = 250;

/** Who is calling and on which account it acts, once EdgeGrid verification has passed. */
export interface Caller {
  readonly client: ApiClient;
  readonly account: Account;
}

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

function headerPairs(rawHeaders: readonly string[]): Array<readonly [string, string]> {
  const pairs: Array<readonly [string, string]> = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    pairs.push([rawHeaders[index] ?? "", rawHeaders[index + 1] ?? ""]);
  }
  return pairs;
}

/**
 * A preHandler that verifies the EdgeGrid signature of the request exactly as received (raw request
 * target, Host with port, raw body bytes) and resolves the acting account.
 */
export function createAuthenticator({
  store,
  accounts,
  clock,
  maxSkewSeconds,
}: {
  store: Store;
  accounts: AccountService;
  clock: Clock;
  maxSkewSeconds: number | null;
}) {
  const wallMs = () => clock.now().getTime();
  const clientCache = createShortCache<VerifiableClient | null>({ ttlMs: CLIENT_CACHE_MS, now: wallMs });
  const recentNonces = createRecentNonces({ now: () => clock.now() });
  // A SQLite database belongs to one server process, so its nonces stay in that process's memory;
  // PostgreSQL nodes behind one load balancer must also see each other's.
  const sharedNonces = store.dialect === "postgres";
  const verifier = createVerifier({
    lookupClient: (clientToken: string) =>
      clientCache(clientToken, async () => {
        const client = await store.clients.get(clientToken);
        if (client === null) return null;
        return {
          client,
          clientSecret: accounts.openSecret(client),
          accessToken: client.accessToken,
          enabled: client.enabled,
        };
      }),
    rememberNonce: async ({ clientToken, nonce, expiresAt }) =>
      recentNonces.remember({ clientToken, nonce, expiresAt }) &&
      (!sharedNonces || (await store.nonces.remember({ clientToken, nonce, expiresAt, now: clock.now() }))),
    now: () => clock.now(),
    maxSkewSeconds,
  });

  return async function authenticate(request: FastifyRequest): Promise<void> {
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    const verified = await verifier.verify({
      authorization: request.headers.authorization,
      method: request.method,
      host: request.headers.host,
      target: request.raw.url ?? "/",
      headers: headerPairs(request.raw.rawHeaders),
      ...(body === undefined ? {} : { body }),
    });
    const query = request.query as Record<string, unknown> | undefined;
    const switchKey = typeof query?.accountSwitchKey === "string" ? query.accountSwitchKey : undefined;
    const { client } = verified.client;
    request.caller = { client, account: await accounts.actingAccount(client, switchKey) };
  };
}

/** The caller of an authenticated route; the route's scope guarantees authentication ran. */
export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === null) throw new Error("Route reached without authentication.");
  return request.caller;
}
