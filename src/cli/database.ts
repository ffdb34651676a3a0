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
import { parseDataAccessPolicy } from "./data-access-policy.ts";
import { stdoutPaint } from "./output.ts";
import { readInitialization, renderStatus } from "./status.ts";

export function databaseModifyCommand(context: CliContext, words: CommandWords = "db modify"): Command {
  const command = leafCommand(words)
    .description("Change the account's default data access policy, which new namespaces take.")
    .requiredOption(
      "--dataAccessPolicy <policy>",
      "restrictDataAccess=<true|false>,allowNamespacePolicyOverride=<true|false>; one of them is enough",
    );
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv ${words} --dataAccessPolicy restrictDataAccess=true,allowNamespacePolicyOverride=false ${CONNECTION_EXAMPLE}`,
  ).action(async (options: { dataAccessPolicy: string } & ConnectionOptions) => {
    const dataAccessPolicy = parseDataAccessPolicy(options.dataAccessPolicy);
    const response = await (await connect(options, context)).send({
      method: "PUT",
      path: "/auth/database",
      json: { dataAccessPolicy },
    });
    const status = readInitialization(response.text);
    await printAnswer(context, options, {
      json: status,
      text: `Updated the data access policy; namespaces created from now on take it.\n\n${renderStatus(status, stdoutPaint(context))}`,
      msg: "The database data access policy was successfully updated",
      data: status,
    });
  });
}

export function databaseCommand(context: CliContext): Command {
  return new Command("db")
    .description("The account's EdgeKV database: its default data access policy.")
    .addCommand(databaseModifyCommand(context).alias("update"))
    .addHelpText(
      "after",
      `\nExample:\n  $ edgekv db modify --dataAccessPolicy restrictDataAccess=false,allowNamespacePolicyOverride=true ${CONNECTION_EXAMPLE}`,
    );
}
