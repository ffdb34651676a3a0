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
