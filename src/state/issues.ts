import type { z } from "zod";

/** `accounts[0].clients[1].clientSecret`, `namespacePermissions["my-ns"]`: how a reader finds the field. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(part))) text += text === "" ? String(part) : `.${String(part)}`;
    else text += `[${JSON.stringify(String(part))}]`;
  }
  return text;
}

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

/**
 * Messages, without the field's name, for what a schema leaves to zod's defaults; the path is put in
 * front of them by `firstProblem`. Schemas set their own where a rule needs explaining.
 */
function defaultMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "is required" : `must be ${article(issue.expected)}`;
    case "invalid_value":
      return `must be ${issue.values.map((value) => JSON.stringify(value)).join(" or ")}`;
    case "too_small":
      return issue.origin === "array"
        ? `must hold at least ${String(issue.minimum)} entries`
        : `must be at least ${String(issue.minimum)}${issue.origin === "string" ? " characters long" : ""}`;
    case "too_big":
      return issue.origin === "array"
        ? `must hold at most ${String(issue.maximum)} entries`
        : `must be at most ${String(issue.maximum)}${issue.origin === "string" ? " characters long" : ""}`;
    case "unrecognized_keys":
      return "is not a known field (a typo?)";
    default:
      return "is not valid";
  }
}

export type Parsed<T> = { ok: true; data: T } | { ok: false; problem: string };

/**
 * Parses `value` and, when it is wrong, describes its first problem as `<path>: <what is wrong>`
 * (an unknown field's path ends with that field). `what` names the whole document when the problem
 * is the document itself.
 */
export function firstProblem<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): Parsed<z.output<S>> {
  const result = schema.safeParse(value, { error: defaultMessage });
  if (result.success) return { ok: true, data: result.data };
  const issue = result.error.issues[0];
  if (issue === undefined) return { ok: false, problem: `${what} is not valid` };
  const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0] ?? ""] : issue.path;
  return { ok: false, problem: `${path.length === 0 ? what : formatPath(path)}: ${issue.message}` };
}
