import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The subset of JSON Schema the document uses, as the fuzzer reads it. */
export interface Schema {
  readonly $ref?: string;
  readonly type?: string | readonly string[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly propertyNames?: Schema;
  readonly additionalProperties?: Schema | boolean;
  readonly items?: Schema;
  readonly minItems?: number;
  readonly maxItems?: number;
}

export interface Parameter {
  readonly name: string;
  readonly in: "path" | "query";
  readonly required: boolean;
  readonly schema: Schema;
}

export interface Operation {
  readonly operationId: string;
  readonly method: string;
  readonly template: string;
  readonly pathParams: readonly Parameter[];
  readonly queryParams: readonly Parameter[];
  /** Media type → schema; empty when the operation takes no body. */
  readonly body: Readonly<Record<string, Schema>>;
  /** What authenticates it: EdgeGrid (admin), an access token (data plane), or nothing. */
  readonly auth: "edgegrid" | "token" | "public";
  /** Status → the media types the document declares for it. */
  readonly responses: Readonly<Record<string, readonly string[]>>;
}

interface RawOperation {
  readonly operationId: string;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: { readonly content: Readonly<Record<string, { readonly schema: Schema }>> };
  readonly security?: readonly Readonly<Record<string, unknown>>[];
  readonly responses: Readonly<Record<string, { readonly content?: Readonly<Record<string, unknown>> }>>;
}

interface Document {
  readonly paths: Readonly<Record<string, Readonly<Record<string, RawOperation>>>>;
  readonly components: { readonly schemas: Readonly<Record<string, Schema>> };
}

/** The committed document (a test elsewhere keeps it equal to the generated one). */
const DOCUMENT = JSON.parse(
  readFileSync(join(import.meta.dirname, "..", "..", "docs", "openapi.json"), "utf8"),
) as Document;

function authOf(security: RawOperation["security"]): Operation["auth"] {
  const names = (security ?? []).flatMap((requirement) => Object.keys(requirement));
  if (names.includes("EdgeGrid")) return "edgegrid";
  return names.length > 0 ? "token" : "public";
}

/** Every operation of the API document: new routes are fuzzed without touching this suite. */
export const OPERATIONS: readonly Operation[] = Object.entries(DOCUMENT.paths).flatMap(([template, item]) =>
  Object.entries(item).map(([method, raw]) => {
    const parameters = raw.parameters ?? [];
    return {
      operationId: raw.operationId,
      method: method.toUpperCase(),
      template,
      pathParams: parameters.filter((parameter) => parameter.in === "path"),
      queryParams: parameters.filter((parameter) => parameter.in === "query"),
      body: Object.fromEntries(
        Object.entries(raw.requestBody?.content ?? {}).map(([type, { schema }]) => [type, schema]),
      ),
      auth: authOf(raw.security),
      responses: Object.fromEntries(
        Object.entries(raw.responses).map(([status, response]) => [
          status,
          Object.keys(response.content ?? {}),
        ]),
      ),
    };
  }),
);

/** Follows a `#/components/schemas/X` reference; other schemas come back as they are. */
export function resolve(schema: Schema): Schema {
  const name = schema.$ref?.replace("#/components/schemas/", "");
  if (name === undefined) return schema;
  const target = DOCUMENT.components.schemas[name];
  if (target === undefined) throw new Error(`The document has no schema ${name}.`);
  return resolve(target);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const patterns = new Map(
  [...new Set(OPERATIONS.map((operation) => operation.template))].map((template) => [
    template,
    new RegExp(
      `^${template
        .split(/\{[^}]+\}/)
        .map(escapeRegExp)
        .join("[^/]*")}$`,
    ),
  ]),
);

/** Whether a raw request path lies on one of the data plane's item paths. */
export function onDataPlane(path: string): boolean {
  return OPERATIONS.some(
    (operation) => operation.auth === "token" && patterns.get(operation.template)?.test(path) === true,
  );
}

/** The operation a raw request path and method reach, the most literal template first (as the document check does). */
export function operationAt(method: string, path: string): Operation | undefined {
  return OPERATIONS.filter(
    (operation) => operation.method === method && patterns.get(operation.template)?.test(path) === true,
  ).sort((a, b) => a.pathParams.length - b.pathParams.length)[0];
}

/** The methods the document declares for a template: every other one is a wrong method there. */
export function methodsOn(template: string): readonly string[] {
  return OPERATIONS.filter((operation) => operation.template === template).map(({ method }) => method);
}
