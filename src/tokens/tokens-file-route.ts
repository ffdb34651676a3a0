import { z } from "zod";
import type { Caller } from "../accounts/caller.ts";
import { anyCapability } from "../accounts/capabilities.ts";
import { type AuthScheme, defineRoute, text } from "../http/route.ts";
import { renderTokensFile, tokenFileEntries } from "../tokens-file/index.ts";
import { tokenNameParams } from "./token-schemas.ts";
import type { TokenService } from "./token-service.ts";

/** `GET /_edgekv/v1/tokens/{tokenName}/edgekv_tokens.js`: the token's entries as a ready file. */
export function tokensFileRoute({
  tokens,
  edgegrid,
}: {
  tokens: TokenService;
  edgegrid: AuthScheme<Caller>;
}) {
  return defineRoute({
    operationId: "downloadTokensFile",
    method: "GET",
    path: "/_edgekv/v1/tokens/{tokenName}/edgekv_tokens.js",
    summary: "Download the token as edgekv_tokens.js (edgekv-server)",
    description: "One `namespace-<ns>` entry per namespace of the token, ready for an EdgeWorker bundle.",
    tags: ["edgekv-server"],
    auth: edgegrid,
    access: anyCapability("VIEW_TOKEN", "VIEW_STAGING_TOKEN"),
    params: tokenNameParams,
    responses: {
      200: text(
        z.string().meta({ description: "`var edgekv_access_tokens = {…}` and its export." }),
        "The file.",
        "text/javascript; charset=utf-8",
      ),
    },
    errors: ["forbidden", "token_not_found", "token_expired"],
    handler: async ({ caller, params }) => {
      const token = await tokens.get(caller, params.tokenName);
      return {
        status: 200,
        body: renderTokensFile(tokenFileEntries(token)),
        headers: { "Content-Disposition": 'attachment; filename="edgekv_tokens.js"' },
      };
    },
  });
}
