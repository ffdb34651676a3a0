import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { writeAtomically } from "../fs/atomic-write.ts";
import { JSON_HELP } from "./api-client.ts";
import type { CliContext } from "./context.ts";
import { localStoreOptions } from "./local-store.ts";
import { printJson, printText } from "./output.ts";
import { UserError } from "./user-error.ts";

interface DatabaseOptions {
  dataDir: string;
  database?: string;
  json?: boolean;
}

// The state modules are loaded in the actions, so that other commands do not pay for them.
const stateModules = () => Promise.all([import("../state/snapshot.ts"), import("./local-state.ts")]);

export function exportCommand(context: CliContext): Command {
  const command = new Command("export")
    .description(
      "Write the whole state of a database (accounts, clients, tokens, keys, namespaces, items, clock) as one JSON file.",
    )
    .option("--out <file>", "write the snapshot here (default: stdout)")
    .option(
      "--include-secrets",
      "client secrets and private keys in plain text, to import with another secret key",
    )
    .option("--json", "with --out, print what was exported as one JSON document");
  for (const option of localStoreOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
Works on the database directly (SQLite or PostgreSQL), running server or not, in one consistent read.
Secrets stay sealed with the data directory's secret.key (or EDGEKV_SECRET_KEY) unless --include-secrets;
such a file is as secret as the credentials in it.

${JSON_HELP}

Examples:
  $ edgekv export --out state.json
  $ edgekv export --database postgres://edgekv@db.internal:5432/edgekv --include-secrets --out state.json`,
    )
    .action(async (options: DatabaseOptions & { out?: string; includeSecrets?: boolean }) => {
      const [{ exportState, snapshotText, describeSnapshot }, { withLocalState }] = await stateModules();
      const includeSecrets = options.includeSecrets === true;
      const { snapshot, where } = await withLocalState(
        options,
        { env: context.env, createKey: false },
        async ({ store, secretBox, where }) => ({
          snapshot: await exportState({ store, secretBox }, { includeSecrets }),
          where,
        }),
      );
      const text = snapshotText(snapshot);
      const summary = `Exported ${where}: ${describeSnapshot(snapshot)}${includeSecrets ? ", secrets in plain text" : ""}.`;
      if (options.out === undefined) {
        context.stdout.write(text);
        context.stderr.write(`${summary}\n`);
        return;
      }
      await writeAtomically(options.out, text, { mode: 0o600 }).catch((error: NodeJS.ErrnoException) => {
        throw new UserError(`Cannot write ${options.out} (${error.code ?? "error"}).`);
      });
      if (options.json)
        printJson(context.stdout, { database: where, file: options.out, secrets: snapshot.secrets });
      else printText(context.stdout, `${summary.slice(0, -1)} to ${options.out}.`);
    });
}

export function importCommand(context: CliContext): Command {
  const command = new Command("import")
    .description("Replace the whole state of a database with a snapshot from edgekv export.")
    .argument("<file>", "the snapshot")
    .option("--replace", "replace a database that already holds something")
    .option("--json", "print what was imported as one JSON document");
  for (const option of localStoreOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
Works on the database directly (SQLite or PostgreSQL) in one transaction, after checking the whole file.
Sealed secrets must open with this data directory's secret.key (or EDGEKV_SECRET_KEY); plain ones (from
--include-secrets) are sealed with it. Restart servers that run on the database afterwards.

${JSON_HELP}

Examples:
  $ edgekv import state.json --database postgres://edgekv@db.internal:5432/edgekv
  $ edgekv import state.json --data-dir .edgekv --replace`,
    )
    .action(async (file: string, options: DatabaseOptions & { replace?: boolean }) => {
      const [{ describeSnapshot, importState, readSnapshot }, { withLocalState }] = await stateModules();
      const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
        throw new UserError(`Cannot read the snapshot ${file} (${error.code ?? "error"}).`);
      });
      // Checked whole before the database is opened.
      const snapshot = readSnapshot(text, file);
      const replace = options.replace === true;
      const { imported, where, keySource } = await withLocalState(
        options,
        { env: context.env, createKey: true },
        async (state) => {
          const imported = await importState(state, snapshot, { replace });
          if (imported) {
            const { recordCommandLineEvent } = await import("../audit/command-line.ts");
            await recordCommandLineEvent(state.store, {
              action: "state.import",
              target: replace ? "state (replaced)" : "state",
              accountId: null,
              at: new Date(),
            });
          }
          return { imported, where: state.where, keySource: state.keySource };
        },
      );
      if (!imported) {
        throw new UserError(
          `${where} is not empty. Give --replace to replace everything in it with ${file}.`,
        );
      }
      if (options.json) {
        printJson(context.stdout, { database: where, file, secretKey: keySource, replaced: replace });
        return;
      }
      printText(
        context.stdout,
        `Imported ${file} into ${where}: ${describeSnapshot(snapshot)}. Its secrets are sealed with ${keySource}: ` +
          "start servers on it with that key.",
      );
    });
}
