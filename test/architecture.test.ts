import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "..", "src");

interface Edge {
  readonly from: string;
  readonly to: string;
  /** `import type …`, or every imported name marked `type`: erased at run time. */
  readonly typeOnly: boolean;
}

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );

const IMPORT = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;]*?)\s*from\s*["'](\.[^"']+)["']/g;
const DYNAMIC = /import\(\s*["'](\.[^"']+)["']\s*\)/g;

/** Every relative import between modules of src/, from the source text. */
function edges(): Edge[] {
  const result: Edge[] = [];
  for (const file of files(SRC)) {
    const text = readFileSync(file, "utf8");
    const from = relative(SRC, file);
    for (const match of text.matchAll(IMPORT)) {
      const [, , typeKeyword, clause = "", target = ""] = match;
      const names =
        /\{([^}]*)\}/
          .exec(clause)?.[1]
          ?.split(",")
          .map((name) => name.trim())
          .filter(Boolean) ?? [];
      const allTyped =
        names.length > 0 &&
        !/^\w/.test(clause.replace(/\{[^}]*\}/, "").trim()) &&
        names.every((name) => name.startsWith("type "));
      result.push({
        from,
        to: relative(SRC, resolve(dirname(file), target)),
        typeOnly: typeKeyword !== undefined || allTyped,
      });
    }
    for (const match of text.matchAll(DYNAMIC)) {
      result.push({ from, to: relative(SRC, resolve(dirname(file), match[1] ?? "")), typeOnly: false });
    }
  }
  return result;
}

/**
 * The layers, lowest first. A module may import from its own layer or a lower one; the only imports
 * that run upward are type-only imports of the store interface, which the domain declares it needs
 * and the storage adapters implement.
 */
const LAYERS: ReadonlyArray<readonly string[]> = [
  [
    "errors.ts",
    "clock.ts",
    "duration.ts",
    "version.ts",
    "config.ts",
    "config/",
    "data-dir.ts",
    "rules/",
    "fs/",
  ],
  ["http/", "edgegrid/", "tokens-file/"],
  ["accounts/"],
  ["kv/"],
  ["tokens/"],
  ["data-plane/", "scheduler/", "metrics/", "audit/"],
  ["storage/"],
  ["state/"],
  ["app.ts", "first-run.ts", "server.ts", "console/"],
  ["cli/"],
  ["testing/", "index.ts"],
];

const layerOf = (module: string): number => {
  const index = LAYERS.findIndex((layer) =>
    layer.some((prefix) => module === prefix || module.startsWith(prefix)),
  );
  if (index < 0) throw new Error(`${module} is in no layer: add it to LAYERS in test/architecture.test.ts`);
  return index;
};

describe("the module structure", () => {
  // package.json (the version) lies outside src/ and outside the layers.
  const all = edges().filter((edge) => !edge.to.startsWith(".."));

  it("reads the imports (the parser sees both value and type-only imports)", () => {
    expect(all.length).toBeGreaterThan(200);
    expect(all.some((edge) => edge.typeOnly)).toBe(true);
    expect(all.some((edge) => !edge.typeOnly)).toBe(true);
  });

  it("has no import circles", () => {
    const graph = new Map<string, string[]>();
    for (const { from, to } of all) graph.set(from, [...(graph.get(from) ?? []), to]);
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (module: string, path: string[]) => {
      if (state.get(module) === "done") return;
      if (state.get(module) === "visiting") {
        cycles.push([...path.slice(path.indexOf(module)), module].join(" -> "));
        return;
      }
      state.set(module, "visiting");
      for (const next of graph.get(module) ?? []) visit(next, [...path, module]);
      state.set(module, "done");
    };
    for (const module of graph.keys()) visit(module, []);
    expect(cycles).toEqual([]);
  });

  it("keeps the HTTP toolkit free of features", () => {
    const features = [
      "accounts/",
      "kv/",
      "tokens/",
      "scheduler/",
      "storage/",
      "data-plane/",
      "cli/",
      "app.ts",
      "server.ts",
    ];
    const wrong = all.filter(
      (edge) => edge.from.startsWith("http/") && features.some((feature) => edge.to.startsWith(feature)),
    );
    expect(wrong).toEqual([]);
  });

  it("imports only downward, but for type-only imports of the store interface", () => {
    const upward = all
      .filter((edge) => layerOf(edge.to) > layerOf(edge.from))
      .filter((edge) => !(edge.typeOnly && edge.to === "storage/store.ts"))
      .map((edge) => `${edge.from} -> ${edge.to}${edge.typeOnly ? " (type)" : ""}`);
    expect(upward).toEqual([]);
  });
});
