/** An answer that was not 2xx, as the page needs it: what to say, and where to say it. */
export interface Problem {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** On console requests, the request body's field the error is about (`namespacePermissions.ns`). */
  readonly field: string | null;
  readonly errorCode: string | null;
}

const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);

/** Any error body (problem+json, the data plane's JSON, text, nothing) as a Problem. */
export function problemOf(status: number, body: unknown): Problem {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const title = text(record.title) ?? `HTTP ${status}`;
  const detail = text(record.detail) ?? text(record.message) ?? text(body) ?? title;
  return {
    status,
    title,
    detail,
    field: text(record.field),
    errorCode: text(record.errorCode),
  };
}

/** A guess for answers that name no field: a pattern of the detail, and the field it points at. */
export type FieldHint = readonly [pattern: RegExp, field: string];

/**
 * Which of a form's fields an error belongs beside: the one the server named, or the closest
 * enclosing one (`namespacePermissions.ns.0` → `namespacePermissions.ns` → `namespacePermissions`),
 * else the first hint that matches the detail; null when it belongs to the whole form.
 */
export function fieldOf(
  problem: Problem,
  fields: readonly string[],
  hints: readonly FieldHint[] = [],
): string | null {
  if (problem.field !== null) {
    const parts = problem.field.split(".");
    for (let length = parts.length; length > 0; length--) {
      const candidate = parts.slice(0, length).join(".");
      if (fields.includes(candidate)) return candidate;
    }
  }
  for (const [pattern, field] of hints) {
    if (pattern.test(problem.detail) && fields.includes(field)) return field;
  }
  return null;
}
