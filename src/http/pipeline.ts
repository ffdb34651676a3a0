import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { ApiError, type ErrorCode } from "../errors.ts";
import { parsePart, readBody } from "./parse-input.ts";
import {
  type AnyRoute,
  type AuthScheme,
  type IncomingRequest,
  JsonText,
  type MatchedParams,
  type RequestHead,
} from "./route.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The declared route a router entry runs; absent on the 405 and not-found entries. */
    declaredRoute?: AnyRoute;
  }
}

/** Unknown paths below `prefix` are answered only after `scheme` has authenticated the request. */
export interface GatedPrefix {
  readonly prefix: string;
  readonly scheme: AuthScheme<unknown>;
}

const ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"] as const;

/** `/tokens/{tokenName}` → `/tokens/:tokenName`, the router's syntax. */
export const routerPath = (template: string): string => template.replace(/\{([^}]+)\}/g, ":$1");

const NO_BODY = Buffer.alloc(0);

/** What Fastify sends a serialised object as. */
const JSON_TYPE = "application/json; charset=utf-8";

/**
 * What the pipeline learnt about a request, made once per request: its head (authentication, the
 * pipeline and observers all read it), the caller, and for observers until the response is sent,
 * the accepted body and what went wrong.
 */
interface Trail {
  incoming?: IncomingRequest;
  /** Whether a scheme that needs no body authenticated before the body was read, and whom it found. */
  early: boolean;
  earlyCaller?: unknown;
  /** The caller once a route's pipeline has authenticated (what observers are told). */
  caller?: unknown;
  body?: unknown;
  error?: unknown;
}

const trails = new WeakMap<FastifyRequest, Trail>();

function trailOf(request: FastifyRequest): Trail {
  const known = trails.get(request);
  if (known !== undefined) return known;
  const trail: Trail = { early: false };
  trails.set(request, trail);
  return trail;
}

/** The request as authentication and handlers see it: its head, and its body once read. */
export function incomingOf(request: FastifyRequest): IncomingRequest {
  const trail = trailOf(request);
  const body = Buffer.isBuffer(request.body) ? request.body : NO_BODY;
  if (trail.incoming === undefined) {
    trail.incoming = {
      method: request.method,
      target: request.raw.url ?? "/",
      headers: request.headers,
      rawHeaders: request.raw.rawHeaders,
      query: (request.query ?? {}) as Record<string, unknown>,
      body,
    };
  } else if (trail.incoming.body !== body) {
    trail.incoming = { ...trail.incoming, body };
  }
  return trail.incoming;
}

/**
 * Runs before the body is read (an onRequest hook): a scheme that needs no body authenticates now,
 * one that does screens, so a request nobody could have signed never has its body buffered.
 */
const beforeBody = (scheme: AuthScheme<unknown>) => async (request: FastifyRequest) => {
  const head = incomingOf(request);
  if (scheme.needsBody) {
    await scheme.screen?.(head);
    return;
  }
  const caller = await scheme.authenticate(head);
  const trail = trailOf(request);
  trail.earlyCaller = caller;
  trail.early = true;
};

/** The caller, once the body is there. */
function callerOf(scheme: AuthScheme<unknown>, request: FastifyRequest): Promise<unknown> {
  const trail = trailOf(request);
  return !scheme.needsBody && trail.early
    ? Promise.resolve(trail.earlyCaller)
    : scheme.authenticate(incomingOf(request));
}

/** Parsed path parameters or queries remembered per route, at most this many distinct ones... */
const MEMO_LIMIT = 256;
/** ...each no longer than this (names and values, as a key): a few kilobytes a route at worst. */
const MEMO_KEY_LIMIT = 512;

/**
 * `parsePart` for path parameters or a query, remembering what it accepted: the schemas are pure, and
 * a server answers the same few paths over and over (one item, one token), so their checks run once
 * per distinct value instead of on every request. Only short, flat string values are remembered
 * (anything else is parsed every time), refusals never, and an answer is frozen so no handler can
 * change it.
 */
