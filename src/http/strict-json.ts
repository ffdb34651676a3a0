import { ApiError } from "../errors.ts";

const MALFORMED = "The JSON request body contained a syntax error or duplicate attributes.";
const utf8 = new TextDecoder("utf-8", { fatal: true });

function malformed(): ApiError {
  return new ApiError("malformed_json", MALFORMED);
}

/**
 * JSON.parse that also refuses invalid UTF-8 and duplicate keys (JSON.parse keeps the last one
 * silently; EdgeKV answers 422). JSON.parse does the parsing; a scan over the already-valid text
 * finds duplicate keys.
 */
export function parseStrictJson(body: Uint8Array | string): unknown {
  let text: string;
  try {
    text = typeof body === "string" ? body : utf8.decode(body);
  } catch {
    throw malformed();
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw malformed();
  }
  if (hasDuplicateKeys(text)) throw malformed();
  return value;
}

interface ObjectScope {
  keys: Set<string>;
  expectingKey: boolean;
}

/** Scans syntactically valid JSON text; true when an object repeats a key (after unescaping). */
export function hasDuplicateKeys(text: string): boolean {
  const scopes: Array<ObjectScope | null> = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') {
      const end = stringEnd(text, index);
      const scope = scopes.at(-1);
      if (scope?.expectingKey) {
        const raw = text.slice(index + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(text.slice(index, end + 1)) as string) : raw;
        if (scope.keys.has(key)) return true;
        scope.keys.add(key);
        scope.expectingKey = false;
      }
      index = end + 1;
      continue;
    }
    if (char === "{") scopes.push({ keys: new Set(), expectingKey: true });
    else if (char === "[") scopes.push(null);
    else if (char === "}" || char === "]") scopes.pop();
    else if (char === ",") {
      const scope = scopes.at(-1);
      if (scope) scope.expectingKey = true;
    }
    index += 1;
  }
  return false;
}

/** Index of the closing quote of the string that opens at `start`. */
function stringEnd(text: string, start: number): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === "\\") index += 2;
    else if (char === '"') return index;
    else index += 1;
  }
  return text.length;
}
