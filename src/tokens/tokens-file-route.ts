import type { FastifyInstance } from "fastify";
import { callerOf } from "../http/authenticate.ts";
import { route } from "../http/routing.ts";
import { renderTokensFile, tokenFileEntries } from "../tokens-file/index.ts";
import type { TokenService } from "./token-service.ts";

/** `GET /_edgekv/v1/tokens/{tokenName}/edgekv_tokens.js`: the token's entries as a ready file. */
export function registerTokensFileRoute(app: FastifyInstance, { tokens }: { tokens: TokenService }) {
  route(app, "/tokens/:tokenName/edgekv_tokens.js", {
    GET: async (request, reply) => {
      const token = await tokens.get(callerOf(request), (request.params as { tokenName: string }).tokenName);
      return reply
        .type("text/javascript; charset=utf-8")
        .header("Content-Disposition", 'attachment; filename="edgekv_tokens.js"')
        .send(renderTokensFile(tokenFileEntries(token)));
    },
  });
}