export function memoised(schema: z.ZodType, code: ErrorCode | undefined) {
  const accepted = new Map<string, unknown>();
  return (raw: Readonly<Record<string, unknown>>): unknown => {
    let key = "";
    for (const name in raw) {
      const value = raw[name];
      if (typeof value !== "string") return parsePart(schema, raw, code ?? "validation");
      key += `${name.length}:${name}${value.length}:${value}`;
    }
    const known = accepted.get(key);
    if (known !== undefined) return known;
    if (key.length > MEMO_KEY_LIMIT) return parsePart(schema, raw, code ?? "validation");
    const parsed = Object.freeze(parsePart(schema, raw, code ?? "validation"));
    if (accepted.size >= MEMO_LIMIT) accepted.clear();
    accepted.set(key, parsed);
    return parsed;
  };
}

/**
 * Runs one route: authenticate → path parameters → access (it may depend on them, e.g. the
 * network) → query → body → handler → the declared response. Every failure is an ApiError
 * rendered by the one error handler.
 */
function pipelineOf(route: AnyRoute, trailingParam: string | undefined) {
  const invalid = route.invalid ?? {};
  const parseParams = route.params === undefined ? undefined : memoised(route.params, invalid.params);
  const parseQuery = route.query === undefined ? undefined : memoised(route.query, invalid.query);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const incoming = incomingOf(request);
    const caller = await callerOf(route.auth, request);
    const trail = trailOf(request);
    trail.caller = caller;
    // `/namespaces/` is the namespace list with a trailing slash, not a namespace named "": like every
    // other trailing slash it names no resource.
    if (trailingParam !== undefined && (request.params as Record<string, string>)[trailingParam] === "") {
      throw new ApiError("route_not_found", `No resource at ${request.method} ${incoming.target}.`);
    }
    const params = parseParams === undefined ? {} : parseParams(request.params as Record<string, unknown>);
    route.access?.check(caller, params);
    const query = parseQuery === undefined ? {} : parseQuery(incoming.query);
    const body = readBody(
      route.body,
      incoming.body,
      request.headers["content-type"],
      invalid.body ?? "validation",
    );
    trail.body = body;
    const result = await route.handler({ caller, params, query, body, head: incoming });
    if (result.caller !== undefined) trail.caller = result.caller;
    const spec = route.responses[result.status];
    if (spec === undefined) {
      throw new Error(`${route.operationId} answered ${result.status}, a status it does not declare.`);
    }
    reply.code(result.status);
    if (result.headers !== undefined) reply.headers(result.headers);
    if (result.body instanceof JsonText) return reply.type(JSON_TYPE).send(result.body.text);
    if (spec.kind === "text") reply.type(spec.mediaType);
    else if (spec.kind === "bytes")
      reply.type(result.type ?? spec.mediaTypes[0] ?? "application/octet-stream");
    return reply.send(result.body);
  };
}

/**
 * The routes `of` authenticates, served again below `prefix` and authenticated by `scheme` instead:
 * the same method, path, schemas, access checks, handler and audit, so a twin cannot drift from the
 * route it copies. (The web console calls the admin API this way, with its session for a signature.)
 */
export function twinsOf(
  routes: readonly AnyRoute[],
  {
    of,
    scheme,
    prefix,
    except = [],
  }: {
    of: AuthScheme<unknown>;
    scheme: AuthScheme<unknown>;
    prefix: string;
    /** Routes (by operationId) that have no twin. */
    except?: readonly string[];
  },
): AnyRoute[] {
  return routes
    .filter((route) => route.auth === of && !except.includes(route.operationId))
    .map((route) => ({ ...route, path: `${prefix}${route.path}`, auth: scheme }));
}

const notAllowed = (request: FastifyRequest, allow: string) =>
  new ApiError("method_not_allowed", `Method ${request.method} is not allowed here; use ${allow}.`, {
    Allow: allow,
  });

