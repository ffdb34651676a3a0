import {
  isReference,
  ownEntry,
  sameEntry,
  type TokenFileEntry,
  type TokenForFile,
  tokenFileEntries,
} from "./entries.ts";
import { TokensFileError } from "./errors.ts";
import { migrateBareKeys } from "./migrate.ts";
import { parseTokensFile } from "./parse.ts";
import { renderTokensFile } from "./render.ts";

/** What an update did, by entry key (`namespace-<ns>`); `migrated` holds bare keys as written. */
export interface TokensFileChanges {
  readonly added: string[];
  readonly replaced: string[];
  readonly unchanged: string[];
  readonly migrated: string[];
}

export interface TokensFileUpdate extends TokensFileChanges {
  readonly text: string;
}

export interface UpdateTokensFileInput {
  /** The current file; absent (or blank) when there is none yet. */
  readonly existing?: string | undefined;
  readonly token: TokenForFile;
  /** Replace entries that hold another token, or another credential of this one. */
  readonly overwrite: boolean;
}

/**
 * Puts the token's entries into the file and leaves other namespaces' entries alone. When nothing
 * changes, the existing text is returned as it was (comments and layout included); any change
 * re-renders the whole file in the canonical layout.
 */
export function updateTokensFile({ existing, token, overwrite }: UpdateTokensFileInput): TokensFileUpdate {
  const current = existing === undefined || existing.trim() === "" ? undefined : existing;
  const { entries, migrated } = migrateBareKeys(current === undefined ? {} : parseTokensFile(current));
  const next = new Map(Object.entries(entries));
  const added: string[] = [];
  const replaced: string[] = [];
  const unchanged: string[] = [];
  const conflicts: string[] = [];
  for (const [key, entry] of Object.entries(tokenFileEntries(token))) {
    const held = ownEntry(entries, key);
    if (held === undefined) {
      added.push(key);
      next.set(key, entry);
    } else if (sameEntry(held, entry)) {
      unchanged.push(key);
    } else if (overwrite) {
      replaced.push(key);
      next.set(key, entry);
    } else {
      conflicts.push(describeConflict(key, held, entry));
    }
  }
  if (conflicts.length > 0) {
    throw new TokensFileError(
      `${conflicts.join("; ")}; pass --overwrite to replace ${conflicts.length > 1 ? "them" : "it"}`,
    );
  }
  const changed = added.length > 0 || replaced.length > 0 || migrated.length > 0;
  const text = current !== undefined && !changed ? current : renderTokensFile(Object.fromEntries(next));
  return { text, added, replaced, unchanged, migrated };
}

function describeConflict(key: string, held: TokenFileEntry, wanted: TokenFileEntry): string {
  const holds = `${key} already holds token ${JSON.stringify(held.name)}`;
  if (held.name !== wanted.name) return holds;
  if (isReference(held) !== isReference(wanted)) {
    return `${holds} as ${isReference(held) ? "an enhanced reference" : "a legacy value"}`;
  }
  return `${holds} with a different ${isReference(held) ? "reference" : "value"}`;
}
