/** ustar header layout (POSIX.1-1988), the subset this module reads and writes. */
export const BLOCK = 512;

export const FIELD = {
  name: [0, 100],
  mode: [100, 8],
  uid: [108, 8],
  gid: [116, 8],
  size: [124, 12],
  mtime: [136, 12],
  checksum: [148, 8],
  typeflag: [156, 1],
  magic: [257, 6],
  version: [263, 2],
  devmajor: [329, 8],
  devminor: [337, 8],
  prefix: [345, 155],
} as const satisfies Record<string, readonly [number, number]>;

type Field = keyof typeof FIELD;

/** Rounds a data length up to whole blocks. */
export function padded(length: number): number {
  return Math.ceil(length / BLOCK) * BLOCK;
}

export function readText(header: Buffer, field: Field): string {
  const [offset, length] = FIELD[field];
  const raw = header.subarray(offset, offset + length);
  const nul = raw.indexOf(0);
  return raw.subarray(0, nul === -1 ? length : nul).toString("utf8");
}

/** Octal, or GNU base-256 when the high bit of the first byte is set. */
export function readNumber(header: Buffer, field: Field): number {
  const [offset, length] = FIELD[field];
  const raw = header.subarray(offset, offset + length);
  if (((raw[0] ?? 0) & 0x80) !== 0) {
    let value = (raw[0] ?? 0) & 0x7f;
    for (const byte of raw.subarray(1)) value = value * 256 + byte;
    return value;
  }
  const digits = raw
    .toString("latin1")
    .replace(/[\0 ]+$/, "")
    .replace(/^[\0 ]+/, "");
  if (!/^[0-7]*$/.test(digits)) return Number.NaN;
  return digits === "" ? 0 : Number.parseInt(digits, 8);
}

export function writeText(header: Buffer, field: Field, value: string): void {
  const [offset, length] = FIELD[field];
  header.fill(0, offset, offset + length);
  header.write(value, offset, length, "utf8");
}

/** Zero-padded octal followed by a NUL, as ustar wants. */
export function writeNumber(header: Buffer, field: Field, value: number): void {
  const [offset, length] = FIELD[field];
  header.write(`${value.toString(8).padStart(length - 1, "0")}\0`, offset, length, "latin1");
}

export function isZeroBlock(block: Buffer): boolean {
  return block.every((byte) => byte === 0);
}

/** Historic writers summed signed bytes; accept either sum. */
export function hasValidChecksum(header: Buffer): boolean {
  const stored = readNumber(header, "checksum");
  let unsigned = 0;
  let signed = 0;
  for (const [i, byte] of header.entries()) {
    const counted = i >= 148 && i < 156 ? 0x20 : byte;
    unsigned += counted;
    signed += counted > 127 ? counted - 256 : counted;
  }
  return stored === unsigned || stored === signed;
}

export function sealChecksum(header: Buffer): void {
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148, 8, "latin1");
}

export function isPosixUstar(header: Buffer): boolean {
  return header.toString("latin1", 257, 263) === "ustar\0";
}

export interface RegularFileHeader {
  readonly name: string;
  readonly mode: number;
  readonly size: number;
  readonly mtime: Date;
}

/** A fresh header for a regular file owned by uid/gid 0, with no user or group name. */
export function regularFileHeader({ name, mode, size, mtime }: RegularFileHeader): Buffer {
  const header = Buffer.alloc(BLOCK);
  writeText(header, "name", name);
  writeNumber(header, "mode", mode);
  writeNumber(header, "uid", 0);
  writeNumber(header, "gid", 0);
  writeNumber(header, "size", size);
  writeNumber(header, "mtime", Math.floor(mtime.getTime() / 1000));
  writeText(header, "typeflag", "0");
  header.write("ustar\0", FIELD.magic[0], "latin1");
  header.write("00", FIELD.version[0], "latin1");
  writeNumber(header, "devmajor", 0);
  writeNumber(header, "devminor", 0);
  sealChecksum(header);
  return header;
}
