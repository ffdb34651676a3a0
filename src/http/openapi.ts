import { z } from "zod";
import { ERROR_TABLE, type ErrorCode } from "../errors.ts";
import { errorBody } from "./error-schemas.ts";
import type { AnyRoute, ResponseSpec } from "./route.ts";
import { SERVER_TIME_HEADER } from "./server-time.ts";

type Json = Record<string, unknown>;

export interface OpenApiInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

const REF_PREFIX = "#/components/schemas/";

/** What every response carries, whatever its status. */
const RESPONSE_HEADERS: Json = {
  "X-Trace-Id": { $ref: "#/components/headers/TraceId" },
  [SERVER_TIME_HEADER]: { $ref: "#/components/headers/ServerTime" },
};

/** Bytes kept as written: any JSON value under a JSON media type, any text otherwise. */
const anyBytes = (mediaType: string): Json => (mediaType.includes("json") ? {} : { type: "string" });

/** Rewrites `#/$defs/X` references to components, collecting the definitions in `into`. */
function lift(node: unknown, into: Map<string, unknown>): unknown {
  if (Array.isArray(node)) return node.map((entry) => lift(entry, into));
  if (typeof node !== "object" || node === null) return node;
  const result: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === "$schema" || key === "$defs") continue;
    result[key] =
      key === "$ref" && typeof value === "string" ? value.replace("#/$defs/", REF_PREFIX) : lift(value, into);
  }
  const defs = (node as { $defs?: Record<string, unknown> }).$defs ?? {};
  for (const [name, definition] of Object.entries(defs)) {
    const lifted = lift(definition, into);
    const known = into.get(name);
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(lifted)) {
      throw new Error(`Two different schemas are both named ${name}.`);
    }
    into.set(name, lifted);
  }
  return result;
}

/**
 * Turns declared routes into an OpenAPI 3.1 document: every path, parameter, body, response and
 * error, so the document is the route table and cannot drift from what the pipeline runs.
 */
