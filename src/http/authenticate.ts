import type { FastifyRequest } from "fastify";
import type { AccountService } from "../accounts/account-service.ts";
import type { Account, ApiClient } from "../accounts/model.ts";
import type { Clock } from "../clock.ts";
import { createVerifier } from "../edgegrid/verifier.ts";
import type { Store } from "../storage/store.ts";

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
  const verifier = createVerifier({
    lookupClient: async (clientToken: string) => {
      const client = await store.clients.get(clientToken);
      if (client === null) return null;
      return {
        client,
        clientSecret: accounts.openSecret(client),
        accessToken: client.accessToken,
        enabled: client.enabled,
      };
    },
    rememberNonce: ({ clientToken, nonce, expiresAt }) =>
      store.nonces.remember({ clientToken, nonce, expiresAt, now: clock.now() }),
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
