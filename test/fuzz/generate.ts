import type { SeededRandom } from "../edgegrid/seeded-random.ts";
import { createAuthPlans, type PlannedAuth } from "./auth-plans.ts";
import { createHints } from "./hints.ts";
import { CONTENT_TYPES, itemValue, JUNK_SEGMENTS, junkSegment, mutateJson } from "./mutations.ts";
import { methodsOn, OPERATIONS, type Operation } from "./operations.ts";
import { valueFor } from "./schema-values.ts";
import type { FuzzRequest } from "./wire.ts";
import { REFERENCE_HEADER, type World } from "./world.ts";

const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"];
const OVER_BODY_LIMIT = 1024 * 1024 + 1;

/**
 * Paths no operation has: near misses of real ones, and plain junk; and paths that are a real one
 * only once percent-decoded (`%74okens`), as the router reads them.
 */
const STRAY_PATHS = [
  "/",
  "/edgekv",
  "/edgekv/v1",
  "/edgekv/v1/",
  "/edgekv/v1/nope",
  "/edgekv/v1/tokens/",
  "/edgekv/v1/tokens//fz-enhanced",
  "/edgekv/v1/tokens/fz-enhanced/",
  "/edgekv/v1/tokens/fz-enhanced/refresh/more",
  "/edgekv/v1/networks/staging/namespaces/",
  "/edgekv/v1/networks/staging/namespaces/default/groups/",
  "/edgekv/v1/networks/staging/namespaces/default/groups/g/items",
  "/edgekv/v1/networks/staging/namespaces/default/groups/g/items/",
  "/_edgekv",
  "/_edgekv/v1/",
  "/_edgekv/v1/tokens/",
  "/_edgekv/healthz",
  "/.well-known/",
  "/.well-known/jwks.json/x",
  "/api/v1/namespaces/default",
  "/api/v1/namespaces/default/groups/g/items/",
  "/api/v1/namespaces/default/groups/g/items/k/extra",
  "/net/staging/api/v1/namespaces/default/groups/g/items",
  "/net//api/v1/namespaces/default/groups/g/items/k",
  "/ew/42/net/staging/api/v1/namespaces/default/groups/g/items/k",
  "//edgekv/v1/tokens",
  "/%2e%2e/edgekv/v1/tokens",
  "/%65dgekv/v1/nope",
  "/edgekv/v1/%74okens",
  "/_%65dgekv/v1/nope",
  "/EDGEKV/V1/TOKENS",
  "/edgekv/v1/tokens%2Ffz-enhanced",
];

/** A request; the operation it was made for (none for stray paths and wrong methods); whether EdgeGrid must refuse it. */
export interface Generated {
  readonly request: FuzzRequest;
  readonly operationId: string | undefined;
  readonly refused: boolean;
}

export interface Generator {
  next(): Generated;
  /** The status of the last request, so names it created or deleted count as such from now on. */
  answered(status: number): void;
}

