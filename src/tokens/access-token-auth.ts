import type { AccountService } from "../accounts/account-service.ts";
import type { Account } from "../accounts/model.ts";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import { headerCount } from "../http/raw-headers.ts";
import type { AuthScheme, IncomingRequest } from "../http/route.ts";
import type { Store } from "../storage/store.ts";
import { checkCredential, type Presented } from "./credential-check.ts";
import type { Keyring } from "./keyring.ts";
import type { Token } from "./model.ts";

/** A data-plane caller: the token its credential stands for, and the token's account. */
export interface TokenCaller {
  readonly token: Token;
  readonly account: Account;
}

export const JWT_HEADER = "X-Akamai-EdgeDB-Auth";
export const REFERENCE_HEADER = "X-Akamai-EdgeDB-Auth-Ref";

function presented(request: IncomingRequest): Presented {
  for (const header of [JWT_HEADER, REFERENCE_HEADER]) {
    const count = headerCount(request.rawHeaders, header);
    if (count > 1)
      throw new ApiError("dp_unauthorized", `The request has ${count} ${header} headers; send one.`);
  }
  const jwt = request.headers[JWT_HEADER.toLowerCase()];
  const reference = request.headers[REFERENCE_HEADER.toLowerCase()];
  if (typeof reference === "string" && reference !== "") return { kind: "reference", uuid: reference.trim() };
  if (typeof jwt === "string" && jwt !== "") return { kind: "jwt", jwt: jwt.trim() };
  throw new ApiError(
    "dp_unauthorized",
    `No access token: send ${JWT_HEADER} (a JWT) or ${REFERENCE_HEADER} (a token reference).`,
  );
}

/**
 * What `edgekv.js` sends: a legacy token's JWT or an enhanced token's reference. Only a credential
 * in force right now passes (not revoked, not expired, activation COMPLETE, or the previous one
 * during a refresh); every other case is 401.
 */
export function createAccessTokenAuth({
  store,
  keyring,
  accounts,
  clock,
}: {
  store: Store;
  keyring: Keyring;
  accounts: AccountService;
  clock: Clock;
}): AuthScheme<TokenCaller> {
  return {
    name: "EdgeKV access token",
    securitySchemes: {
      EdgeKvTokenJwt: {
        type: "apiKey",
        in: "header",
        name: JWT_HEADER,
        description: "A legacy token's JWT (`value` in edgekv_tokens.js).",
      },
      EdgeKvTokenReference: {
        type: "apiKey",
        in: "header",
        name: REFERENCE_HEADER,
        description: "An enhanced token's reference (its uuid, `reference` in edgekv_tokens.js).",
      },
    },
    security: [{ EdgeKvTokenJwt: [] }, { EdgeKvTokenReference: [] }],
    beforeRouting: false,
    errors: ["dp_unauthorized"],
    // The token is in the headers: a request is refused or accepted before its body is read.
    needsBody: false,
    async authenticate(request) {
      const check = await checkCredential({ store, keyring }, presented(request), clock.now());
      if (!check.valid)
        throw new ApiError("dp_unauthorized", `The access token is not valid: ${check.reason}.`);
      const account = await accounts.getAccount(check.token.accountId);
      if (account === null)
        throw new ApiError("dp_unauthorized", "The access token's account no longer exists.");
      return { token: check.token, account };
    },
  };
}
