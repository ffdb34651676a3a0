import type { Clock } from "../clock.ts";
import { createVerifier } from "../edgegrid/verifier.ts";
import { ApiError } from "../errors.ts";
import { headerCount } from "../http/raw-headers.ts";
import type { AuthScheme, IncomingRequest, RequestHead } from "../http/route.ts";
import type { Store } from "../storage/store.ts";
import type { AccountService } from "./account-service.ts";
import type { Caller } from "./caller.ts";
import type { ApiClient } from "./model.ts";
import type { NonceJournal } from "./nonce-journal.ts";
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

/** A client's last use is written at most this often by one process: a minute is precise enough to show. */
const LAST_USE_WRITE_MS = 60_000;

function headerPairs(rawHeaders: readonly string[]): Array<readonly [string, string]> {
  const pairs: Array<readonly [string, string]> = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    pairs.push([rawHeaders[index] ?? "", rawHeaders[index + 1] ?? ""]);
  }
  return pairs;
}

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Node keeps the first of two Authorization headers; which one a proxy would keep is anyone's guess. */
function singleAuthorization(request: RequestHead): string | undefined {
  if (headerCount(request.rawHeaders, "authorization") > 1) {
    throw new ApiError("auth_missing", "Missing or malformed Authorization header");
  }
  return single(request.headers.authorization);
}

export const EDGEGRID_SECURITY_SCHEME = "EdgeGrid";

/**
 * EdgeGrid (EG1-HMAC-SHA256) as Akamai's API gateway applies it: the signature of the request
 * exactly as received (raw request target, Host with port, raw body bytes), a fresh nonce, then the
 * acting account (the client's own, or `accountSwitchKey`'s when the client may switch).
 */
export function createEdgeGridAuth({
  store,
  accounts,
  clock,
  maxSkewSeconds,
  nonceJournal,
}: {
  store: Store;
  accounts: AccountService;
  /** Real time: EdgeGrid timestamps and nonces follow the wall clock even when the domain's is manual. */
  clock: Clock;
  /** null turns the clock-skew check off (only for fixed test vectors). */
  maxSkewSeconds: number | null;
  /** A single-process SQLite server keeps its accepted nonces here across restarts. */
  nonceJournal: NonceJournal | null;
}): AuthScheme<Caller> {
  const wallMs = () => clock.now().getTime();
  const clientCache = createShortCache<VerifiableClient | null>({ ttlMs: CLIENT_CACHE_MS, now: wallMs });
  const recentNonces = createRecentNonces({ now: () => clock.now(), journal: nonceJournal ?? undefined });
  // A SQLite database belongs to one server process, so its nonces stay in that process's memory;
  // PostgreSQL nodes behind one load balancer must also see each other's.
  const sharedNonces = store.dialect === "postgres";
  const lastUseWritten = new Map<string, number>();
  /** Records the client's use without delaying the request; a failed write only loses the time. */
  function markUsed(clientToken: string): void {
    const now = wallMs();
    if (now - (lastUseWritten.get(clientToken) ?? Number.NEGATIVE_INFINITY) < LAST_USE_WRITE_MS) return;
    lastUseWritten.set(clientToken, now);
    store.clients.markUsed(clientToken, new Date(now)).catch(() => lastUseWritten.delete(clientToken));
  }
  const verifier = createVerifier({
    lookupClient: (clientToken: string) =>
      clientCache.get(clientToken, async () => {
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

  return {
    name: "EdgeGrid",
    securitySchemes: {
      [EDGEGRID_SECURITY_SCHEME]: {
        type: "apiKey",
        in: "header",
        name: "Authorization",
        description:
          "Akamai EdgeGrid: `Authorization: EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;signature=…`, " +
          "an HMAC-SHA256 over the method, scheme, Host, raw request target, and (POST) the body's hash, with the " +
          "client secret from `.edgerc`. Add `accountSwitchKey=<account>` to the query to act on another account.",
      },
    },
    security: [{ [EDGEGRID_SECURITY_SCHEME]: [] }],
    beforeRouting: true,
    errors: [
      "auth_missing",
      "auth_timestamp",
      "auth_unknown_client",
      "auth_inactive_client",
      "auth_access_token",
      "auth_signature",
      "auth_nonce_reused",
      "forbidden",
    ],
    needsBody: true,
    async screen(request: RequestHead): Promise<void> {
      await verifier.screen(singleAuthorization(request));
    },
    async authenticate(request: IncomingRequest): Promise<Caller> {
      const verified = await verifier.verify({
        authorization: singleAuthorization(request),
        method: request.method,
        host: single(request.headers.host),
        target: request.target,
        headers: headerPairs(request.rawHeaders),
        body: request.body,
      });
      const switchKey = request.query.accountSwitchKey;
      const { client } = verified.client;
      markUsed(client.clientToken);
      return {
        client,
        account: await accounts.actingAccount(client, typeof switchKey === "string" ? switchKey : undefined),
      };
    },
  };
}
