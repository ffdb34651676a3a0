import { readFile } from "node:fs/promises";
import { extname } from "node:path";
import { z } from "zod";
import { ApiError, EdgeKvError } from "../errors.ts";
import { parseStrictJson } from "../http/strict-json.ts";
import { firstProblem, type Parsed } from "./issues.ts";
import { checkSeedRules } from "./seed-rules.ts";
import { type SeedDocument, seedSchema } from "./seed-schema.ts";

/** A seed file that cannot be read or is not a seed: its path and the first wrong field. */
export class SeedFileError extends EdgeKvError {
  override name = "SeedFileError";
}

export const checkSeed = (value: unknown): Parsed<SeedDocument> =>
  firstProblem(seedSchema, value, "the seed");

const failed = new WeakMap<object, string>();

/**
 * The seed as the body of `POST /_edgekv/v1/seed`: the document shows the seed's schema, and a
 * wrong body is refused with the path of its first wrong field, as a seed file is. (`catch` keeps
 * the pipeline's own messages, which name fields differently, from answering.)
 */
export const seedBody = seedSchema
  .catch((context) => {
    const checked = checkSeed(context.value);
    const marker: SeedDocument = { accounts: [] };
    failed.set(marker, checked.ok ? "the seed is not valid" : checked.problem);
    return marker;
  })
  .transform((seed, context) => {
    const problem = failed.get(seed);
    if (problem === undefined) return seed;
    context.addIssue({ code: "custom", message: problem });
    return z.NEVER;
  });

/** Parses a seed already read as a value; a wrong one is a 400 naming the field. */
export function parseSeed(value: unknown): SeedDocument {
  const checked = checkSeed(value);
  if (!checked.ok) throw new ApiError("validation", checked.problem);
  return checked.data;
}

const isYaml = (path: string) => [".yaml", ".yml"].includes(extname(path).toLowerCase());

/** YAML goes through the `yaml` package when it is installed; JSON needs nothing. */
async function parseYaml(text: string, path: string): Promise<unknown> {
  let yaml: typeof import("yaml");
  try {
    yaml = await import("yaml");
  } catch {
    throw new SeedFileError(
      `${path}: reading YAML needs the "yaml" package, which is not installed here. Install it (npm install yaml), or write the seed as JSON.`,
    );
  }
  try {
    return yaml.parse(text, { uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    throw new SeedFileError(`${path} is not YAML: ${(error as Error).message.split("\n")[0] ?? ""}`);
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    JSON.parse(text);
  } catch (error) {
    throw new SeedFileError(`${path} is not JSON: ${(error as Error).message}`);
  }
  try {
    return parseStrictJson(text);
  } catch {
    throw new SeedFileError(`${path} names a field twice in one object: give each once.`);
  }
}

/** The seed in a file (JSON, or YAML for a `.yaml`/`.yml` file), checked as far as it can be alone. */
export async function readSeedFile(path: string): Promise<SeedDocument> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SeedFileError(
      `Cannot read the seed file ${path} (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
    );
  }
  const value = isYaml(path) ? await parseYaml(text, path) : parseJson(text, path);
  const checked = checkSeed(value);
  if (!checked.ok) throw new SeedFileError(`${path}: ${checked.problem}`);
  // The rules that need no database too, so that such a mistake is found before one is opened.
  const broken = checkSeedRules(checked.data);
  if (broken !== null) throw new SeedFileError(`${path}: ${broken}`);
  return checked.data;
}
