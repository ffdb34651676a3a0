import { ApiError } from "../errors.ts";
import { parseAuthorization, parseTimestamp, SCHEME } from "./auth-header.ts";
import { constantTimeEqual } from "./constant-time.ts";
import { requestSignature } from "./request-signature.ts";
import { DEFAULT_MAX_BODY } from "./signing.ts";

/** What the verifier needs to know about a client; the caller's own record may carry more. */
export interface ClientRecord {
  readonly clientSecret: string;
  readonly accessToken: string;
  readonly enabled: boolean;
}

export interface VerifierDeps<Client extends ClientRecord> {
  lookupClient(clientToken: string): Promise<Client | null>;
  /** Records the nonce; false when this client already used it and it has not expired. */
  rememberNonce(input: { clientToken: string; nonce: string; expiresAt: Date }): Promise<boolean>;
  now(): Date;
  /** Allowed distance between the header's timestamp and `now`; null disables the check. */
  readonly maxSkewSeconds: number | null;
  readonly headersToSign?: readonly string[];
  readonly maxBody?: number;
}

/** A request exactly as it arrived on the wire. */
export interface ReceivedRequest {
  readonly authorization: string | undefined;
  readonly method: string;
  /** The Host header as sent (with port); undefined when absent. */
  readonly host: string | undefined;
  /** The raw request-line target, never decoded or re-encoded. */
  readonly target: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Uint8Array;
}

export interface VerifiedCaller<Client> {
  readonly client: Client;
  readonly clientToken: string;
  readonly nonce: string;
  readonly timestamp: Date;
}

export interface Verifier<Client> {
  /** The checks that need no body (§7 steps before the signature); throws what verify would. */
  screen(authorization: string | undefined): Promise<void>;
  verify(request: ReceivedRequest): Promise<VerifiedCaller<Client>>;
}

/** A nonce is kept at least this long after its timestamp window closes, for clock jitter. */
const MIN_NONCE_MARGIN_SECONDS = 60;

/**
 * Long enough that a replay cannot pass the timestamp check after the nonce is forgotten. With the
 * skew check off there is no such bound; the nonce is then kept for the margin after now.
 */
function nonceExpiry({
  timestamp,
  now,
  maxSkewSeconds,
}: {
  timestamp: Date;
  now: Date;
  maxSkewSeconds: number | null;
}) {
  const skew = maxSkewSeconds ?? 0;
  const margin = Math.max(2 * skew, MIN_NONCE_MARGIN_SECONDS);
  return new Date(Math.max(timestamp.getTime(), now.getTime()) + (skew + margin) * 1000);
}

const quoted = (text: string) => text.replace(/["\\]/g, (character) => `\\${character}`);

const signatureMismatch = (host: string | undefined) =>
  new ApiError("auth_signature", "The signature does not match", {
    "WWW-Authenticate": `${SCHEME} realm="${quoted(host ?? "")}"`,
  });

/** Checks EdgeGrid requests in the order of the spec (§7); every failure is an ApiError. */
export function createVerifier<Client extends ClientRecord>(deps: VerifierDeps<Client>): Verifier<Client> {
  const { maxSkewSeconds } = deps;
  if (maxSkewSeconds !== null && !(Number.isFinite(maxSkewSeconds) && maxSkewSeconds >= 0)) {
    throw new Error(`maxSkewSeconds must be a non-negative number or null, got ${maxSkewSeconds}`);
  }
  const headersToSign = deps.headersToSign ?? [];
  const maxBody = deps.maxBody ?? DEFAULT_MAX_BODY;

  /**
   * Everything that can be checked without the body, in the spec's order: the header's form, the
   * timestamp, the client and its access token. A stranger is refused before its body is read.
   */
  async function screen(authorization: string | undefined) {
    const parsed = parseAuthorization(authorization);
    if (parsed === null) throw new ApiError("auth_missing", "Missing or malformed Authorization header");

    const timestamp = parseTimestamp(parsed.timestamp);
    const now = deps.now();
    if (
      timestamp === null ||
      (maxSkewSeconds !== null && Math.abs(now.getTime() - timestamp.getTime()) > maxSkewSeconds * 1000)
    ) {
      throw new ApiError("auth_timestamp", "Invalid timestamp");
    }

    const client = await deps.lookupClient(parsed.clientToken);
    if (client === null) throw new ApiError("auth_unknown_client", "Invalid client token");
    if (!client.enabled) throw new ApiError("auth_inactive_client", "Inactive client token");
    if (!constantTimeEqual(parsed.accessToken, client.accessToken)) {
      throw new ApiError("auth_access_token", "Invalid access token");
    }
    return { parsed, timestamp, now, client };
  }

  return {
    async screen(authorization) {
      await screen(authorization);
    },
    async verify(request) {
      const { parsed, timestamp, now, client } = await screen(request.authorization);

      if (request.host === undefined) throw signatureMismatch(request.host);
      const expected = requestSignature({
        clientSecret: client.clientSecret,
        timestamp: parsed.timestamp,
        unsignedPart: parsed.unsignedPart,
        method: request.method,
        host: request.host,
        target: request.target,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        headersToSign,
        maxBody,
      });
      if (!constantTimeEqual(parsed.signature, expected)) throw signatureMismatch(request.host);

      // Only a correctly signed request may consume a nonce, or anyone could burn a client's nonces.
      const fresh = await deps.rememberNonce({
        clientToken: parsed.clientToken,
        nonce: parsed.nonce,
        expiresAt: nonceExpiry({ timestamp, now, maxSkewSeconds }),
      });
      if (!fresh) throw new ApiError("auth_nonce_reused", "Nonce has already been used");

      return { client, clientToken: parsed.clientToken, nonce: parsed.nonce, timestamp };
    },
  };
}