export function buildOpenApi({ routes, info }: { routes: readonly AnyRoute[]; info: OpenApiInfo }): Json {
  const schemas = new Map<string, unknown>();
  const securitySchemes: Json = {};
  /** A request schema describes what is accepted; a response schema exactly what is sent. */
  const toJson = (schema: z.ZodType, io: "input" | "output"): Json =>
    lift(z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }), schemas) as Json;

  function parameters(route: AnyRoute): Json[] {
    const list: Json[] = [];
    const add = (where: "path" | "query", schema: z.ZodType | undefined) => {
      if (schema === undefined) return;
      const object = toJson(schema, "input") as { properties?: Record<string, Json>; required?: string[] };
      for (const [name, property] of Object.entries(object.properties ?? {})) {
        if (where === "path" && !route.path.includes(`{${name}}`)) continue;
        const { description, ...rest } = property;
        list.push({
          name,
          in: where,
          required: where === "path" || (object.required ?? []).includes(name),
          ...(typeof description === "string" ? { description } : {}),
          schema: rest,
        });
      }
    };
    add("path", route.params);
    add("query", route.query);
    return list;
  }

  function requestBody(route: AnyRoute): Json | undefined {
    const body = route.body;
    if (body === undefined) return undefined;
    if (body.kind === "raw") {
      return {
        description: body.description,
        content: Object.fromEntries(body.mediaTypes.map((type) => [type, { schema: anyBytes(type) }])),
      };
    }
    return {
      description: body.description,
      required: !body.optional,
      content: { "application/json": { schema: toJson(body.schema, "input") } },
    };
  }

  function success(spec: ResponseSpec): Json {
    const content: Json =
      spec.kind === "json"
        ? { "application/json": { schema: toJson(spec.schema, "output") } }
        : spec.kind === "text"
          ? { [spec.mediaType]: { schema: toJson(spec.schema, "output") } }
          : Object.fromEntries(spec.mediaTypes.map((type) => [type, { schema: anyBytes(type) }]));
    return {
      description: spec.description,
      headers: RESPONSE_HEADERS,
      content,
    };
  }

  /** Every error the route can answer with: its own, its scheme's, its access rule's, and parsing's. */
  function errorCodes(route: AnyRoute): Set<ErrorCode> {
    const codes = new Set<ErrorCode>([
      ...route.errors,
      ...route.auth.errors,
      ...(route.access?.errors ?? []),
    ]);
    const invalid = route.invalid ?? {};
    if (route.params !== undefined) codes.add(invalid.params ?? "validation");
    if (route.query !== undefined) codes.add(invalid.query ?? "validation");
    if (route.body?.kind === "json") {
      codes.add(invalid.body ?? "validation");
      codes.add("malformed_json");
    }
    // Any request can be refused before its route runs, by the one error mapper in EdgeKV's shape
    // whatever the route's own: two Host headers, a path that is not valid percent-encoded UTF-8 or
    // has a segment over the length limit; and with every method but GET (Fastify reads their bodies
    // whether or not the route wants one) an unreadable Content-Type or a body over the limit.
    codes.add("validation");
    if (route.method !== "GET") codes.add("payload_too_large");
    codes.add("internal");
    return codes;
  }

  function responses(route: AnyRoute): Json {
    const result: Record<string, Json> = {};
    for (const [status, spec] of Object.entries(route.responses)) {
      if (spec !== undefined) result[status] = success(spec);
    }
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of errorCodes(route)) {
      const { status } = ERROR_TABLE[code];
      byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
    }
    for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
      const byType = new Map<string, Json[]>();
      for (const code of codes) {
        const { mediaType, schema } = errorBody(ERROR_TABLE[code]);
        const ref = toJson(schema, "output");
        const known = byType.get(mediaType) ?? [];
        if (!known.some((entry) => JSON.stringify(entry) === JSON.stringify(ref)))
          byType.set(mediaType, [...known, ref]);
      }
      const existing = result[String(status)];
      const content: Json = { ...((existing?.content as Json | undefined) ?? {}) };
      for (const [mediaType, refs] of byType) {
        content[mediaType] = { schema: refs.length === 1 ? refs[0] : { oneOf: refs } };
      }
      const described = codes.map((code) => `\`${code}\``).join(", ");
      result[String(status)] = {
        description:
          existing === undefined
            ? `${ERROR_TABLE[codes[0] ?? "internal"].title}: ${described}.`
            : `${existing.description} Or an error: ${described}.`,
        headers: RESPONSE_HEADERS,
        content,
      };
    }
    return result;
  }

  const paths: Record<string, Json> = {};
  for (const route of routes) {
    Object.assign(securitySchemes, route.auth.securitySchemes);
    const requestBodySpec = requestBody(route);
    const operation: Json = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description === undefined && route.access === undefined
        ? {}
        : {
            description: [route.description, route.access && `Requires ${route.access.describe}.`]
              .filter((part) => part !== undefined)
              .join("\n\n"),
          }),
      tags: [...route.tags],
      security: route.auth.security.map((requirement) =>
        Object.fromEntries(Object.entries(requirement).map(([name, scopes]) => [name, [...scopes]])),
      ),
      parameters: parameters(route),
      ...(requestBodySpec === undefined ? {} : { requestBody: requestBodySpec }),
      responses: responses(route),
      // Which action the audit log records for every answer of this operation.
      ...(route.audit === undefined ? {} : { "x-edgekv-audit": route.audit.action }),
    };
    paths[route.path] = { ...(paths[route.path] ?? {}), [route.method.toLowerCase()]: operation };
  }

  return {
    openapi: "3.1.0",
    info,
    paths,
    components: {
      schemas: Object.fromEntries([...schemas].sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes,
      headers: {
        TraceId: {
          description:
            "The request id: also the `requestId` of an error body, and the key to the server's log.",
          schema: { type: "string", pattern: "^[0-9a-f]{16}$" },
        },
        ServerTime: {
          description:
            "The server's own time (ISO-8601): under `--clock manual`, the time the clock was moved to. " +
            "`Date` stays real time; relative dates (expired, in 12 days) are worked out from this one.",
          schema: { type: "string", format: "date-time" },
        },
      },
    },
  };
}
