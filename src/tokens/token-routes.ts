import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Clock } from "../clock.ts";
import { ApiError } from "../errors.ts";
import { callerOf } from "../http/authenticate.ts";
import { route } from "../http/routing.ts";
import { parseStrictJson } from "../http/strict-json.ts";
import type { TokenService } from "./token-service.ts";
import { createdView, detailView, listItemView } from "./views.ts";

function includeExpired(request: FastifyRequest): boolean {
  const value = (request.query as Record<string, unknown>).includeExpired;
  if (value === undefined) return false;
  if (typeof value === "string" && /^(true|false)$/i.test(value)) return value.toLowerCase() === "true";
  throw new ApiError("validation", "includeExpired must be true or false.");
}

const tokenName = (request: FastifyRequest) => (request.params as { tokenName: string }).tokenName;

function jsonBody(request: FastifyRequest): unknown {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  return parseStrictJson(raw);
}

export function registerTokenRoutes(
  app: FastifyInstance,
  { tokens, clock }: { tokens: TokenService; clock: Clock },
) {
  route(app, "/tokens", {
    GET: async (request) => {
      const list = await tokens.list(callerOf(request), { includeExpired: includeExpired(request) });
      const now = clock.now();
      return { tokens: list.map((token) => listItemView(token, now)) };
    },
    POST: async (request) =>
      createdView(await tokens.create(callerOf(request), jsonBody(request)), clock.now()),
  });
  route(app, "/tokens/:tokenName", {
    GET: async (request) => detailView(await tokens.get(callerOf(request), tokenName(request)), clock.now()),
    DELETE: async (request) => {
      const revoked = await tokens.revoke(callerOf(request), tokenName(request));
      return { name: revoked.name, uuid: revoked.uuid };
    },
  });
  route(app, "/tokens/:tokenName/refresh", {
    POST: async (request) =>
      detailView(await tokens.refresh(callerOf(request), tokenName(request)), clock.now()),
  });
}
