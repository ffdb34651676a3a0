import { z } from "zod";
import { NAME_CHARACTERS, type NameRule } from "./names.ts";

/**
 * A name under `rule` as a schema: the same checks as `nameProblem`, in the same order, so the
 * first message is the one the command line would print, and the API document shows the limits.
 * `messages` words a missing value and a value of another type (path parameters are always strings).
 */
export function nameSchema(
  rule: NameRule,
  description: string,
  messages: { required?: string; type?: string } = {},
) {
  const { length, characters, dash } = rule.messages;
  const schema = z
    .string({
      error: (issue) =>
        issue.input === undefined || issue.input === null
          ? (messages.required ?? length)
          : (messages.type ?? length),
    })
    .min(1, length)
    .max(rule.maxLength, length)
    .regex(NAME_CHARACTERS, characters);
  return (rule.mayStartWithDash ? schema : schema.refine((name) => !name.startsWith("-"), dash)).meta({
    description: rule.mayStartWithDash ? description : `${description} Must not start with '-'.`,
  });
}
