import type { Stats } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { writeAtomically } from "../fs/atomic-write.ts";
import { TOKENS_FILE_NAME, updateBundle } from "./bundle.ts";
import type { TokenForFile } from "./entries.ts";
import { TokensFileError } from "./errors.ts";
import { type TokensFileChanges, updateTokensFile } from "./update.ts";

export interface SaveTokensFileInput {
  /** A `.tgz` bundle, a directory, or a path ending in `edgekv_tokens.js`. */
  readonly path: string;
  readonly token: TokenForFile;
  readonly overwrite: boolean;
  /** Modification time for `edgekv_tokens.js` inside a bundle. */
  readonly now: Date;
}

export interface SavedTokensFile extends TokensFileChanges {
  /** The file that was updated: the bundle, or the `edgekv_tokens.js`. */
  readonly file: string;
}

type Target = { readonly kind: "bundle" | "script"; readonly file: string };

const WHERE = `pass an existing directory, a path ending in ${TOKENS_FILE_NAME}, or a .tgz bundle`;

/** Writes the token's entries where `path` says; nothing is written when nothing changes. */
export async function saveTokensFile({
  path,
  token,
  overwrite,
  now,
}: SaveTokensFileInput): Promise<SavedTokensFile> {
  const target = await resolveTarget(path);
  const file = target.file;
  try {
    if (target.kind === "bundle") {
      const bundle = await readFile(file);
      const { bundle: updated, text: _text, ...changes } = updateBundle({ bundle, token, overwrite, now });
      if (updated !== bundle) await writeAtomically(file, updated);
      return { file, ...changes };
    }
    const existing = await readFile(file, "utf8").catch((error: unknown) => {
      if (codeOf(error) === "ENOENT") return undefined;
      throw error;
    });
    const { text, ...changes } = updateTokensFile({ existing, token, overwrite });
    if (text !== existing) await writeAtomically(file, text);
    return { file, ...changes };
  } catch (error) {
    throw explain(error, file);
  }
}

async function resolveTarget(path: string): Promise<Target> {
  const stats = await statOrError(path);
  if (/\.(tgz|tar\.gz)$/.test(path)) {
    if (stats instanceof Error) throw explain(stats, path, `build the EdgeWorker bundle first, or ${WHERE}`);
    if (!stats.isFile()) throw new TokensFileError(`${path} is not a bundle file; ${WHERE}`);
    return { kind: "bundle", file: await canonical(path) };
  }
  if (!(stats instanceof Error) && stats.isDirectory()) {
    return { kind: "script", file: await canonical(join(path, TOKENS_FILE_NAME)) };
  }
  if (basename(path) !== TOKENS_FILE_NAME) {
    if (stats instanceof Error) throw explain(stats, path, WHERE);
    throw new TokensFileError(
      `${path} is not a directory, an ${TOKENS_FILE_NAME} file or a .tgz bundle; ${WHERE}`,
    );
  }
  if (!(stats instanceof Error)) {
    if (!stats.isFile()) throw new TokensFileError(`${path} is not a regular file; ${WHERE}`);
    return { kind: "script", file: await canonical(path) };
  }
  const parent = dirname(path);
  const parentStats = await statOrError(parent);
  if (parentStats instanceof Error) {
    throw explain(parentStats, parent, `create the directory first, or ${WHERE}`);
  }
  if (!parentStats.isDirectory()) throw new TokensFileError(`${parent} is not a directory; ${WHERE}`);
  return { kind: "script", file: resolve(path) };
}

/** Symbolic links are followed, so the rename replaces their target rather than the link. */
function canonical(path: string): Promise<string> {
  return realpath(path).catch(() => resolve(path));
}

function statOrError(path: string): Promise<Stats | Error> {
  return stat(path).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
}

/** File-system failures become messages that say what went wrong and what to do about it. */
function explain(error: unknown, path: string, advice?: string): Error {
  if (error instanceof TokensFileError) {
    return new TokensFileError(`${path}: ${error.message}`, { ...lineOf(error), cause: error });
  }
  const reason = REASONS[codeOf(error) ?? ""];
  if (reason === undefined) return error instanceof Error ? error : new Error(String(error));
  const [what, fix] = reason;
  return new TokensFileError(`${path}: ${what}; ${advice ?? fix}`, { cause: error });
}

const REASONS: Readonly<Record<string, readonly [string, string]>> = {
  ENOENT: ["no such file or directory", WHERE],
  ENOTDIR: ["a part of the path is not a directory", WHERE],
  EISDIR: ["is a directory", WHERE],
  EACCES: ["permission denied", "make it readable and writable, or choose another path"],
  EPERM: ["operation not permitted", "make it readable and writable, or choose another path"],
  EROFS: ["read-only file system", "choose a path on a writable file system"],
  ENOSPC: ["no space left on the device", "free some space and retry"],
};

function lineOf(error: TokensFileError): { line?: number } {
  return error.line === undefined ? {} : { line: error.line };
}

function codeOf(error: unknown): string | undefined {
  return error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
}
