import { closeSync, openSync } from "node:fs";
import { stat } from "node:fs/promises";

/**
 * Creates `path` empty with mode 0600 unless it exists. SQLite gives its -wal and -shm files the
 * mode of the database file, so the database's legacy JWTs, token references and item values stay
 * readable by their owner only.
 */
export function ensurePrivateFile(path: string): void {
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

/** Paths among `paths` that other users may read or enter, with their modes; missing paths are skipped. */
export async function openToOthers(paths: readonly string[]): Promise<Array<{ path: string; mode: number }>> {
  const found: Array<{ path: string; mode: number }> = [];
  for (const path of paths) {
    try {
      const mode = (await stat(path)).mode & 0o777;
      if ((mode & 0o077) !== 0) found.push({ path, mode });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  return found;
}
