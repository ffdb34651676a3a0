import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { TokenFileEntry, TokenForFile } from "../../src/tokens-file/index.ts";

export const UUID = "fa3a7ae0-5a3c-4c8e-9d6e-f0638c6b7466";
export const OTHER_UUID = "0b7f3c1e-2d4a-5f6b-8c9d-0e1f2a3b4c5d";
export const JWT =
  "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJuYW1lc3BhY2UtZGVmYXVsdCI6WyJyIl19.c2lnbmF0dXJlLWJ5dGVz";

export function enhancedToken(overrides: Partial<TokenForFile> = {}): TokenForFile {
  return {
    name: "my_token",
    uuid: UUID,
    kind: "enhanced",
    credential: JWT,
    namespacePermissions: { default: ["r", "w"] },
    ...overrides,
  };
}

export function legacyToken(overrides: Partial<TokenForFile> = {}): TokenForFile {
  return enhancedToken({ name: "legacy_token", kind: "legacy", ...overrides });
}

export type ImportedTokens = Record<string, { name?: string; reference?: string; value?: string }>;

/** Loads the file the way an EdgeWorker bundle does: as an ES module (copied to `.mjs`). */
export async function importTokensModule(file: string): Promise<ImportedTokens> {
  const dir = await mkdtemp(join(tmpdir(), "edgekv-tokens-import-"));
  try {
    const copy = join(dir, "edgekv_tokens.mjs");
    await copyFile(file, copy);
    const module: { edgekv_access_tokens: ImportedTokens } = await import(pathToFileURL(copy).href);
    return module.edgekv_access_tokens;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Akamai's CLI reader, step for step (`validateAndGetExistingTokenContent` in cli-edgeworkers'
 * `ekv-helper.ts`): split on `=`, check the `var` and the export, drop the export, JSON.parse.
 */
export function akamaiCliRead(data: string): unknown {
  const parts = data.split("=");
  const head = parts[0] ?? "";
  if (head.indexOf("var edgekv_access_tokens") === -1) throw new Error("missing var assignment");
  const tail = (parts[1] ?? "")
    .replace("}export", "} export")
    .replace("export{", "export {")
    .replace("{edgekv_access_tokens", "{ edgekv_access_tokens")
    .replace("edgekv_access_tokens}", "edgekv_access_tokens }");
  if (tail.indexOf("export { edgekv_access_tokens };") === -1) throw new Error("missing export");
  return JSON.parse(tail.replace("export { edgekv_access_tokens };", ""));
}

/** Akamai's CLI writer (`constructTokenFile`), with the field name it uses for the entry. */
export function akamaiCliWrite(entries: Record<string, TokenFileEntry>): string {
  const body = Object.entries(entries).map(([key, entry]) => {
    const [field, credential] =
      "reference" in entry ? ["reference", entry.reference] : ["value", entry.value];
    return `\n"${key}" : { \n"name": "${entry.name}",\n"${field}" : "${credential}"\n}`;
  });
  return `var edgekv_access_tokens = {${body.toString()}\n}\nexport { edgekv_access_tokens };`;
}
