import { randomUUID } from "node:crypto";
import { formatTimestamp, SCHEME } from "./auth-header.ts";
import { requestSignature } from "./request-signature.ts";
import { DEFAULT_MAX_BODY } from "./signing.ts";

export { DEFAULT_MAX_BODY };

export interface EdgeGridCredentials {
  readonly clientToken: string;
  readonly clientSecret: string;
  readonly accessToken: string;
}

export interface SignInput {
  readonly credentials: EdgeGridCredentials;
  readonly method: string;
  /** The Host the request goes to, with `:port` when not 443. */
  readonly host: string;
  /** The request target exactly as it will be sent: raw path and optional `?query`. */
  readonly target: string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** The exact bytes that will be sent. */
  readonly body?: Uint8Array;
  readonly headersToSign?: readonly string[];
  readonly maxBody?: number;
  /** Wins over `now`; default: `now`, else the system clock. */
  readonly timestamp?: string;
  readonly now?: Date;
  /** Wins over `randomNonce`; default: `randomNonce()`, else a random UUID. */
  readonly nonce?: string;
  readonly randomNonce?: () => string;
}

/** The Authorization header value for one request. */
export function signRequest(input: SignInput): string {
  const timestamp = input.timestamp ?? formatTimestamp(input.now ?? new Date());
  const nonce = input.nonce ?? (input.randomNonce ?? randomUUID)();
  const { clientToken, accessToken, clientSecret } = input.credentials;
  const unsignedPart = `${SCHEME} client_token=${clientToken};access_token=${accessToken};timestamp=${timestamp};nonce=${nonce};`;
  const signature = requestSignature({
    clientSecret,
    timestamp,
    unsignedPart,
    method: input.method,
    host: input.host,
    target: input.target,
    headers: input.headers ?? [],
    ...(input.body === undefined ? {} : { body: input.body }),
    headersToSign: input.headersToSign ?? [],
    maxBody: input.maxBody ?? DEFAULT_MAX_BODY,
  });
  return `${unsignedPart}signature=${signature}`;
}
