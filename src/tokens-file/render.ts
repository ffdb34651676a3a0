import type { TokenFileEntries, TokenFileEntry } from "./entries.ts";

const HEADER = "var edgekv_access_tokens = {\n";
const FOOTER = "}\nexport { edgekv_access_tokens };\n";

/**
 * The canonical file. Keys and strings are JSON-quoted and nothing else contains `=`, because
 * Akamai's CLI reads the file back by splitting on `=` and `JSON.parse`-ing the object literal.
 * Keys are sorted so that the same entries always render the same text.
 */
export function renderTokensFile(entries: TokenFileEntries): string {
  const lines = Object.entries(entries)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, entry]) => `  ${JSON.stringify(key)}: ${renderEntry(entry)}`);
  return HEADER + (lines.length > 0 ? `${lines.join(",\n")}\n` : "") + FOOTER;
}

function renderEntry(entry: TokenFileEntry): string {
  const [field, credential] = "reference" in entry ? ["reference", entry.reference] : ["value", entry.value];
  return `{ "name": ${JSON.stringify(entry.name)}, ${JSON.stringify(field)}: ${JSON.stringify(credential)} }`;
}
