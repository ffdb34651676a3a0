import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import type { AccountService } from "../accounts/account-service.ts";
import { systemClock } from "../clock.ts";
// Not ../config.ts: its parser loads zod, which these commands do not need.
import { settingOptions } from "../config/options.ts";
import type { Initializer } from "../kv/initialize.ts";
import type { Store } from "../storage/store.ts";

/** The options of commands that work on the database directly, running server or not. */
export const localStoreOptions = () => settingOptions(["dataDir", "database"]);

export async function withLocalAccounts<T>(
  options: { dataDir: string; database?: string },
  work: (deps: {
    store: Store;
    accounts: AccountService;
    initializer: Initializer;
    /** The database, as the server's log names it (a PostgreSQL password masked). */
    where: string;
  }) => Promise<T>,
): Promise<T> {
  // Loaded here, not at start-up: every other command (and `--version`) would pay for the storage
  // adapters and the account code otherwise.
  const [
    { createAccountService },
    { createSecretBox },
    { loadSecretKey },
    { createInitializer },
    { openStore, describeDatabase },
  ] = await Promise.all([
    import("../accounts/account-service.ts"),
    import("../accounts/secret-box.ts"),
    import("../accounts/secret-key-file.ts"),
    import("../kv/initialize.ts"),
    import("../storage/open-store.ts"),
  ]);
  const dataDir = resolve(options.dataDir);
  const { key } = await loadSecretKey({ dataDir, fromEnv: process.env.EDGEKV_SECRET_KEY });
  const store = await openStore({ database: options.database, dataDir, clock: systemClock });
  try {
    const accounts = createAccountService({
      store,
      secretBox: createSecretBox(key),
      clock: systemClock,
      randomBytes,
    });
    const initializer = createInitializer({ store, accounts, clock: systemClock, randomBytes });
    const where = describeDatabase({ database: options.database, dataDir });
    return await work({ store, accounts, initializer, where });
  } finally {
    await store.close();
  }
}