/** Requests for every operation of the document, mostly near-valid, from one seeded PRNG. */
export function createGenerator(random: SeededRandom, world: World): Generator {
  const hints = createHints(random, world);
  const edgeGridAuth = createAuthPlans(random, world);
  const references = [...world.edge.usual, ...world.edge.odd].flatMap((headers) =>
    REFERENCE_HEADER in headers ? [String(headers[REFERENCE_HEADER])] : [],
  );

  /** The path with its parameters chosen (one of them junk a fifth of the time). */
  function pathOf(operation: Operation): { url: string; values: Record<string, string> } {
    const values: Record<string, string> = {};
    const hint = hints.for(operation, "path", values);
    for (const parameter of operation.pathParams) {
      const hinted = hint(parameter.name);
      values[parameter.name] = String(
        hinted === undefined ? valueFor(random, parameter.schema, hint) : hinted(),
      );
    }
    const junk =
      operation.pathParams.length > 0 && random.chance(0.2)
        ? random.pick(operation.pathParams).name
        : undefined;
    const url = operation.template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
      const valid = values[name] ?? "x";
      return name === junk ? junkSegment(random, valid) : valid;
    });
    return { url, values };
  }

  function queryOf(operation: Operation, path: Record<string, string>): string {
    const hint = hints.for(operation, "query", path);
    const pairs: Array<[string, string]> = [];
    for (const parameter of operation.queryParams) {
      if (!random.chance(0.35)) continue;
      const hinted = hint(parameter.name);
      const valid = hinted === undefined ? valueFor(random, parameter.schema, hint) : hinted();
      const value = random.chance(0.8) ? String(valid) : random.pick(JUNK_SEGMENTS);
      pairs.push([parameter.name, value]);
      // The same key twice: the query parser makes an array of it.
      if (random.chance(0.1)) pairs.push([parameter.name, value]);
    }
    if (operation.auth === "edgegrid" && random.chance(0.06)) {
      pairs.push(["accountSwitchKey", random.pick(world.accounts)]);
    }
    if (random.chance(0.05))
      pairs.push([random.pick(["unknown", "__proto__", "constructor", "a[b]", ""]), "1"]);
    if (pairs.length === 0) return random.chance(0.03) ? random.pick(["?", "?&&", "?=", "?%zz", "?a=%"]) : "";
    return `?${pairs.map(([key, value]) => `${key}=${value}`).join("&")}`;
  }

  /** The body and its Content-Type: valid from the schema, mutated, raw bytes, or none. */
  function bodyOf(
    operation: Operation,
    path: Record<string, string>,
  ): { body?: Buffer; contentType?: string | readonly string[] } {
    const types = Object.keys(operation.body);
    const oddType = () => random.pick(CONTENT_TYPES);
    if (types.length === 0) {
      if (!random.chance(0.06)) return {};
      // Fastify reads a body sent with any method but GET and HEAD, whether the route wants one or not.
      const body = random.chance(0.3)
        ? Buffer.alloc(OVER_BODY_LIMIT, 0x20)
        : Buffer.from(random.pick(["{}", "x", "a".repeat(2000)]));
      return { body, contentType: oddType() };
    }
    const jsonSchema = operation.body["application/json"];
    if (types.includes("text/plain") || jsonSchema === undefined) {
      const type = random.chance(0.8) ? random.pick([...types, "text/plain"]) : oddType();
      const body = random.chance(0.7) ? Buffer.from(random.string("abc xyz", 0, 30)) : itemValue(random);
      return random.chance(0.05) ? { contentType: type } : { body, contentType: type };
    }
    const valid = valueFor(random, jsonSchema, hints.for(operation, "body", path));
    const object = typeof valid === "object" && valid !== null && !Array.isArray(valid) ? valid : {};
    const contentType = random.chance(0.9) ? "application/json" : oddType();
    if (random.chance(0.01)) return { body: Buffer.alloc(OVER_BODY_LIMIT, 0x20), contentType };
    if (random.chance(0.04)) return { contentType };
    const body = random.chance(0.55)
      ? Buffer.from(JSON.stringify(object))
      : mutateJson(random, object as Record<string, unknown>);
    return { body, contentType };
  }

  function headersOf(operation: Operation, contentType: string | readonly string[] | undefined) {
    const headers: Record<string, string | readonly string[]> = {};
    if (contentType !== undefined) headers["content-type"] = contentType;
    if (operation.auth === "token" || random.chance(0.03)) {
      Object.assign(headers, random.pick(random.chance(0.7) ? world.edge.usual : world.edge.odd));
      if (random.chance(0.05)) headers[REFERENCE_HEADER] = [random.pick(references), random.pick(references)];
    }
    if (random.chance(0.1)) {
      const [name, value] = random.pick<[string, string | readonly string[]]>([
        ["accept", "application/xml"],
        ["accept", "*/*;q=0"],
        ["x-trace-id", "client-chosen"],
        ["x-forwarded-for", "not-an-ip, 999.1.1.1"],
        ["x-http-method-override", "DELETE"],
        ["content-encoding", "gzip"],
        ["transfer-encoding", "identity"],
        ["x-long", "v".repeat(8000)],
        ["x-many", ["a", "b", "c"]],
        ["x-unicode", "é"],
      ]);
      headers[name] = value;
    }
    return headers;
  }

  /** A method no operation on this path has, so the request meets the 405 handler. */
  function wrongMethod(template: string): string | undefined {
    const declared = methodsOn(template);
    const wrong = METHODS.filter(
      (method) => !declared.includes(method) && !(method === "HEAD" && declared.includes("GET")),
    );
    return wrong.length > 0 ? random.pick(wrong) : undefined;
  }

  /** Mostly the operation's own method; sometimes HEAD for a GET, or a method the path does not have. */
  function methodFor(operation: Operation): string {
    if (random.chance(0.06)) return wrongMethod(operation.template) ?? operation.method;
    return operation.method === "GET" && random.chance(0.04) ? "HEAD" : operation.method;
  }

  function stray(): Generated {
    const auth: PlannedAuth = random.chance(0.7) ? edgeGridAuth() : { plan: { kind: "none" }, refused: true };
    const request: FuzzRequest = {
      method: random.pick(METHODS),
      url: `${random.pick(STRAY_PATHS)}${random.chance(0.3) ? "?x=1" : ""}`,
      headers: headersOf(random.pick(OPERATIONS), undefined),
      auth: auth.plan,
    };
    return { request, operationId: undefined, refused: auth.refused };
  }

  return {
    answered: (status) => hints.settle(status),
    next(): Generated {
      if (random.chance(0.04)) return stray();
      const operation = random.pick(OPERATIONS);
      const method = methodFor(operation);
      const path = pathOf(operation);
      const query = queryOf(operation, path.values);
      const { body, contentType } = bodyOf(operation, path.values);
      const auth: PlannedAuth =
        operation.auth === "edgegrid" || random.chance(0.05)
          ? edgeGridAuth()
          : { plan: { kind: "none" }, refused: true };
      const request: FuzzRequest = {
        method,
        url: `${path.url}${query}`,
        headers: headersOf(operation, contentType),
        ...(body === undefined ? {} : { body }),
        auth: auth.plan,
      };
      return {
        request,
        operationId: method === operation.method ? operation.operationId : undefined,
        refused: auth.refused,
      };
    },
  };
}
