import { Command } from "commander";
import { printAnswer } from "./answer.ts";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
} from "./api-client.ts";
import { type CommandWords, leafCommand } from "./command-words.ts";
import type { CliContext } from "./context.ts";
import { plural, renderTable } from "./format.ts";
import { kvPath, parseNetwork, readStringArray } from "./kv-path.ts";
import { stdoutPaint } from "./output.ts";

export function groupListCommand(context: CliContext, words: CommandWords = "group list"): Command {
  const command = leafCommand(words)
    .description("List the groups that hold items in one namespace.")
    .argument("<network>", "staging or production")
    .argument("<namespace>", "the namespace name");
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} staging default ${CONNECTION_EXAMPLE}`).action(
    async (networkText: string, namespace: string, options: ConnectionOptions) => {
      const network = parseNetwork(networkText);
      const answer = await (await connect(options, context)).json({
        method: "GET",
        path: kvPath(network, { namespace, groups: true }),
      });
      const groups = readStringArray(answer, "group names");
      await printAnswer(context, options, {
        json: groups,
        text:
          groups.length === 0
            ? `No groups in namespace ${namespace} on ${network}.`
            : `${renderTable(
                ["GROUP"],
                groups.map((group) => [group]),
                stdoutPaint(context),
              )}\n\n${plural(groups.length, "group")}.`,
        msg: `The ${network} namespace "${namespace}" contains ${groups.length} groups.`,
        data: groups,
      });
    },
  );
}

export function groupCommand(context: CliContext): Command {
  return new Command("group")
    .description("List the groups of a namespace (items are written with `edgekv item write`).")
    .addCommand(groupListCommand(context))
    .addHelpText("after", `\nExample:\n  $ edgekv group list staging default ${CONNECTION_EXAMPLE}`);
}
