import type { TokenFileEntries, TokenFileEntry } from "./entries.ts";
import { LiteralScanner } from "./literal-scanner.ts";

const VARIABLE = "edgekv_access_tokens";
const ENTRY_FIELDS = new Set(["name", "reference", "value"]);

/**
 * Reads an `edgekv_tokens.js` without evaluating it. Accepts what people and tools write —
 * `var`/`let`/`const`, `export { edgekv_access_tokens }` or `export const …`, single or double
 * quotes, unquoted keys, trailing commas, comments — as long as every entry is
 * `{ name, reference }` or `{ name, value }` with string values. Keys are returned as written.
 */
export function parseTokensFile(text: string): TokenFileEntries {
  const scanner = new LiteralScanner(text);
  const exportedInline = scanner.tryWord("export");
  if (!(scanner.tryWord("var") || scanner.tryWord("let") || scanner.tryWord("const"))) {
    scanner.fail(`\`var ${VARIABLE} = {\``);
  }
  scanner.expectWord(VARIABLE);
  scanner.expectPunct("=");
  const entries = parseEntries(scanner);
  scanner.tryPunct(";");
  if (!exportedInline) parseExport(scanner);
  if (!scanner.atEnd()) scanner.fail("the end of the file");
  return entries;
}

function parseExport(scanner: LiteralScanner): void {
  const expected = `\`export { ${VARIABLE} };\``;
  scanner.expectWord("export", expected);
  scanner.expectPunct("{", expected);
  scanner.expectWord(VARIABLE, expected);
  scanner.tryPunct(",");
  scanner.expectPunct("}", expected);
  scanner.tryPunct(";");
}

function parseEntries(scanner: LiteralScanner): TokenFileEntries {
  const entries = new Map<string, TokenFileEntry>();
  scanner.expectPunct("{", "`{` opening the token entries");
  while (!scanner.tryPunct("}")) {
    const keyAt = scanner.position;
    const key = scanner.tryString() ?? scanner.tryIdentifier();
    if (key === null) scanner.fail('a key such as "namespace-default", or `}`');
    if (entries.has(key))
      scanner.reject(`${JSON.stringify(key)} appears twice; keep one entry per namespace`, keyAt);
    scanner.expectPunct(":", `\`:\` after ${JSON.stringify(key)}`);
    entries.set(key, parseEntry(scanner, key));
    if (!scanner.tryPunct(",")) {
      scanner.expectPunct("}", "`,` or `}` after an entry");
      break;
    }
  }
  // fromEntries defines own properties, so even a `__proto__` key stays data.
  return Object.fromEntries(entries);
}

function parseEntry(scanner: LiteralScanner, key: string): TokenFileEntry {
  const where = `the entry ${JSON.stringify(key)}`;
  const startAt = scanner.position;
  scanner.expectPunct("{", `\`{\` opening ${where}`);
  const fields = new Map<string, string>();
  while (!scanner.tryPunct("}")) {
    const fieldAt = scanner.position;
    const field = scanner.tryString() ?? scanner.tryIdentifier();
    if (field === null || !ENTRY_FIELDS.has(field)) {
      scanner.fail(`"name", "reference", "value" or \`}\` in ${where}`, fieldAt);
    }
    if (fields.has(field)) scanner.reject(`${JSON.stringify(field)} appears twice in ${where}`, fieldAt);
    scanner.expectPunct(":", `\`:\` after ${JSON.stringify(field)}`);
    const value = scanner.tryString();
    if (value === null) scanner.fail(`a quoted string for ${JSON.stringify(field)} in ${where}`);
    fields.set(field, value);
    if (!scanner.tryPunct(",")) {
      scanner.expectPunct("}", `\`,\` or \`}\` in ${where}`);
      break;
    }
  }
  const name = fields.get("name");
  const reference = fields.get("reference");
  const value = fields.get("value");
  if (name === undefined) scanner.reject(`${where} has no "name"`, startAt);
  if (reference !== undefined && value !== undefined) {
    scanner.reject(`${where} has both "reference" and "value"; expected one of them`, startAt);
  }
  if (reference !== undefined) return { name, reference };
  if (value !== undefined) return { name, value };
  return scanner.reject(`${where} has neither "reference" nor "value"; expected one of them`, startAt);
}
