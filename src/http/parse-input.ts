import type { z } from "zod";
import { ApiError, type ErrorCode } from "../errors.ts";
import type { BodySpec, RawContent } from "./route.ts";
import { parseStrictJson } from "./strict-json.ts";

type Issue = z.core.$ZodRawIssue;

const fieldOf = (issue: { path?: readonly PropertyKey[] | undefined }): string =>
  (issue.path ?? []).map(String).join(".");

/**
 * Messages for the issues a schema leaves to zod's defaults: they name the field, so a reader knows
 * what to fix. Schemas that need Akamai's exact wording set their own messages, which win.
 */
function defaultMessage(issue: Issue): string {
  const field = fieldOf(issue) || "The request body";
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? `${field} is required.` : `${field} must be a ${issue.expected}.`;
    case "invalid_value":
      return `${field} must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}.`;
    case "too_small":
      return `${field} must be at least ${String(issue.minimum)}${issue.origin === "string" ? " characters long" : ""}.`;
    case "too_big":
      return `${field} must be at most ${String(issue.maximum)}${issue.origin === "string" ? " characters long" : ""}.`;
    case "invalid_format":
      return `${field} is not in the expected format${"pattern" in issue && typeof issue.pattern === "string" ? ` (${issue.pattern})` : ""}.`;
    case "unrecognized_keys":
      return `${field} has unknown fields: ${issue.keys.join(", ")}.`;
    default:
      return `${field} is not valid.`;
  }
}

/**
 * Parses one part of a request (params, query, JSON body) or throws `code` naming the first problem;
 * for a body, the error also names the field (its dotted path) when the problem is in one.
 */
export function parsePart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code: ErrorCode,
  { isBody = false }: { isBody?: boolean } = {},
): z.output<S> {
  const result = schema.safeParse(value, { error: defaultMessage });
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue === undefined || !isBody ? "" : fieldOf(issue);
    throw new ApiError(
      code,
      issue?.message ?? "The request is not valid.",
      {},
      field === "" ? {} : { field },
    );
  }
  return result.data;
}

/** The body as the route declares it: strict JSON through its schema, or raw bytes. */
export function readBody(
  spec: BodySpec | undefined,
  bytes: Buffer,
  contentType: string | undefined,
  code: ErrorCode,
): unknown {
  if (spec === undefined) return undefined;
  if (spec.kind === "raw") return { bytes, contentType } satisfies RawContent;
  if (spec.optional && bytes.length === 0) return undefined;
  return parsePart(spec.schema, parseStrictJson(bytes), code, { isBody: true });
}
