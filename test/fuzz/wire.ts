import type { LightMyRequestResponse } from "fastify";
import { formatTimestamp, signRequest } from "../../src/edgegrid/index.ts";
import { type Credentials, type Harness, TEST_HOST } from "../support/harness.ts";

/** How a fuzzed request is authenticated: EdgeGrid-signed (maybe badly), a raw header, or not at all. */
export type AuthPlan =
  | { readonly kind: "none" }
  | { readonly kind: "raw"; readonly authorization: string }
  | {
      readonly kind: "signed";
      readonly credentials: Credentials;
      /** Seconds between the signing time and the server's clock (beyond the allowed skew: 400). */
      readonly skewSeconds: number;
      readonly nonce: string;
      /** Sent instead of the Host that was signed: the signature no longer matches. */
      readonly sentHost?: string;
    };

export interface FuzzRequest {
  readonly method: string;
  /** The target as generated; `inject()` normalises it the way a WHATWG URL does. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: Buffer;
  readonly auth: AuthPlan;
}

/**
 * The target as it reaches the server: inject() parses it as a WHATWG URL (percent-encoding
 * non-ASCII, resolving dot segments), so that is what must be signed for the signature to hold.
 */
export function wireTarget(url: string): string {
  const parsed = new URL(url.startsWith("//") ? `http://localhost${url}` : url, "http://localhost");
  return `${parsed.pathname}${parsed.search}`;
}

function authorizationOf(request: FuzzRequest, target: string, now: Date): string | undefined {
  const { auth } = request;
  if (auth.kind === "none") return undefined;
  if (auth.kind === "raw") return auth.authorization;
  return signRequest({
    credentials: auth.credentials,
    method: request.method,
    host: TEST_HOST,
    target,
    ...(request.body === undefined ? {} : { body: request.body }),
    timestamp: formatTimestamp(new Date(now.getTime() + auth.skewSeconds * 1000)),
    nonce: auth.nonce,
  });
}

/** Sends one request through inject(); the harness checks the response against the document. */
export function send(h: Harness, request: FuzzRequest): Promise<LightMyRequestResponse> {
  const target = wireTarget(request.url);
  const authorization = authorizationOf(request, target, h.clock.now());
  const sentHost = request.auth.kind === "signed" ? request.auth.sentHost : undefined;
  const headers: Record<string, string | string[]> = {
    host: sentHost ?? TEST_HOST,
    ...(authorization === undefined ? {} : { authorization }),
  };
  for (const [name, value] of Object.entries(request.headers)) {
    headers[name] = typeof value === "string" ? value : [...value];
  }
  return h.app.inject({
    method: request.method as "GET",
    url: target,
    headers,
    ...(request.body === undefined ? {} : { payload: request.body }),
  });
}

/** One line that lets a reader replay a request by hand. */
export function describeRequest(request: FuzzRequest): string {
  const auth =
    request.auth.kind === "signed"
      ? `signed by ${request.auth.credentials.clientToken.slice(0, 12)}…${request.auth.skewSeconds === 0 ? "" : ` skew ${request.auth.skewSeconds}s`}${request.auth.sentHost === undefined ? "" : ` host ${request.auth.sentHost}`}`
      : request.auth.kind === "raw"
        ? `Authorization: ${request.auth.authorization.slice(0, 40)}`
        : "unsigned";
  const body =
    request.body === undefined
      ? ""
      : ` body(${request.body.length} bytes): ${JSON.stringify(request.body.subarray(0, 160).toString("latin1"))}`;
  return `${request.method} ${wireTarget(request.url).slice(0, 300)} [${auth}] headers ${JSON.stringify(request.headers).slice(0, 300)}${body}`;
}
