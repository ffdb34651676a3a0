import { Command, CommanderError } from "commander";
import { EdgeKvError, isApiError } from "../errors.ts";
import { VERSION } from "../version.ts";
import { auditCommand } from "./audit.ts";
import { authGroupCommand } from "./auth-group.ts";
import { clockCommand } from "./clock.ts";
import { bindCommanderToContext, everyCommand } from "./commander-context.ts";
import { consoleCommand } from "./console.ts";
import { type CliContext, processContext } from "./context.ts";
import { credentialsCommand } from "./credentials.ts";
import { databaseCommand } from "./database.ts";
import { envCommand } from "./env.ts";
import { hoistConnectionOptions } from "./global-options.ts";
import { groupCommand } from "./group.ts";
import { itemCommand } from "./item.ts";
import { namespaceCommand } from "./namespace.ts";
import { OFFICIAL_ORDER_HELP, officialOrderCommands } from "./official-order.ts";
import { requestCommand } from "./request.ts";
import { serveCommand } from "./serve.ts";
import { exportCommand, importCommand, resetCommand, seedCommand } from "./state-commands.ts";
import { initCommand, statusCommand } from "./status.ts";
import { tokenCommand } from "./token.ts";
import { QuietExit } from "./user-error.ts";

export function buildProgram(context: CliContext = processContext()): Command {
  const program = new Command("edgekv")
    .description("A self-hostable EdgeKV access-token server and its command line.")
    .version(VERSION)
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Examples:
  $ edgekv serve                                    # HTTPS on 127.0.0.1:8443, data in ./.edgekv
  $ eval "$(edgekv env)"                            # this shell's Akamai tools use that server
  $ edgekv token create my_token --staging allow --production allow --ewids all --namespace default+rwd --wait
  $ edgekv token download my_token --save_path ./my-edgeworker
  $ edgekv item write production default greetings hello "Hello, world"
  $ edgekv request GET /edgekv/v1/tokens
  $ edgekv credentials create --account acme --capabilities VIEW_TOKEN,CREATE_TOKEN
  $ edgekv console                                  # a URL that opens the web console

Without --edgerc, AKAMAI_EDGERC or AKAMAI_* credentials, commands run in a directory with a local
server's .edgekv/edgerc use it rather than ~/.edgerc; stderr always names the host.
${OFFICIAL_ORDER_HELP}`,
    );
  // `serve` runs a server and keeps to the process's own streams and environment.
  program.addCommand(serveCommand());
  program.addCommand(credentialsCommand(context));
  program.addCommand(requestCommand(context));
  program.addCommand(tokenCommand(context));
  program.addCommand(namespaceCommand(context));
  program.addCommand(itemCommand(context));
  program.addCommand(groupCommand(context));
  program.addCommand(authGroupCommand(context));
  program.addCommand(databaseCommand(context));
  program.addCommand(initCommand(context));
  program.addCommand(statusCommand(context));
  program.addCommand(envCommand(context));
  program.addCommand(clockCommand(context));
  program.addCommand(consoleCommand(context));
  // Listed in the help's text above rather than one by one beside their noun-verb twins.
  for (const command of officialOrderCommands(context)) program.addCommand(command, { hidden: true });
  program.addCommand(seedCommand(context));
  program.addCommand(resetCommand(context));
  program.addCommand(exportCommand(context));
  program.addCommand(importCommand(context));
  program.addCommand(auditCommand(context));
  bindCommanderToContext(program, context);
  return program;
}

/**
 * Runs the program and returns its exit code: a user's mistake prints one line and gives 1; a bug
 * prints its stack and gives 2. `context` must be the one the program was built with.
 */
export async function runProgram(
  program: Command,
  argv: readonly string[],
  { stderr }: Pick<CliContext, "stderr"> = processContext(),
): Promise<number> {
  // On every command: commander would otherwise call process.exit for a subcommand's usage error.
  for (const command of everyCommand(program)) command.exitOverride();
  try {
    await program.parseAsync(hoistConnectionOptions(argv));
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1;
    if (error instanceof QuietExit) return error.exitCode;
    if (error instanceof EdgeKvError || isApiError(error)) {
      stderr.write(`edgekv: ${(error as Error).message}\n`);
      return 1;
    }
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      stderr.write(
        `edgekv: ${(error as Error).message}. Another server is using that port: pick one with --port.\n`,
      );
      return 1;
    }
    stderr.write(
      `edgekv: unexpected error (a bug; please report it)\n${(error as Error).stack ?? String(error)}\n`,
    );
    return 2;
  }
}

/** The `edgekv` binary: `argv` is process.argv; the result is the process's exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const context = processContext();
  return runProgram(buildProgram(context), argv, context);
}
