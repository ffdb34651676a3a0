import type { z } from "zod";

/** zod, handed to the functions that build schemas. */
export type Zod = typeof z;

/**
 * What a setting's value may be: a schema that takes the raw value (a string from a flag or an
 * environment variable, or an already typed value from code or a default), and the same rule in
 * words for error messages, help and the README.
 *
 * The schema is built from the zod it is given, not from an import: declaring the settings (which
 * every CLI start does, for `serve --help`) then does not load zod; only parsing them does.
 */
export interface Kind<T> {
  readonly schema: (zod: Zod) => z.ZodType<T>;
  /** Completes "must be …". */
  readonly rule: string;
  readonly choices?: readonly string[];
}

const PLAIN_DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;

// Only plain decimals become numbers: Number() would also turn "", "0x10" and "1e3" into numbers,
// and an empty EDGEKV_PORT silently meaning port 0 is the kind of surprise a setting must not have.
const toNumber = (value: unknown): unknown =>
  typeof value === "string" && PLAIN_DECIMAL.test(value.trim()) ? Number(value) : value;

const range = (min: number, max: number | undefined) =>
  max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;

export const integer = (min: number, max?: number): Kind<number> => ({
  schema: (z) =>
    z.preprocess(
      toNumber,
      max === undefined ? z.number().int().min(min) : z.number().int().min(min).max(max),
    ),
  rule: `an integer ${range(min, max)}`,
});

export const decimal = (min: number, max: number): Kind<number> => ({
  schema: (z) => z.preprocess(toNumber, z.number().min(min).max(max)),
  rule: `a number ${range(min, max)}`,
});

export const text = (): Kind<string> => ({ schema: (z) => z.string().min(1), rule: "non-empty" });

/** Any string, the empty one included: for a secret whose owner decides what an empty value means. */
export const anyText = (): Kind<string> => ({ schema: (z) => z.string(), rule: "text" });

export const choice = <const T extends readonly [string, ...string[]]>(values: T): Kind<T[number]> => ({
  schema: (z) => z.enum(values),
  rule: `one of ${values.join(", ")}`,
  choices: values,
});

/** `true`/`false` from the environment; a boolean from a flag (`--no-tls`) or code. */
export const boolean = (): Kind<boolean> => ({
  schema: (z) =>
    z.preprocess((value) => (value === "true" ? true : value === "false" ? false : value), z.boolean()),
  rule: "true or false",
});
