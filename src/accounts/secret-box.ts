import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { EdgeKvError } from "../errors.ts";

/** Seals client secrets (and other server secrets) at rest with AES-256-GCM. */
export interface SecretBox {
  seal(plaintext: string): string;
  open(sealed: string): string;
}

const VERSION = "v1";
export const SECRET_KEY_BYTES = 32;

export class SecretKeyError extends EdgeKvError {
  override name = "SecretKeyError";
}

export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.length !== SECRET_KEY_BYTES) {
    throw new SecretKeyError(`The secret key must be ${SECRET_KEY_BYTES} bytes, got ${key.length}.`);
  }
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
    },
    open(sealed) {
      const [version, payload] = sealed.split(":");
      if (version !== VERSION || payload === undefined) {
        throw new SecretKeyError("A stored secret has an unknown format.");
      }
      const bytes = Buffer.from(payload, "base64");
      const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, 12));
      decipher.setAuthTag(bytes.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString("utf8");
      } catch {
        throw new SecretKeyError(
          "A stored secret cannot be decrypted with this secret key. The database was written with another " +
            "key: use the same data directory (secret.key) or EDGEKV_SECRET_KEY as when it was created.",
        );
      }
    },
  };
}
