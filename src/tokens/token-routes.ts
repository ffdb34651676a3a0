import type { Caller } from "../accounts/caller.ts";
import { anyCapability } from "../accounts/capabilities.ts";
import type { Clock } from "../clock.ts";
import { type AuthScheme, defineRoute, json, jsonBody } from "../http/route.ts";
import { createListBodies } from "./list-bodies.ts";
import {
  createTokenBody,
  includeExpiredQuery,
  revokedResponse,
  tokenListResponse,
  tokenNameParams,
  tokenResponse,
} from "./token-schemas.ts";
import type { TokenService } from "./token-service.ts";
import { createdView, detailView } from "./views.ts";

const TAGS = ["Access tokens"];

/** The audit target of a token: `tokens/<name>`, or `tokens` when the name is unknown. */
const tokenTarget = (name: string | undefined) => (name === undefined ? "tokens" : `tokens/${name}`);

/** The access-token API of the seed document (§2 of the contract), under `/edgekv/v1/tokens`. */
export function tokenRoutes({
  tokens,
  clock,
  edgegrid,
}: {
  tokens: TokenService;
  clock: Clock;
  edgegrid: AuthScheme<Caller>;
}) {
  const listBody = createListBodies();
  return [
    defineRoute({
      operationId: "listTokens",
      method: "GET",
      path: "/edgekv/v1/tokens",
      summary: "List access tokens",
      description:
        "The account's live tokens, sorted by name. A client with only *_STAGING_TOKEN capabilities sees tokens not allowed on production.",
      tags: TAGS,
      auth: edgegrid,
      access: anyCapability("VIEW_TOKEN", "VIEW_STAGING_TOKEN"),
      query: includeExpiredQuery,
      responses: { 200: json(tokenListResponse, 'The tokens; `{"tokens": []}` when there are none.') },
      errors: [],
      handler: async ({ caller, query }) => {
        const list = await tokens.list(caller, { includeExpired: query.includeExpired });
        const key = `${caller.account.id}\n${caller.client.clientToken}\n${query.includeExpired}`;
        return { status: 200, body: listBody(key, list, clock.now()) };
      },
    }),
    defineRoute({
      operationId: "createToken",
      method: "POST",
      path: "/edgekv/v1/tokens",
      summary: "Create an access token",
      description:
        "Without `expiry` an enhanced token (held by reference, refreshed on a schedule, `IN_PROGRESS` until active); " +
        "with `expiry` a legacy token whose JWT `value` works at once.",
      tags: TAGS,
      auth: edgegrid,
      access: anyCapability("CREATE_TOKEN", "CREATE_STAGING_TOKEN"),
      body: jsonBody(createTokenBody, "The token's name, networks, namespaces and optional restrictions."),
      responses: { 200: json(tokenResponse, "The new token.") },
      errors: ["forbidden", "token_conflict", "not_initialized"],
      audit: { action: "token.create", target: ({ body }) => tokenTarget(body?.name) },
      handler: async ({ caller, body }) => ({
        status: 200,
        body: createdView(await tokens.create(caller, body), clock.now()),
      }),
    }),
    defineRoute({
      operationId: "getToken",
      method: "GET",
      path: "/edgekv/v1/tokens/{tokenName}",
      summary: "Retrieve an access token",
      tags: TAGS,
      auth: edgegrid,
      access: anyCapability("VIEW_TOKEN", "VIEW_STAGING_TOKEN"),
      params: tokenNameParams,
      responses: { 200: json(tokenResponse, "The token.") },
      errors: ["forbidden", "token_not_found", "token_expired"],
      handler: async ({ caller, params }) => ({
        status: 200,
        body: detailView(await tokens.get(caller, params.tokenName), clock.now()),
      }),
    }),
    defineRoute({
      operationId: "revokeToken",
      method: "DELETE",
      path: "/edgekv/v1/tokens/{tokenName}",
      summary: "Revoke an access token",
      description: "Irreversible: the data plane refuses the token from now on, and the name is free again.",
      tags: TAGS,
      auth: edgegrid,
      access: anyCapability("REVOKE_TOKEN", "REVOKE_STAGING_TOKEN"),
      params: tokenNameParams,
      responses: { 200: json(revokedResponse, "The revoked token's name and uuid.") },
      errors: ["forbidden", "token_not_found"],
      audit: { action: "token.revoke", target: ({ params }) => tokenTarget(params.tokenName) },
      handler: async ({ caller, params }) => {
        const revoked = await tokens.revoke(caller, params.tokenName);
        return { status: 200, body: { name: revoked.name, uuid: revoked.uuid } };
      },
    }),
    defineRoute({
      operationId: "refreshToken",
      method: "POST",
      path: "/edgekv/v1/tokens/{tokenName}/refresh",
      summary: "Refresh an enhanced access token",
      description:
        "Re-issues the token's credential; the previous one keeps working until the new one is active. Legacy tokens cannot be refreshed.",
      tags: TAGS,
      auth: edgegrid,
      access: anyCapability("CREATE_TOKEN", "CREATE_STAGING_TOKEN"),
      params: tokenNameParams,
      responses: {
        200: json(tokenResponse, "The refreshed token, IN_PROGRESS until its new credential is active."),
      },
      errors: ["forbidden", "token_not_found", "token_expired", "token_conflict"],
      audit: { action: "token.refresh", target: ({ params }) => tokenTarget(params.tokenName) },
      handler: async ({ caller, params }) => ({
        status: 200,
        body: detailView(await tokens.refresh(caller, params.tokenName), clock.now()),
      }),
    }),
  ];
}
