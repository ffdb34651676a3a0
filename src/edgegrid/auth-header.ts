export const SCHEME = "EG1-HMAC-SHA256";

export interface ParsedAuthorization {
  readonly clientToken: string;
  readonly accessToken: string;
  readonly timestamp: string;
  readonly nonce: string;
  readonly signature: string;
  /** Everything before `signature=`, exactly as received (ends with `;`): the last signed field. */
  readonly unsignedPart: string;
}

const FIELDS = ["client_token", "access_token", "timestamp", "nonce", "signature"] as const;

/**
 * No field of a real header comes near this (tokens are 38 characters, nonces UUIDs, signatures 44);
 * anything longer is refused before it is stored anywhere, so nonces cannot be used to fill memory.
 */
export const MAX_FIELD_LENGTH = 128;
/** Five bounded fields, their names and the scheme. */
const MAX_HEADER_LENGTH = SCHEME.length + FIELDS.length * (MAX_FIELD_LENGTH + 16);

/**
 * Parses `EG1-HMAC-SHA256 client_token=…;access_token=…;timestamp=…;nonce=…;signature=…` strictly:
 * the five fields in the order every official client sends, each split at its first `=` (the
 * signature is base64 and may contain `=`), none empty or longer than MAX_FIELD_LENGTH, nothing
 * after the signature.
 */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | null {
  // A request's header is parsed before its body is read and again after: the second time is free.
  if (header !== undefined && header === lastHeader) return lastParsed;
  const parsed = parseHeader(header);
  if (header !== undefined) {
    lastHeader = header;
    lastParsed = parsed;
  }
  return parsed;
}

let lastHeader: string | undefined;
let lastParsed: ParsedAuthorization | null = null;

function parseHeader(header: string | undefined): ParsedAuthorization | null {
  if (header === undefined || header.length > MAX_HEADER_LENGTH || !header.startsWith(`${SCHEME} `))
    return null;
  const pairs = header.slice(SCHEME.length + 1).split(";");
  if (pairs.length !== FIELDS.length) return null;
  const values: string[] = [];
  for (const [index, pair] of pairs.entries()) {
    const equals = pair.indexOf("=");
    if (equals < 0 || pair.slice(0, equals) !== FIELDS[index]) return null;
    const value = pair.slice(equals + 1);
    if (value === "" || value.length > MAX_FIELD_LENGTH) return null;
    values.push(value);
  }
  const [clientToken, accessToken, timestamp, nonce, signature] = values;
  if (
    clientToken === undefined ||
    accessToken === undefined ||
    timestamp === undefined ||
    nonce === undefined ||
    signature === undefined
  ) {
    return null;
  }
  // Taken verbatim rather than rebuilt, so a client that built it differently fails as at Akamai.
  const unsignedPart = header.slice(0, header.length - `signature=${signature}`.length);
  return { clientToken, accessToken, timestamp, nonce, signature, unsignedPart };
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** `yyyyMMddTHH:mm:ss+0000` in UTC. */
export function formatTimestamp(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}+0000`
  );
}

const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2}):(\d{2}):(\d{2})\+0000$/;

// Timestamps have whole seconds: a busy server reads the same one many times in a row.
let lastTimestamp: { text: string; at: number | null } | undefined;

/** The instant of an EdgeGrid timestamp, or null when it is not one or not a real calendar date. */
export function parseTimestamp(text: string): Date | null {
  if (lastTimestamp?.text !== text) lastTimestamp = { text, at: readTimestamp(text)?.getTime() ?? null };
  return lastTimestamp.at === null ? null : new Date(lastTimestamp.at);
}

function readTimestamp(text: string): Date | null {
  const match = TIMESTAMP.exec(text);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    hour === undefined ||
    minute === undefined ||
    second === undefined
  ) {
    return null;
  }
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  // Date.UTC rolls over (Feb 30 → Mar 2, 24:00 → next day); a round trip rejects those.
  return formatTimestamp(date) === text ? date : null;
}
