import type { Caller } from "../accounts/caller.ts";
import { MAX_FIELD_LENGTH, SCHEME } from "../edgegrid/auth-header.ts";
import type { RequestHead } from "../http/route.ts";
import type { TokenCaller } from "../tokens/access-token-auth.ts";

/** Who made a request, as far as it is known. */
export interface Actor {
  readonly accountId: string | null;
  readonly clientToken: string | null;
  readonly tokenUuid: string | null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

// The pipeline hands observers its callers untyped; these tell the two schemes' callers apart.
const isClientCaller = (caller: unknown): caller is Caller =>
  isObject(caller) && isObject(caller.client) && isObject(caller.account);

const isTokenCaller = (caller: unknown): caller is TokenCaller =>
  isObject(caller) && isObject(caller.token) && isObject(caller.account);

/**
 * The client token an EdgeGrid Authorization header names, read leniently since the header may be
 * why the request was refused. Nothing else of it is kept: not the access token, nonce or signature.
 */
export function namedClientToken(head: RequestHead): string | null {
  const header = head.headers.authorization;
  if (typeof header !== "string" || !header.startsWith(`${SCHEME} `)) return null;
  for (const field of header.slice(SCHEME.length + 1).split(";")) {
    const equals = field.indexOf("=");
    if (equals < 0 || field.slice(0, equals).trim() !== "client_token") continue;
    const value = field.slice(equals + 1).trim();
    return value !== "" && value.length <= MAX_FIELD_LENGTH ? value : null;
  }
  return null;
}

/**
 * The caller authentication found, or nobody. Never the client a header merely names: a request
 * can fail before its signature is checked (a body over the limit), and anyone can name anyone.
 */
export function actorOf(caller: unknown): Actor {
  if (isClientCaller(caller)) {
    return { accountId: caller.account.id, clientToken: caller.client.clientToken, tokenUuid: null };
  }
  if (isTokenCaller(caller)) {
    return { accountId: caller.account.id, clientToken: null, tokenUuid: caller.token.uuid };
  }
  return { accountId: null, clientToken: null, tokenUuid: null };
}
