import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Credentials } from "../support/harness.ts";

export type Json = Record<string, unknown>;
/** docs/examples/seed.json, which the documentation shows. */
export const EXAMPLE = readFileSync(
  join(import.meta.dirname, "..", "..", "docs", "examples", "seed.json"),
  "utf8",
);
/** The example parsed afresh, for a test to change. */
export const example = () => JSON.parse(EXAMPLE) as { accounts: Json[] };

/** The object at `path` in a parsed seed (a fixture: it is there). */
export function at(value: unknown, ...path: Array<string | number>): Json {
  let current = value;
  for (const key of path) current = (current as Record<string | number, unknown>)[key];
  if (typeof current !== "object" || current === null) throw new Error(`No object at ${path.join(".")}`);
  return current as Json;
}

/** The credentials of the example's client `c` of account `a`. */
export const clientOf = (seed: unknown, a: number, c = 0): Credentials => {
  const client = at(seed, "accounts", a, "clients", c);
  return {
    clientToken: String(client.clientToken),
    clientSecret: String(client.clientSecret),
    accessToken: String(client.accessToken),
  };
};
