import { Command } from "commander";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
} from "./api-client.ts";
import type { CliContext } from "./context.ts";
import { plural, renderTable } from "./format.ts";
import { kvPath, parseNetwork, readStringArray } from "./kv-path.ts";
import { printJson, printText, stdoutPaint } from "./output.ts";

function listCommand(context: CliContext): Command {
  const command = new Command("list")
    .description("List the groups that hold items in one namespace.")
    .argument("<network>", "staging or production")
    .argument("<namespace>", "the namespace name");
  addConnectionOptions(command);
  return addExamples(command, `edgekv group list staging default ${CONNECTION_EXAMPLE}`).action(
    async (networkText: string, namespace: string, options: ConnectionOptions) => {
      const network = parseNetwork(networkText);
      const answer = await (await connect(options, context)).json({
        method: "GET",
        path: kvPath(network, { namespace, groups: true }),
      });
      const groups = readStringArray(answer, "group names");
      if (options.json) printJson(context.stdout, groups);
      else if (groups.length === 0)
        printText(context.stdout, `No groups in namespace ${namespace} on ${network}.`);
      else
        printText(
          context.stdout,
          `${renderTable(
            ["GROUP"],
            groups.map((group) => [group]),
            stdoutPaint(context),
          )}\n\n${plural(groups.length, "group")}.`,
        );
    },
  );
}

export function groupCommand(context: CliContext): Command {
  return new Command("group")
    .description("List the groups of a namespace (items are written with `edgekv item write`).")
    .addCommand(listCommand(context))
    .addHelpText("after", `\nExample:\n  $ edgekv group list staging default ${CONNECTION_EXAMPLE}`);
}
