import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { apiDocument } from "../../src/server.ts";

/** What a response looks like to the checker, from inject() or from a real socket. */
export interface WireResponse {
  readonly method: string;
  /** The request target, path and query. */
  readonly url: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: string;
}

type Json = Record<string, unknown>;
interface Operation {
  readonly template: string;
  readonly method: string;
  readonly operationId: string;
  /** Its path's segments; null stands for a parameter. */
  readonly segments: ReadonlyArray<string | null>;
  readonly params: number;
  readonly responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}

const documentPromise = apiDocument();
let checker: Promise<ReturnType<typeof buildChecker>> | undefined;

/** Which operation answered, and with which status family: what the wire tests have covered. */
export const seen = new Set<string>();

/** A path's segments as the router reads them: split on `/`, then each percent-decoded. */
function segmentsOf(path: string): string[] {
  return path.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      return segment;
    }
  });
}

const matches = (operation: Operation, segments: readonly string[]): boolean =>
  operation.segments.length === segments.length &&
  operation.segments.every((literal, index) => literal === null || literal === segments[index]);

function buildChecker(document: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats.default(ajv);
  ajv.addSchema(document, "openapi.json");
  const compiled = new Map<string, ValidateFunction>();
  const validator = (pointer: string): ValidateFunction => {
    let validate = compiled.get(pointer);
    if (validate === undefined) {
      validate = ajv.compile({ $ref: `openapi.json#${pointer}` });
      compiled.set(pointer, validate);
    }
    return validate;
  };
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(item)) {
      operations.push({
        template,
        method: method.toUpperCase(),
        operationId: String(operation.operationId),
        segments: template.split("/").map((segment) => (/^\{[^}]+\}$/.test(segment) ? null : segment)),
        params: (template.match(/\{/g) ?? []).length,
        responses: operation.responses as Operation["responses"],
      });
    }
  }
  // The most literal template wins: `/tokens/verify` before `/tokens/{name}`.
  operations.sort((a, b) => a.params - b.params);
  return { validator, operations };
}

const pointerOf = (...parts: string[]) =>
  `/${parts.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/")}`;

/**
 * Checks one response against the API document: its status is one the operation declares, its
 * media type is declared for that status, and its body validates against that schema. Every
 * response also carries X-Trace-Id and X-EdgeKV-Time. Throws an Error saying what differs.
 */
export async function checkAgainstDocument(response: WireResponse): Promise<void> {
  checker ??= documentPromise.then(buildChecker);
  const { validator, operations } = await checker;
  const path = response.url.split("?")[0] ?? "/";
  const where = `${response.method} ${response.url} → ${response.status}`;
  if (typeof response.headers["x-trace-id"] !== "string") throw new Error(`${where}: no X-Trace-Id header`);
  if (Number.isNaN(Date.parse(String(response.headers["x-edgekv-time"]))))
    throw new Error(`${where}: no X-EdgeKV-Time header with a time`);
  if (response.method === "HEAD") return;
  const segments = segmentsOf(path);
  const operation = operations.find(
    (candidate) => candidate.method === response.method && matches(candidate, segments),
  );
  const mediaType = String(response.headers["content-type"] ?? "");
  if (operation === undefined) {
    // No operation here: a 404 for an unknown path or a 405 for a wrong method (EdgeKV's shape), or
    // an authentication failure answered before routing (the gateway's).
    const problem = mediaType.startsWith("application/problem+json")
      ? (JSON.parse(response.body) as unknown)
      : null;
    const shapes = ["EdgeKvProblem", "GatewayProblem"].map((name) =>
      validator(pointerOf("components", "schemas", name)),
    );
    if (!shapes.some((validate) => validate(problem))) {
      throw new Error(
        `${where}: an answer outside any operation is not a problem: ${response.body.slice(0, 200)}`,
      );
    }
    return;
  }
  const declared = operation.responses[String(response.status)];
  if (declared === undefined) {
    throw new Error(`${where}: ${operation.operationId} does not declare status ${response.status}`);
  }
  const content = declared.content ?? {};
  const type =
    Object.keys(content).find((candidate) => candidate === mediaType) ??
    Object.keys(content).find((candidate) => candidate.split(";")[0] === mediaType.split(";")[0]?.trim());
  if (type === undefined) {
    throw new Error(
      `${where}: media type ${mediaType} is not declared for ${operation.operationId} (${Object.keys(content).join(", ")})`,
    );
  }
  const pointer = pointerOf(
    "paths",
    operation.template,
    operation.method.toLowerCase(),
    "responses",
    String(response.status),
    "content",
    type,
    "schema",
  );
  const body = type.includes("json") ? (JSON.parse(response.body) as unknown) : response.body;
  const validate = validator(pointer);
  if (!validate(body)) {
    throw new Error(
      `${where}: the body does not match ${operation.operationId}'s ${response.status} schema: ${JSON.stringify(validate.errors)}\n${response.body.slice(0, 500)}`,
    );
  }
  seen.add(`${operation.operationId} ${Math.floor(response.status / 100)}xx`);
}
