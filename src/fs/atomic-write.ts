import { randomUUID } from "node:crypto";
import { open, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/**
 * Writes through a temporary file in the same directory and renames it over `file`, so readers
 * see the old content or the new, never half of it. The file gets `mode` when given (exactly, not
 * narrowed by the umask); otherwise an existing file keeps its permission bits and a new one gets
 * the usual 0666 less the umask.
 */
export async function writeAtomically(
  file: string,
  data: string | Buffer,
  options: { mode?: number } = {},
): Promise<void> {
  const mode =
    options.mode ??
    (await stat(file).then(
      (stats) => stats.mode & 0o7777,
      () => undefined,
    ));
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomUUID()}.tmp`);
  try {
    const handle = await open(temp, "wx", mode ?? 0o666);
    try {
      await handle.writeFile(data);
      if (mode !== undefined) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
