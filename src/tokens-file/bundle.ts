import { gunzipSync, gzipSync } from "node:zlib";
import type { TokenForFile } from "./entries.ts";
import { TokensFileError } from "./errors.ts";
import {
  BLOCK,
  FIELD,
  padded,
  regularFileHeader,
  sealChecksum,
  writeNumber,
  writeText,
} from "./tar-header.ts";
import { type TarArchive, type TarMember, walkTar } from "./tar-walk.ts";
import { type TokensFileChanges, updateTokensFile } from "./update.ts";

export const TOKENS_FILE_NAME = "edgekv_tokens.js";
const TOKENS_FILE_PATHS = new Set([TOKENS_FILE_NAME, `./${TOKENS_FILE_NAME}`]);
const REGULAR_FILE = new Set(["0", "", "7"]);
/** GNU tar writes archives in records of 20 blocks; readers accept any multiple of a block. */
const RECORD = 20 * BLOCK;

export interface UpdateBundleInput {
  /** The EdgeWorker bundle, a gzip-compressed tar (`.tgz`). */
  readonly bundle: Buffer;
  readonly token: TokenForFile;
  readonly overwrite: boolean;
  /** Modification time for a new or rewritten `edgekv_tokens.js`. */
  readonly now: Date;
}

export interface BundleUpdate extends TokensFileChanges {
  /** The original buffer itself when nothing changed. */
  readonly bundle: Buffer;
  readonly text: string;
}

/**
 * Adds or updates `edgekv_tokens.js` at the bundle root. Every other member — extended headers,
 * header and data blocks — is copied byte for byte, so extracting it gives identical files.
 */
export function updateBundle({ bundle, token, overwrite, now }: UpdateBundleInput): BundleUpdate {
  const tar = gunzip(bundle);
  const archive = walkTar(tar);
  const member = findTokensFile(archive);
  const existing = member === undefined ? undefined : tokensFileText(tar, member);
  const { text, ...changes } = updateTokensFile({ existing, token, overwrite });
  if (text === existing) return { bundle, text, ...changes };

  const data = Buffer.from(text, "utf8");
  const name = member?.name ?? rootName(archive);
  const header =
    member === undefined
      ? regularFileHeader({ name, mode: 0o644, size: data.length, mtime: now })
      : rewrittenHeader(tar.subarray(member.headerOffset, member.headerOffset + BLOCK), { name, data, now });
  const entry = Buffer.concat([header, data, Buffer.alloc(padded(data.length) - data.length)]);
  const parts =
    member === undefined
      ? [tar.subarray(0, archive.end), entry]
      : [tar.subarray(0, member.start), entry, tar.subarray(member.end, archive.end)];
  const body = Buffer.concat(parts);
  const archiveLength = Math.ceil((body.length + 2 * BLOCK) / RECORD) * RECORD;
  const out = Buffer.concat([body, Buffer.alloc(archiveLength - body.length)]);
  return { bundle: gzipSync(out, { level: 9 }), text, ...changes };
}

/** The bundle's `edgekv_tokens.js`, or null when it has none. */
export function readBundleTokensFile(bundle: Buffer): string | null {
  const tar = gunzip(bundle);
  const member = findTokensFile(walkTar(tar));
  return member === undefined ? null : tokensFileText(tar, member);
}

function gunzip(bundle: Buffer): Buffer {
  try {
    return gunzipSync(bundle);
  } catch (error) {
    throw new TokensFileError(
      "the bundle is not a gzip-compressed tar (.tgz); build it with `tar -czf bundle.tgz main.js bundle.json …`",
      { cause: error },
    );
  }
}

function findTokensFile(archive: TarArchive): TarMember | undefined {
  const found = archive.members.filter((member) => TOKENS_FILE_PATHS.has(member.name));
  const [member, ...others] = found;
  if (others.length > 0) {
    throw new TokensFileError(
      `the bundle holds ${TOKENS_FILE_NAME} ${found.length} times; keep one and retry`,
    );
  }
  if (member !== undefined && !REGULAR_FILE.has(member.typeflag)) {
    throw new TokensFileError(`the bundle's ${member.name} is not a regular file; replace it with one`);
  }
  return member;
}

function tokensFileText(tar: Buffer, member: TarMember): string {
  return tar.toString("utf8", member.dataOffset, member.dataOffset + member.dataSize);
}

/** Follow the bundle's own convention: `./main.js` archives get `./edgekv_tokens.js`. */
function rootName(archive: TarArchive): string {
  return archive.members[0]?.name.startsWith("./") ? `./${TOKENS_FILE_NAME}` : TOKENS_FILE_NAME;
}

/**
 * Keeps the old header's mode and ownership. Its extended headers are dropped (the name is short
 * and a pax `size` or `mtime` would contradict the new content), so the name goes into the header.
 */
function rewrittenHeader(
  old: Buffer,
  { name, data, now }: { name: string; data: Buffer; now: Date },
): Buffer {
  const header = Buffer.from(old);
  writeText(header, "name", name);
  header.fill(0, FIELD.prefix[0], FIELD.prefix[0] + FIELD.prefix[1]);
  writeNumber(header, "size", data.length);
  writeNumber(header, "mtime", Math.floor(now.getTime() / 1000));
  writeText(header, "typeflag", "0");
  sealChecksum(header);
  return header;
}
