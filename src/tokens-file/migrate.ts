import {
  NAMESPACE_KEY_PREFIX,
  namespaceKey,
  sameEntry,
  type TokenFileEntries,
  type TokenFileEntry,
} from "./entries.ts";
import { TokensFileError } from "./errors.ts";

const NAMESPACE_NAME = /^[A-Za-z0-9_-]{1,32}$/;

export interface Migration {
  readonly entries: TokenFileEntries;
  /** The bare keys that were moved under `namespace-<key>`, as they were written. */
  readonly migrated: string[];
}

/**
 * Akamai's CLI writes enhanced-token entries under the bare namespace name, where `edgekv.js`
 * never looks. Such a key (one that is a valid namespace name) is read as `namespace-<key>`.
 */
export function migrateBareKeys(entries: TokenFileEntries): Migration {
  const result = new Map<string, TokenFileEntry>();
  const bare: [string, TokenFileEntry][] = [];
  for (const [key, entry] of Object.entries(entries)) {
    if (!key.startsWith(NAMESPACE_KEY_PREFIX) && NAMESPACE_NAME.test(key)) bare.push([key, entry]);
    else result.set(key, entry);
  }
  const migrated: string[] = [];
  for (const [key, entry] of bare) {
    const target = namespaceKey(key);
    const prefixed = result.get(target);
    if (prefixed !== undefined && !sameEntry(prefixed, entry)) {
      throw new TokensFileError(
        `${JSON.stringify(key)} (token ${JSON.stringify(entry.name)}) and ${JSON.stringify(target)} ` +
          `(token ${JSON.stringify(prefixed.name)}) both name a token for namespace ${key}; ` +
          `edgekv.js reads only ${JSON.stringify(target)}, so delete the ${JSON.stringify(key)} entry`,
      );
    }
    result.set(target, entry);
    migrated.push(key);
  }
  return { entries: Object.fromEntries(result), migrated };
}