/**
 * Registers every route, and for each path a 405 (with `Allow`) for the other methods, so that a
 * wrong method is answered in the contract's format rather than as an unknown path.
 */
export function registerRoutes(app: FastifyInstance, routes: readonly AnyRoute[]): void {
  const byPath = new Map<string, AnyRoute[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route]);
  for (const [path, onPath] of byPath) {
    const url = routerPath(path);
    const last = /^(.*)\/\{([^}]+)\}$/.exec(path);
    const trailingParam = last?.[1] !== undefined && byPath.has(last[1]) ? last[2] : undefined;
    for (const route of onPath) {
      app.route({
        method: route.method,
        url,
        config: { declaredRoute: route },
        onRequest: beforeBody(route.auth),
        handler: pipelineOf(route, trailingParam),
      });
    }
    const methods: string[] = onPath.map((route) => route.method);
    if (methods.includes("GET")) methods.push("HEAD");
    const allow = methods.join(", ");
    const gate = onPath.every((route) => route.auth.beforeRouting) ? onPath[0]?.auth : undefined;
    app.route({
      method: ALL_METHODS.filter((method) => !methods.includes(method)),
      url,
      ...(gate === undefined ? {} : { onRequest: beforeBody(gate) }),
      handler: async (request) => {
        if (gate !== undefined) await callerOf(gate, request);
        throw notAllowed(request, allow);
      },
    });
  }
}

/** 404 for every unknown path; below a gated prefix only after authentication. */
/** The path as the router matches it: percent-decoded (`/%65dgekv/v1` is `/edgekv/v1`). */
function routedPath(target: string): string {
  const path = target.split("?")[0] ?? "/";
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function registerNotFound(app: FastifyInstance, gated: readonly GatedPrefix[]): void {
  const gateOf = (request: FastifyRequest) => {
    const path = routedPath(request.raw.url ?? "/");
    return gated.find(({ prefix }) => path.startsWith(prefix));
  };
  app.addHook("onRequest", (request, _reply, done) => {
    const gate = request.is404 ? gateOf(request) : undefined;
    if (gate === undefined) done();
    else beforeBody(gate.scheme)(request).then(() => done(), done);
  });
  app.setNotFoundHandler(async (request) => {
    const gate = gateOf(request);
    if (gate !== undefined) await callerOf(gate.scheme, request);
    throw new ApiError("route_not_found", `No resource at ${request.method} ${request.raw.url ?? "/"}.`);
  });
}

/** What became of a request, as an observer sees it once the response has been sent. */
export interface Settled {
  readonly head: RequestHead;
  readonly traceId: string;
  readonly status: number;
  /** The declared route the request reached; undefined for unknown paths and other methods. */
  readonly route: AnyRoute | undefined;
  readonly params: MatchedParams;
  /** Who authentication found; undefined when it refused or never ran. */
  readonly caller: unknown;
  /** The body once the route's schema accepted it. */
  readonly body: unknown;
  /** What was thrown instead of the route's answer, if anything was. */
  readonly error: unknown;
  readonly log: FastifyBaseLogger;
}

/**
 * Calls `observer` after each response has been sent (an audit trail, say), so it never delays an
 * answer; whatever it throws is logged, never sent.
 */
export function observeSettled(app: FastifyInstance, observer: (settled: Settled) => void): void {
  app.addHook("onError", (request, _reply, error, done) => {
    trailOf(request).error = error;
    done();
  });
  app.addHook("onResponse", (request, reply, done) => {
    const trail = trailOf(request);
    try {
      observer({
        head: incomingOf(request),
        traceId: String(request.id),
        status: reply.statusCode,
        route: request.routeOptions.config.declaredRoute,
        params: (request.params ?? {}) as MatchedParams,
        caller: trail.caller,
        body: trail.body,
        error: trail.error,
        log: request.log,
      });
    } catch (error) {
      request.log.error({ err: error }, "an observer of answered requests failed");
    }
    done();
  });
}
