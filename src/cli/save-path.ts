import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { basename, dirname, resolve } from "node:path";
import { systemClock } from "../clock.ts";
import {
  type SavedTokensFile,
  saveTokensFile,
  type TokenForFile,
  TokensFileError,
} from "../tokens-file/index.ts";
import { type TokenJson, tokenPermissions } from "./token-view.ts";
import { UserError } from "./user-error.ts";

const TOKENS_FILE_NAME = "edgekv_tokens.js";
const BUNDLE = /\.(tgz|tar\.gz)$/;
const READ_WRITE = constants.R_OK | constants.W_OK;

/** Writes the token into edgekv_tokens.js at the path the user gave. */
export interface TokenSaver {
  readonly path: string;
  save(token: TokenJson): Promise<SavedTokensFile>;
}

async function usable(path: string, mode: number): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * Like the official CLI, the path is checked before the token is created or fetched, so a typo
 * never leaves a created-but-unsaved token behind: a bundle `.tgz` or an edgekv_tokens.js that is
 * readable and writable, a writable directory, or a new edgekv_tokens.js in a writable directory.
 */
export async function checkSavePath(given: string): Promise<string> {
  const path = resolve(given);
  const problem = (why: string) => new UserError(`Cannot use --save_path ${given}: ${why}.`);
  const info = await stat(path).catch(() => null);
  if (info?.isDirectory() === true) {
    if (!(await usable(path, READ_WRITE | constants.X_OK))) throw problem("the directory is not writable");
    return path;
  }
  if (!BUNDLE.test(given) && basename(path) !== TOKENS_FILE_NAME) {
    throw problem(
      info === null
        ? "no such directory; give an existing directory, a path ending in edgekv_tokens.js, or a .tgz bundle"
        : "give a directory, a path ending in edgekv_tokens.js, or a .tgz bundle",
    );
  }
  if (info === null) {
    if (BUNDLE.test(given)) throw problem("the bundle does not exist; build it first");
    const parent = await stat(dirname(path)).catch(() => null);
    if (parent?.isDirectory() !== true) throw problem(`the directory ${dirname(given)} does not exist`);
    if (!(await usable(dirname(path), constants.W_OK | constants.X_OK))) {
      throw problem(`the directory ${dirname(given)} is not writable`);
    }
    return path;
  }
  if (!info.isFile()) throw problem("it is not a regular file");
  if (!(await usable(path, READ_WRITE))) throw problem("the file is not readable and writable");
  return path;
}

/** The token as the edgekv_tokens.js writer takes it: a reference (enhanced) or a JWT value (legacy). */
function forFile(token: TokenJson): TokenForFile {
  const namespacePermissions = tokenPermissions(token);
  if (Object.keys(namespacePermissions).length === 0 || token.uuid === undefined) {
    throw new UserError(
      `The server's answer for token ${token.name} names no namespaces or no uuid, so it cannot go into ${TOKENS_FILE_NAME}.`,
    );
  }
  return typeof token.value === "string"
    ? { name: token.name, uuid: token.uuid, kind: "legacy", credential: token.value, namespacePermissions }
    : { name: token.name, uuid: token.uuid, kind: "enhanced", credential: "", namespacePermissions };
}

/** Checks --save_path before any request; the returned saver writes after the token is known. */
export async function prepareSave(
  savePath: string | undefined,
  overwrite: boolean,
): Promise<TokenSaver | null> {
  if (savePath === undefined) return null;
  const path = await checkSavePath(savePath);
  return {
    path,
    save: async (token) => {
      try {
        return await saveTokensFile({ path, token: forFile(token), overwrite, now: systemClock.now() });
      } catch (error) {
        if (error instanceof TokensFileError) throw new UserError(error.message);
        throw error;
      }
    },
  };
}
