/** Where randomness comes from; tests pass a seeded one. */
export type RandomBytes = (size: number) => Buffer;

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

function randomWord(randomBytes: RandomBytes, length: number): string {
  return [...randomBytes(length)].map((byte) => ALPHABET[byte % ALPHABET.length]).join("");
}

/** EdgeGrid credentials in Akamai's shapes: `akab-xxxxxxxxxxxxxxxx-xxxxxxxxxxxxxxxx` and a 44-char secret. */
export function generateCredentials(randomBytes: RandomBytes): {
  clientToken: string;
  accessToken: string;
  clientSecret: string;
} {
  const token = () => `akab-${randomWord(randomBytes, 16)}-${randomWord(randomBytes, 16)}`;
  return { clientToken: token(), accessToken: token(), clientSecret: randomBytes(32).toString("base64") };
}

/** A 7-digit EdgeKV CP code. */
export function generateCpcode(randomBytes: RandomBytes): string {
  return String(1_000_000 + (randomBytes(4).readUInt32BE(0) % 9_000_000));
}
