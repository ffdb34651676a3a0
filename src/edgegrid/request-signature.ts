import { canonicalHeaders, contentHash, dataToSign, signature } from "./signing.ts";

export interface SignedRequestParts {
  readonly clientSecret: string;
  /** The timestamp text exactly as it appears in the header. */
  readonly timestamp: string;
  /** The unsigned header `P` (ends with `;`). */
  readonly unsignedPart: string;
  readonly method: string;
  readonly host: string;
  readonly target: string;
  readonly headers: ReadonlyArray<readonly [string, string]>;
  readonly body?: Uint8Array;
  readonly headersToSign: readonly string[];
  readonly maxBody: number;
}

/** The signature of one request: the single composition of the steps shared by signer and verifier. */
export function requestSignature(parts: SignedRequestParts): string {
  const data = dataToSign({
    method: parts.method,
    host: parts.host,
    target: parts.target,
    canonicalHeaders: canonicalHeaders({ headers: parts.headers, headersToSign: parts.headersToSign }),
    contentHash: contentHash({
      method: parts.method,
      ...(parts.body === undefined ? {} : { body: parts.body }),
      maxBody: parts.maxBody,
    }),
    unsignedPart: parts.unsignedPart,
  });
  return signature({ clientSecret: parts.clientSecret, timestamp: parts.timestamp, dataToSign: data });
}
