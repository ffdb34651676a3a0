import { access } from "node:fs/promises";
import { join, resolve } from "node:path";
import { createSecretBox, type SecretBox } from "../accounts/secret-box.ts";
import { loadSecretKey } from "../accounts/secret-key-file.ts";
import { systemClock } from "../clock.ts";
import { describeDatabase, openStore } from "../storage/open-store.ts";
import type { Store } from "../storage/store.ts";
import { UserError } from "./user-error.ts";

export interface LocalState {
  store: Store;
  secretBox: SecretBox;
  /** Where the secret key came from: EDGEKV_SECRET_KEY or the data directory's secret.key. */
  keySource: string;
  /** The database, as the server's log names it (a PostgreSQL password masked). */
  where: string;
}

/**
 * Opens the database that `--data-dir`/`--database` name, with the secret key a server on it would
 * use. Without `createKey`, a missing key is an error rather than a new key nothing was sealed with.
 */
export async function withLocalState<T>(
  options: { dataDir: string; database?: string },
  { env, createKey }: { env: NodeJS.ProcessEnv; createKey: boolean },
  work: (state: LocalState) => Promise<T>,
): Promise<T> {
  const dataDir = resolve(options.dataDir);
  const fromEnv = env.EDGEKV_SECRET_KEY;
  if (!createKey && (fromEnv === undefined || fromEnv === "")) {
    const path = join(dataDir, "secret.key");
    await access(path).catch(() => {
      throw new UserError(
        `No secret key: ${path} does not exist and EDGEKV_SECRET_KEY is not set. Give the data directory of the server that wrote this database (--data-dir), or its EDGEKV_SECRET_KEY.`,
      );
    });
  }
  const { key, source } = await loadSecretKey({ dataDir, fromEnv });
  const store = await openStore({ database: options.database, dataDir, clock: systemClock });
  try {
    return await work({
      store,
      secretBox: createSecretBox(key),
      keySource: source,
      where: describeDatabase({ database: options.database, dataDir }),
    });
  } finally {
    await store.close();
  }
}
