import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";

export interface JournalEntry {
  readonly clientToken: string;
  readonly nonce: string;
  readonly expiresAt: number;
}

/** A journal file is kept at least this long before it may become the previous one. */
const MIN_GENERATION_MS = 60_000;

export type NonceJournal = ReturnType<typeof openNonceJournal>;

function readEntries(path: string, now: number): { entries: JournalEntry[]; maxExpiry: number } {
  if (!existsSync(path)) return { entries: [], maxExpiry: 0 };
  const entries: JournalEntry[] = [];
  let maxExpiry = 0;
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (line === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue; // A line torn by a crash in the middle of a write.
    }
    if (!Array.isArray(parsed)) continue;
    const [expiresAt, clientToken, nonce] = parsed as unknown[];
    if (typeof expiresAt !== "number" || typeof clientToken !== "string" || typeof nonce !== "string")
      continue;
    maxExpiry = Math.max(maxExpiry, expiresAt);
    if (expiresAt > now) entries.push({ clientToken, nonce, expiresAt });
  }
  return { entries, maxExpiry };
}

/**
 * The nonces a single-process server accepted, appended to a file before each request is answered,
 * so that a restart (or a crash) does not forget them and a request signed before it cannot be
 * replayed after it. One `write(2)` per request, no fsync: it survives the process being killed,
 * as the SQLite database beside it does, not a power loss. Two generations bound the files: the
 * current one is appended to, and becomes the previous one once every nonce in the previous one
 * has expired.
 */
export function openNonceJournal({ path, now }: { path: string; now: () => number }) {
  const previousPath = `${path}.1`;
  const started = now();
  const previous = readEntries(previousPath, started);
  const current = readEntries(path, started);
  let previousMaxExpiry = previous.maxExpiry;
  let currentMaxExpiry = current.maxExpiry;
  let openedAt = started;
  let fd = openSync(path, "a", 0o600);

  function rotate(at: number): void {
    closeSync(fd);
    rmSync(previousPath, { force: true });
    renameSync(path, previousPath);
    previousMaxExpiry = currentMaxExpiry;
    currentMaxExpiry = 0;
    openedAt = at;
    fd = openSync(path, "a", 0o600);
  }

  return {
    /** The nonces still live from before this process started. */
    loaded: [...previous.entries, ...current.entries] as readonly JournalEntry[],
    append(entry: JournalEntry): void {
      const at = now();
      if (at - openedAt >= MIN_GENERATION_MS && at > previousMaxExpiry) rotate(at);
      writeSync(fd, `${JSON.stringify([entry.expiresAt, entry.clientToken, entry.nonce])}\n`);
      currentMaxExpiry = Math.max(currentMaxExpiry, entry.expiresAt);
    },
    close(): void {
      closeSync(fd);
    },
  };
}
