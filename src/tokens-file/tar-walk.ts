import { TokensFileError } from "./errors.ts";
import {
  BLOCK,
  hasValidChecksum,
  isPosixUstar,
  isZeroBlock,
  padded,
  readNumber,
  readText,
} from "./tar-header.ts";

/** One archive member: its extended headers (pax `x`, GNU `L`/`K`), its header and its data. */
export interface TarMember {
  /** First byte of the member, extended headers included. */
  readonly start: number;
  /** First byte after the member's padded data. */
  readonly end: number;
  readonly headerOffset: number;
  readonly dataOffset: number;
  readonly dataSize: number;
  /** The path a reader extracts to: pax `path`, GNU long name, or ustar prefix + name. */
  readonly name: string;
  readonly typeflag: string;
}

export interface TarArchive {
  readonly members: readonly TarMember[];
  /** Where the end-of-archive blocks begin (or the length, when a writer left them out). */
  readonly end: number;
}

const EXTENDED = new Set(["x", "L", "K"]);
/** Types whose header announces no data blocks, whatever the size field says. */
const NO_DATA = new Set(["1", "2", "3", "4", "5", "6"]);

/** Walks a tar archive without extracting anything; fails on anything it cannot vouch for. */
export function walkTar(tar: Buffer): TarArchive {
  const members: TarMember[] = [];
  let pos = 0;
  let pending: { start: number; path?: string; size?: number; longName?: string } | undefined;
  while (pos + BLOCK <= tar.length) {
    const header = tar.subarray(pos, pos + BLOCK);
    if (isZeroBlock(header)) {
      if (pending !== undefined) throw corrupt(pending.start, "an extended header with no member after it");
      return { members, end: pos };
    }
    if (!hasValidChecksum(header)) throw corrupt(pos, "a header with a bad checksum");
    const typeflag = readText(header, "typeflag");
    const size = readNumber(header, "size");
    if (!Number.isSafeInteger(size) || size < 0) throw corrupt(pos, "a header with an unreadable size");
    const dataOffset = pos + BLOCK;
    if (typeflag === "S" && (header[482] ?? 0) !== 0)
      throw corrupt(pos, "an old GNU sparse file, not supported");

    if (EXTENDED.has(typeflag)) {
      const data = slice(tar, dataOffset, size, pos);
      pending = { ...pending, start: pending?.start ?? pos };
      if (typeflag === "x") {
        const records = paxRecords(data, pos);
        if (records.path !== undefined) pending.path = records.path;
        if (records.size !== undefined) pending.size = records.size;
      } else if (typeflag === "L") {
        pending.longName = nulTerminated(data);
      }
      pos = dataOffset + padded(size);
      continue;
    }

    const dataSize = NO_DATA.has(typeflag) ? 0 : (pending?.size ?? size);
    slice(tar, dataOffset, dataSize, pos);
    const name = pending?.path ?? pending?.longName ?? ustarName(header);
    const end = dataOffset + padded(dataSize);
    members.push({
      start: pending?.start ?? pos,
      end,
      headerOffset: pos,
      dataOffset,
      dataSize,
      name,
      typeflag,
    });
    pending = undefined;
    pos = end;
  }
  if (pos !== tar.length || pending !== undefined) throw corrupt(pos, "a truncated archive");
  return { members, end: pos };
}

function ustarName(header: Buffer): string {
  const name = readText(header, "name");
  const prefix = isPosixUstar(header) ? readText(header, "prefix") : "";
  return prefix === "" ? name : `${prefix}/${name}`;
}

function slice(tar: Buffer, offset: number, size: number, headerOffset: number): Buffer {
  if (offset + padded(size) > tar.length)
    throw corrupt(headerOffset, "a member whose data runs past the end");
  return tar.subarray(offset, offset + size);
}

function nulTerminated(data: Buffer): string {
  const nul = data.indexOf(0);
  return data.subarray(0, nul === -1 ? data.length : nul).toString("utf8");
}

/** pax records are `<length> <key>=<value>\n`, the length counting bytes of the whole record. */
function paxRecords(data: Buffer, headerOffset: number): { path?: string; size?: number } {
  const result: { path?: string; size?: number } = {};
  let pos = 0;
  while (pos < data.length && data[pos] !== 0) {
    const space = data.indexOf(0x20, pos);
    const length = Number(data.toString("latin1", pos, space));
    if (
      space === -1 ||
      !Number.isSafeInteger(length) ||
      length <= space - pos ||
      pos + length > data.length
    ) {
      throw corrupt(headerOffset, "a malformed pax header");
    }
    const record = data.toString("utf8", space + 1, pos + length - 1);
    const equals = record.indexOf("=");
    const key = record.slice(0, equals);
    const value = record.slice(equals + 1);
    if (key === "path") result.path = value;
    if (key === "size") result.size = Number(value);
    pos += length;
  }
  if (result.size !== undefined && !(Number.isSafeInteger(result.size) && result.size >= 0)) {
    throw corrupt(headerOffset, "a pax header with an unreadable size");
  }
  return result;
}

function corrupt(offset: number, what: string): TokensFileError {
  return new TokensFileError(`the bundle is not a readable tar archive: ${what} at byte ${offset}`);
}
