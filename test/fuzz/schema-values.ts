import type { SeededRandom } from "../edgegrid/seeded-random.ts";
import { resolve, type Schema } from "./operations.ts";

const NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
const DIGITS = "0123456789";

/**
 * A value the schema accepts, from a field's hint where there is one (names that exist, dates in
 * range) and otherwise from the schema alone: enums, patterns, bounds, required properties.
 * `hint(name)` returns a generator for a property or key name, or undefined; a hinted property
 * whose generator returns undefined is left out of the JSON.
 */
export function valueFor(
  random: SeededRandom,
  input: Schema,
  hint: (name: string) => (() => unknown) | undefined,
  depth = 0,
): unknown {
  const schema = resolve(input);
  const choices = schema.anyOf ?? schema.oneOf;
  if (choices !== undefined && choices.length > 0) return valueFor(random, random.pick(choices), hint, depth);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined && schema.enum.length > 0) return random.pick(schema.enum);
  const types =
    schema.type === undefined ? [] : typeof schema.type === "string" ? [schema.type] : schema.type;
  const type = types.length > 0 ? random.pick(types) : depth === 0 ? "object" : "string";
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return random.chance(0.5);
    case "integer":
    case "number": {
      const min = schema.minimum ?? 0;
      const max = Math.min(schema.maximum ?? 1000, min + 1000);
      return random.int(Math.ceil(min), Math.floor(max));
    }
    case "string":
      return stringFor(random, schema);
    case "array": {
      const items = schema.items === undefined ? {} : resolve(schema.items);
      const length = random.int(schema.minItems ?? 0, Math.min(schema.maxItems ?? 3, 3));
      // Enumerated items are drawn without repeats: permission sets refuse duplicates.
      if (items.enum !== undefined) {
        const pool = [...items.enum];
        return Array.from({ length: Math.min(length, pool.length) }, () =>
          pool.splice(random.int(0, pool.length - 1), 1).pop(),
        );
      }
      return Array.from({ length }, () => valueFor(random, items, hint, depth + 1));
    }
    default:
      return objectFor(random, schema, hint, depth);
  }
}

function objectFor(
  random: SeededRandom,
  schema: Schema,
  hint: (name: string) => (() => unknown) | undefined,
  depth: number,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    // A hinted field is always offered: its hint leaves it out by returning undefined.
    const hinted = hint(name);
    if (hinted !== undefined) result[name] = hinted();
    else if (required.has(name) || random.chance(0.7))
      result[name] = valueFor(random, property, hint, depth + 1);
  }
  const additional = schema.additionalProperties;
  if (typeof additional === "object" && schema.propertyNames !== undefined) {
    const keyHint = hint("$key");
    for (let count = random.int(1, 2); count > 0; count -= 1) {
      const key = keyHint === undefined ? stringFor(random, schema.propertyNames) : String(keyHint());
      result[key] = valueFor(random, additional, hint, depth + 1);
    }
  }
  return result;
}

/** A string for the patterns the document uses; anything else gets a short name-like string. */
function stringFor(random: SeededRandom, schema: Schema): string {
  const pattern = schema.pattern ?? "";
  const alternatives = /^\^\(([^()]+)\)\$$/.exec(pattern);
  if (alternatives?.[1] !== undefined) return random.pick(alternatives[1].split("|"));
  const digits = /^\^\\d\{(\d+),(\d+)\}\$$/.exec(pattern);
  if (digits !== undefined && digits !== null) {
    return random.string(DIGITS, Number(digits[1]), Math.min(Number(digits[2]), 6));
  }
  if (pattern.startsWith("^\\d{4}-\\d{2}-\\d{2}T")) return new Date(Date.UTC(2027, 0, 1)).toISOString();
  const min = Math.max(schema.minLength ?? 1, 1);
  const max = Math.max(min, Math.min(schema.maxLength ?? 16, 16));
  const name = random.string(NAME_CHARS, min, max);
  // The names' pattern allows a leading '-', their rule does not.
  return name.startsWith("-") ? `n${name.slice(1)}` : name;
}
