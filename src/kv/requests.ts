import type { FastifyRequest } from "fastify";
import { ApiError } from "../errors.ts";
import { callerOf } from "../http/authenticate.ts";
import { parseStrictJson } from "../http/strict-json.ts";
import { type KvOperation, requireKvCapability } from "./kv-capabilities.ts";
import type { KvScope } from "./kv-service.ts";
import { checkNetwork } from "./names.ts";

/** The network in the path, checked, and the caller allowed to do `operation` there. */
export function kvScope(request: FastifyRequest, operation: KvOperation): KvScope {
  const network = checkNetwork((request.params as Record<string, unknown>).network);
  const { client, account } = callerOf(request);
  requireKvCapability(client, network, operation);
  return { account, network };
}

export function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

export const jsonBody = (request: FastifyRequest): unknown => parseStrictJson(rawBody(request));

/** A yes/no query parameter (absent: no); other values are refused rather than guessed. */
export function queryFlag(
  request: FastifyRequest,
  name: string,
  words: { yes: readonly string[]; no: readonly string[] },
): boolean {
  const value = (request.query as Record<string, unknown>)[name];
  if (value === undefined) return false;
  const word = typeof value === "string" ? value.toLowerCase() : "";
  if (words.yes.includes(word)) return true;
  if (words.no.includes(word)) return false;
  throw new ApiError("validation", `${name} must be ${[...words.yes, ...words.no].join(", ")}.`);
}
