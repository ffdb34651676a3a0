import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SECRET_KEY_BYTES, SecretKeyError } from "./secret-box.ts";

/**
 * The key that seals secrets at rest: `EDGEKV_SECRET_KEY` (base64 of 32 bytes) when given,
 * else `<data-dir>/secret.key`, created on first use with mode 0600.
 */
export async function loadSecretKey({
  dataDir,
  fromEnv,
}: {
  dataDir: string;
  fromEnv: string | undefined;
}): Promise<{ key: Buffer; source: string; created: boolean }> {
  if (fromEnv !== undefined && fromEnv !== "") {
    const key = Buffer.from(fromEnv, "base64");
    if (key.length !== SECRET_KEY_BYTES) {
      throw new SecretKeyError(
        `EDGEKV_SECRET_KEY must be base64 of ${SECRET_KEY_BYTES} bytes (got ${key.length}); ` +
          "make one with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\"",
      );
    }
    return { key, source: "EDGEKV_SECRET_KEY", created: false };
  }
  const path = join(dataDir, "secret.key");
  const existing = await readKeyFile(path);
  if (existing !== null) return { key: existing, source: path, created: false };
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(SECRET_KEY_BYTES);
  const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, `${key.toString("base64")}\n`, { mode: 0o600 });
  try {
    // link() fails when the file exists, so two processes starting at once agree on one key.
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const winner = await readKeyFile(path);
    if (winner === null) throw error;
    return { key: winner, source: path, created: false };
  } finally {
    await unlink(temporary);
  }
  return { key, source: path, created: true };
}

async function readKeyFile(path: string): Promise<Buffer | null> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  const key = Buffer.from(text.trim(), "base64");
  if (key.length !== SECRET_KEY_BYTES) {
    throw new SecretKeyError(
      `${path} does not hold base64 of ${SECRET_KEY_BYTES} bytes; restore it from a backup.`,
    );
  }
  return key;
}
