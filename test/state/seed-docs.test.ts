import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSeedFile } from "../../src/state/seed-parse.ts";
import { seedSchema } from "../../src/state/seed-schema.ts";

const DOCS = join(import.meta.dirname, "..", "..", "docs");
const guide = readFileSync(join(DOCS, "seed-format.md"), "utf8");

/** Every field name of an object schema and of the objects inside it. */
function fieldNames(schema: unknown): string[] {
  if (typeof schema !== "object" || schema === null) return [];
  const node = schema as Record<string, unknown>;
  const own = Object.keys((node.properties as Record<string, unknown> | undefined) ?? {});
  return [
    ...own,
    ...Object.values(node).flatMap((value) => (typeof value === "object" ? fieldNames(value) : [])),
  ];
}

describe("docs/seed-format.md", () => {
  it("shows docs/examples/seed.json as its complete example", () => {
    const block = /## The format\n\n```json\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(block).toBe(readFileSync(join(DOCS, "examples", "seed.json"), "utf8"));
  });

  it("describes every field of the format", () => {
    const fields = new Set(fieldNames(seedSchema.toJSONSchema({ io: "input" })));
    expect(fields.size).toBeGreaterThan(30);
    for (const field of fields) expect(guide, field).toContain(`\`${field}\``);
  });

  it("has a YAML example that says the same as the JSON one", async () => {
    expect(await readSeedFile(join(DOCS, "examples", "seed.yaml"))).toEqual(
      await readSeedFile(join(DOCS, "examples", "seed.json")),
    );
  });
});
