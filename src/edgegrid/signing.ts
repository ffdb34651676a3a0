import { createHash, createHmac } from "node:crypto";

export const DEFAULT_MAX_BODY = 131072;

const hmac = (key: string, message: string) =>
  createHmac("sha256", key).update(message, "utf8").digest("base64");

// Timestamps have whole seconds: a busy client's requests share their signing key for a second.
const recentKeys = new Map<string, string>();

/** Step 1: the per-request key is HMAC(secret text, timestamp), base64. */
export function signingKey(clientSecret: string, timestamp: string): string {
  const id = `${timestamp}\n${clientSecret}`;
  let key = recentKeys.get(id);
  if (key === undefined) {
    key = hmac(clientSecret, timestamp);
    if (recentKeys.size >= 256) recentKeys.clear();
    recentKeys.set(id, key);
  }
  return key;
}

/** Only a non-empty POST body is hashed: base64 SHA-256 of its first `maxBody` bytes. */
export function contentHash({
  method,
  body,
  maxBody,
}: {
  method: string;
  body?: Uint8Array;
  maxBody: number;
}): string {
  if (method.toUpperCase() !== "POST" || body === undefined || body.length === 0) return "";
  return createHash("sha256").update(body.subarray(0, maxBody)).digest("base64");
}

/** `name:value` for each configured header present, in configured order, values whitespace-folded. */
export function canonicalHeaders({
  headers,
  headersToSign,
}: {
  headers: ReadonlyArray<readonly [string, string]>;
  headersToSign: readonly string[];
}): string {
  const entries: string[] = [];
  for (const name of headersToSign) {
    const lower = name.toLowerCase();
    const found = headers.find(([candidate]) => candidate.toLowerCase() === lower);
    if (found === undefined) continue;
    entries.push(`${lower}:${found[1].trim().replace(/\s+/g, " ")}`);
  }
  return entries.join("\t");
}

/** The seven TAB-joined fields that are signed. */
export function dataToSign(input: {
  method: string;
  host: string;
  target: string;
  canonicalHeaders: string;
  contentHash: string;
  unsignedPart: string;
}): string {
  return [
    input.method.toUpperCase(),
    "https",
    input.host.toLowerCase(),
    input.target === "" ? "/" : input.target,
    input.canonicalHeaders,
    input.contentHash,
    input.unsignedPart,
  ].join("\t");
}

/** Step 2: HMAC keyed by the base64 text of the signing key. */
export function signature({
  clientSecret,
  timestamp,
  dataToSign: data,
}: {
  clientSecret: string;
  timestamp: string;
  dataToSign: string;
}): string {
  return hmac(signingKey(clientSecret, timestamp), data);
}
