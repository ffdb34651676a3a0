import { type Command, Command as CommanderCommand } from "commander";
import type { StateAdded } from "../storage/state-repository.ts";
import { addConnectionOptions, CONNECTION_EXAMPLE, type ConnectionOptions, JSON_HELP } from "./api-client.ts";
import type { CliContext } from "./context.ts";
import { describeAdded } from "./counts.ts";
import { localStoreOptions } from "./local-store.ts";
import { printJson, printText } from "./output.ts";
import { postToServer } from "./server-admin.ts";
import { UserError } from "./user-error.ts";

const DATABASE_OPTIONS = ["dataDir", "database"];
const CONNECTION_OPTIONS = ["edgerc", "section", "caCert", "accountkey"];

/**
 * A running server (connection options, or none at all) or the database itself (`--data-dir` or
 * `--database`, given on the command line or in the environment without a connection).
 */
export function seedsDatabase(command: Command): boolean {
  const from = (names: readonly string[], sources: readonly string[]) =>
    names.some((name) => sources.includes(command.getOptionValueSource(name) ?? ""));
  if (from(DATABASE_OPTIONS, ["cli"]) && from(CONNECTION_OPTIONS, ["cli"])) {
    throw new UserError(
      "Give --data-dir/--database (seed the database directly) or --edgerc/--section (seed a running server), not both.",
    );
  }
  return (
    from(DATABASE_OPTIONS, ["cli"]) ||
    (from(DATABASE_OPTIONS, ["env"]) && !from(CONNECTION_OPTIONS, ["cli", "env"]))
  );
}

interface SeedOptions extends ConnectionOptions {
  dataDir: string;
  database?: string;
}

async function seedDatabase(
  path: string,
  options: SeedOptions,
  env: NodeJS.ProcessEnv,
): Promise<{ where: string; added: StateAdded }> {
  // Loaded here, so that other commands do not pay for the server's code at start-up.
  const [
    { readSeedFile },
    { withLocalState },
    { createServices },
    { parseServeConfig },
    { systemClock },
    { recordCommandLineEvent },
  ] = await Promise.all([
    import("../state/seed-parse.ts"),
    import("./local-state.ts"),
    import("../server.ts"),
    import("../config.ts"),
    import("../clock.ts"),
    import("../audit/command-line.ts"),
  ]);
  const seed = await readSeedFile(path);
  const defaults = parseServeConfig({});
  return withLocalState(options, { env, createKey: true }, async ({ store, secretBox, where }) => {
    const services = createServices({
      store,
      secretBox,
      clock: systemClock,
      settings: defaults,
      keyRotationDays: defaults.keyRotationDays,
    });
    const added = await services.state.applySeed(seed);
    await recordCommandLineEvent(store, {
      action: "state.seed",
      target: "state",
      accountId: null,
      at: systemClock.now(),
    });
    return { where, added };
  });
}

async function seedServer(
  path: string,
  options: SeedOptions,
  context: CliContext,
): Promise<{ where: string; added: StateAdded }> {
  const { readSeedFile } = await import("../state/seed-parse.ts");
  // Checked here first: a wrong file is refused in the same words, without a round trip.
  const seed = await readSeedFile(path);
  const { host, answer } = await postToServer(options, context, { path: "/_edgekv/v1/seed", body: seed });
  return { where: host, added: (answer as { added: StateAdded }).added };
}

export function seedCommand(context: CliContext): Command {
  const command = new CommanderCommand("seed")
    .description(
      "Add what a seed file describes (accounts, API clients, namespaces, items, tokens) to a running server or a database.",
    )
    .argument("<file>", "the seed file: JSON, or YAML (.yaml/.yml); see docs/seed-format.md");
  addConnectionOptions(command);
  for (const option of localStoreOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
With --edgerc/--section (or neither) the seed goes to the running server (POST /_edgekv/v1/seed, which
takes SERVER_ADMIN); with --data-dir or --database it is written to that database directly.
What exists is left as it is, so applying a seed twice changes nothing. A wrong file is refused
whole, naming its first wrong field.

${JSON_HELP}

Examples:
  $ edgekv seed docs/examples/seed.json ${CONNECTION_EXAMPLE}
  $ edgekv seed seed.yaml --data-dir .edgekv
  $ edgekv seed seed.json --database postgres://edgekv@db.internal:5432/edgekv`,
    )
    .action(async (path: string, options: SeedOptions, self: Command) => {
      const { where, added } = seedsDatabase(self)
        ? await seedDatabase(path, options, context.env)
        : await seedServer(path, options, context);
      if (options.json) {
        printJson(context.stdout, { target: where, added });
        return;
      }
      const words = describeAdded(added);
      printText(
        context.stdout,
        words === null
          ? `Seeded ${where}: nothing to add, it holds everything ${path} describes.`
          : `Seeded ${where} from ${path}: added ${words}.`,
      );
    });
}
