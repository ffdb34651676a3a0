import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { Command } from "commander";
// Not ../config.ts: its parser loads zod, which printing a few lines does not need.
import { settingOptions } from "../config/options.ts";
import { credentialsFromEnv } from "../edgegrid/index.ts";
import type { CliContext } from "./context.ts";
import { DEFAULT_DATA_DIR, localCaCert, localEdgerc } from "./locate-credentials.ts";
import { printJson, printText } from "./output.ts";

/** Single-quoted for a POSIX shell: nothing inside is expanded. */
export const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

const exists = async (path: string) => (await stat(path).catch(() => null)) !== null;

/** The variables that, when all set, win over AKAMAI_EDGERC in Akamai's tools and in this CLI. */
const OVERRIDING = ["AKAMAI_HOST", "AKAMAI_CLIENT_TOKEN", "AKAMAI_CLIENT_SECRET", "AKAMAI_ACCESS_TOKEN"];

/** `eval "$(edgekv env)"`: this shell's Akamai tools talk to the local server from then on. */
export function envCommand(context: CliContext): Command {
  const command = new Command("env").description(
    "Print the shell lines that point Akamai's tools (and this CLI) at a local server's data directory.",
  );
  for (const option of settingOptions(["dataDir"])) command.addOption(option);
  return command
    .option("--json", "print the variables as one JSON object instead")
    .addHelpText(
      "after",
      `
The lines set AKAMAI_EDGERC, AKAMAI_EDGERC_SECTION and NODE_EXTRA_CA_CERTS to absolute paths, and
unset AKAMAI_HOST and the other AKAMAI_* credentials when they are set (they would win).

Examples:
  $ eval "$(edgekv env)"
  $ eval "$(edgekv env --data-dir /var/lib/edgekv)"`,
    )
    .action(async (options: { dataDir: string; json?: boolean }) => {
      const dataDir = resolve(context.cwd, options.dataDir);
      const variables = {
        AKAMAI_EDGERC: localEdgerc(dataDir),
        AKAMAI_EDGERC_SECTION: "default",
        NODE_EXTRA_CA_CERTS: localCaCert(dataDir),
      };
      const missing = [
        ...((await exists(variables.AKAMAI_EDGERC)) ? [] : [variables.AKAMAI_EDGERC]),
        ...((await exists(variables.NODE_EXTRA_CA_CERTS)) ? [] : [variables.NODE_EXTRA_CA_CERTS]),
      ];
      if (missing.length > 0) {
        context.stderr.write(
          `edgekv: ${missing.join(" and ")} ${missing.length === 1 ? "does" : "do"} not exist yet; ` +
            `\`edgekv serve --data-dir ${options.dataDir}\` writes ${missing.length === 1 ? "it" : "them"}.\n`,
        );
      }
      const previous = context.env.NODE_EXTRA_CA_CERTS ?? "";
      if (previous !== "" && resolve(context.cwd, previous) !== variables.NODE_EXTRA_CA_CERTS) {
        // Node takes one file there: the shell's other Node tools stop trusting what it named.
        context.stderr.write(
          `edgekv: NODE_EXTRA_CA_CERTS was ${previous}; these lines make it the server's certificate alone.\n`,
        );
      }
      if (options.json === true) {
        printJson(context.stdout, variables);
        return;
      }
      const unset =
        credentialsFromEnv(context.env, "default") === null ? [] : [`unset ${OVERRIDING.join(" ")}`];
      const again =
        options.dataDir === DEFAULT_DATA_DIR
          ? "edgekv env"
          : `edgekv env --data-dir ${shellQuote(options.dataDir)}`;
      // A newline in a path would end the comment and run the rest: the comment has none.
      const comment = `# The edgekv server of ${dataDir}; apply with: eval "$(${again})"`.replace(
        /[\r\n]/g,
        " ",
      );
      printText(
        context.stdout,
        [
          comment,
          ...unset,
          ...Object.entries(variables).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
        ].join("\n"),
      );
    });
}
