import { Command } from "commander";
import type { StateAdded } from "../storage/state-repository.ts";
import { addConnectionOptions, CONNECTION_EXAMPLE, type ConnectionOptions, JSON_HELP } from "./api-client.ts";
import type { CliContext } from "./context.ts";
import { describeAdded, describeCounts } from "./counts.ts";
import { printJson, printText } from "./output.ts";
import { postToServer } from "./server-admin.ts";
import { UserError } from "./user-error.ts";

interface ResetOptions extends ConnectionOptions {
  account?: string;
  all?: boolean;
  credentials?: boolean;
  reseed?: boolean;
}

/** The body of POST /_edgekv/v1/reset. */
interface ResetAnswer {
  accounts: string[];
  deleted: { tokens: number; namespaces: number; items: number; clients: number };
  reseeded: StateAdded | null;
}

function describeReset(answer: ResetAnswer): string {
  const { tokens, namespaces, items, clients } = answer.deleted;
  const deleted = describeCounts([
    [tokens, "token"],
    [namespaces, "namespace"],
    [items, "item"],
    [clients, "API client"],
  ]);
  const lines = [
    `Reset ${answer.accounts.length === 1 ? "account" : "accounts"} ${answer.accounts.join(", ")}: ` +
      `${deleted.length === 0 ? "there was nothing to delete" : `deleted ${deleted.join(", ")}`}; ` +
      `${answer.accounts.length === 1 ? "it is" : "each is"} initialized again, with its default namespace on both networks.`,
  ];
  if (answer.reseeded !== null) {
    const added = describeAdded(answer.reseeded);
    lines.push(`Applied the start seed again: ${added === null ? "nothing to add" : `added ${added}`}.`);
  }
  return lines.join("\n");
}

export function resetCommand(context: CliContext): Command {
  const command = new Command("reset")
    .description(
      "Empty the tokens, namespaces and items of an account (or of every account) on a running server.",
    )
    .option("--account <id>", "the account to empty (default: the one the credentials act on)")
    .option("--all", "empty every account")
    .option("--credentials", "also remove API clients, but your own and the first-run client")
    .option("--reseed", "then apply the server's --seed file again");
  addConnectionOptions(command);
  return command
    .addHelpText(
      "after",
      `
Needs a client with SERVER_ADMIN. Each account is left initialized with its default namespace on both
networks; its API clients stay unless --credentials.

${JSON_HELP}

Examples:
  $ edgekv reset ${CONNECTION_EXAMPLE}
  $ edgekv reset --account acme
  $ edgekv reset --all --credentials --reseed`,
    )
    .action(async (options: ResetOptions) => {
      if (options.account !== undefined && options.all === true) {
        throw new UserError("Give --account or --all, not both.");
      }
      const body = {
        ...(options.account === undefined ? {} : { account: options.account }),
        ...(options.all === true ? { all: true } : {}),
        credentials: options.credentials === true,
        reseed: options.reseed === true,
      };
      const { answer } = await postToServer(options, context, { path: "/_edgekv/v1/reset", body });
      const result = answer as ResetAnswer;
      if (options.account !== undefined && result.accounts.length === 0) {
        throw new UserError(`There is no account ${options.account}; nothing was reset.`);
      }
      if (options.json) printJson(context.stdout, result);
      else printText(context.stdout, describeReset(result));
    });
}
