import { Command, CommanderError } from "commander";
import { EdgeKvError, isApiError } from "../errors.ts";
import { credentialsCommand } from "./credentials.ts";
import { hoistConnectionOptions } from "./global-options.ts";
import { groupCommand } from "./group.ts";
import { itemCommand } from "./item.ts";
import { namespaceCommand } from "./namespace.ts";
import { requestCommand } from "./request.ts";
import { serveCommand } from "./serve.ts";
import { initCommand, statusCommand } from "./status.ts";
import { tokenCommand } from "./token.ts";

export function buildProgram(): Command {
  const program = new Command("edgekv")
    .description("A self-hostable EdgeKV access-token server and its command line.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Examples:
  $ edgekv serve                                    # HTTPS on 127.0.0.1:8443, data in ./.edgekv
  $ export AKAMAI_EDGERC=.edgekv/edgerc NODE_EXTRA_CA_CERTS=.edgekv/tls/cert.pem
  $ edgekv token create my_token --staging allow --production allow --ewids all --namespace default+rwd --wait
  $ edgekv token download my_token --save_path ./my-edgeworker
  $ edgekv item write production default greetings hello "Hello, world"
  $ edgekv request GET /edgekv/v1/tokens
  $ edgekv credentials create --account acme --capabilities VIEW_TOKEN,CREATE_TOKEN`,
    );
  program.addCommand(serveCommand());
  program.addCommand(credentialsCommand());
  program.addCommand(requestCommand());
  program.addCommand(tokenCommand());
  program.addCommand(namespaceCommand());
  program.addCommand(itemCommand());
  program.addCommand(groupCommand());
  program.addCommand(initCommand());
  program.addCommand(statusCommand());
  return program;
}

/** Runs the program: a user's mistake prints one line and exits 1; a bug prints its stack and exits 2. */
export async function runProgram(program: Command, argv: readonly string[]): Promise<void> {
  program.exitOverride();
  try {
    await program.parseAsync(hoistConnectionOptions(argv));
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 1;
      return;
    }
    if (error instanceof EdgeKvError || isApiError(error)) {
      process.stderr.write(`edgekv: ${(error as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      process.stderr.write(
        `edgekv: ${(error as Error).message}. Another server is using that port: pick one with --port.\n`,
      );
      process.exitCode = 1;
      return;
    }
    process.stderr.write(
      `edgekv: unexpected error (a bug; please report it)\n${(error as Error).stack ?? String(error)}\n`,
    );
    process.exitCode = 2;
  }
}

/** The `edgekv` binary: `argv` is process.argv. */
export async function main(argv: readonly string[]): Promise<void> {
  await runProgram(buildProgram(), argv);
}
