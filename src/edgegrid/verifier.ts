import { timingSafeEqual } from "node:crypto";
import { ApiError } from "../errors.ts";
import { parseAuthorization, parseTimestamp } from "./auth-header.ts";
import { canonicalHeaders, contentHash, DEFAULT_MAX_BODY, dataToSign, signature } from "./signing.ts";

export interface ClientSecrets {
  readonly clientSecret: string;
  readonly accessToken: string;
  readonly enabled: boolean;
}

export interface VerifierDeps<C extends ClientSecrets> {
  lookupClient(clientToken: string): Promise<C | null>;
  /** Records a nonce; false when the client already used it within its lifetime. */
  rememberNonce(input: { clientToken: string; nonce: string; expiresAt: Date }): Promise<boolean>;
  now(): Date;
  /** Allowed clock difference either way; null turns the check off (fixed 2014 test vectors). */
  maxSkewSeconds: number | null;
  headersToSign?: readonly string[];
  maxBody?: number;
}

export interface ReceivedRequest {
  authorization: string | undefined;
  method: string;
  /** The Host header as received, port included. */
  host: string | undefined;
  /** The raw request target from the request line, never rebuilt. */
  target: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body?: Uint8Array;
}

export interface Verified<C> {
  readonly client: C;
  readonly clientToken: string;
  readonly nonce: string;
  readonly timestamp: Date;
}

const NONCE_MEMORY_FLOOR_SECONDS = 60;

function equalInConstantTime(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  // Comparing lengths leaks only the length, which is public (base64 of 32 bytes, or a token format).
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Server-side EG1-HMAC-SHA256 verification, in the order of edgegrid.md §7. */
export function createVerifier<C extends ClientSecrets>(deps: VerifierDeps<C>) {
  const headersToSign = deps.headersToSign ?? [];
  const maxBody = deps.maxBody ?? DEFAULT_MAX_BODY;
  const nonceLifetimeMs = Math.max(NONCE_MEMORY_FLOOR_SECONDS, 2 * (deps.maxSkewSeconds ?? 0)) * 1000;

  async function verify(request: ReceivedRequest): Promise<Verified<C>> {
    const auth = parseAuthorization(request.authorization);
    if (auth === null) throw new ApiError("auth_missing", "Missing or malformed Authorization header");

    const signedAt = parseTimestamp(auth.timestamp);
    if (signedAt === null) throw new ApiError("auth_timestamp", "Invalid timestamp");
    const now = deps.now();
    if (
      deps.maxSkewSeconds !== null &&
      Math.abs(now.getTime() - signedAt.getTime()) > deps.maxSkewSeconds * 1000
    ) {
      throw new ApiError("auth_timestamp", "Invalid timestamp");
    }

    const client = await deps.lookupClient(auth.clientToken);
    if (client === null) throw new ApiError("auth_unknown_client", "Invalid client token");
    if (!client.enabled) throw new ApiError("auth_inactive_client", "Inactive client token");
    if (!equalInConstantTime(auth.accessToken, client.accessToken)) {
      throw new ApiError("auth_access_token", "Invalid access token");
    }

    const host = request.host ?? "";
    const expected = signature({
      clientSecret: client.clientSecret,
      timestamp: auth.timestamp,
      dataToSign: dataToSign({
        method: request.method,
        host,
        target: request.target,
        canonicalHeaders: canonicalHeaders({ headers: request.headers, headersToSign }),
        contentHash: contentHash({
          method: request.method,
          ...(request.body === undefined ? {} : { body: request.body }),
          maxBody,
        }),
        unsignedPart: auth.unsignedPart,
      }),
    });
    if (request.host === undefined || !equalInConstantTime(expected, auth.signature)) {
      throw new ApiError("auth_signature", "The signature does not match", {
        "WWW-Authenticate": `EG1-HMAC-SHA256 realm="${host}"`,
      });
    }

    // Only a correctly signed request uses up its nonce, so nobody can burn another client's nonces.
    const fresh = await deps.rememberNonce({
      clientToken: auth.clientToken,
      nonce: auth.nonce,
      expiresAt: new Date(Math.max(now.getTime(), signedAt.getTime()) + nonceLifetimeMs),
    });
    if (!fresh) throw new ApiError("auth_nonce_reused", "Nonce has already been used");
    return { client, clientToken: auth.clientToken, nonce: auth.nonce, timestamp: signedAt };
  }

  return { verify };
}
