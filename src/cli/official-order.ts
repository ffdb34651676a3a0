import { Command } from "commander";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
} from "./api-client.ts";
import { authGroupListCommand, authGroupModifyCommand } from "./auth-group.ts";
import type { CliContext } from "./context.ts";
import { databaseModifyCommand } from "./database.ts";
import { groupListCommand } from "./group.ts";
import {
  itemDeleteCommand,
  itemListCommand,
  itemReadCommand,
  jsonFileBody,
  place,
  placeArguments,
  textBody,
  writeItem,
} from "./item.ts";
import {
  namespaceCreateCommand,
  namespaceDeleteCommand,
  namespaceListCommand,
  namespaceShowCommand,
  namespaceUpdateCommand,
} from "./namespace.ts";
import { statusCommand } from "./status.ts";
import {
  tokenCreateCommand,
  tokenDownloadCommand,
  tokenListCommand,
  tokenRefreshCommand,
  tokenRevokeCommand,
} from "./token.ts";

/** The official commands in one line each, for `edgekv --help`. */
export const OFFICIAL_ORDER_HELP = `
The official CLI's verb-noun commands work too, with its options (--jsonout, --json <path>,
--timeout, ...): replace \`akamai edgekv\` with \`edgekv\` in a script.
  initialize|init                       show status|ns|item
  list|l ns|groups|items|tokens|auth-groups
  create ns|token (tkn)                 modify ns|auth-group|db
  write text|jsonfile                   read item
  delete|del item|ns                    download|dnld token (tkn)
  refresh token                         revoke token
  e.g. edgekv create ns staging marketing --retention 0`;

/** A verb of the official CLI: its nouns are this CLI's commands under another name. */
const verb = (name: string, description: string, example: string, ...aliases: string[]) =>
  new Command(name)
    .description(`${description} (the official CLI's order)`)
    .aliases(aliases)
    .addHelpText(
      "after",
      `\nExample:\n  $ edgekv ${name} ${example}\n\nThe same commands in this CLI's order: edgekv token|namespace|item|group|auth-group|db --help`,
    );

/** `write text <network> <namespace> <group> <item> <value>` or `write jsonfile … <file>`. */
function writeCommand(context: CliContext, type: "text" | "jsonfile"): Command {
  const command = placeArguments(
    new Command(type).description(
      type === "text"
        ? "Write one item's value given as text (JSON when it is an object or array)."
        : "Write one item's value from a JSON file.",
    ),
    true,
  ).argument(type === "text" ? "<value>" : "<file>", type === "text" ? "the value" : "a file holding JSON");
  addConnectionOptions(command);
  const example =
    type === "text"
      ? `edgekv write text staging default colours red '{"hex":"#f00"}' ${CONNECTION_EXAMPLE}`
      : `edgekv write jsonfile staging default colours blue ./blue.json ${CONNECTION_EXAMPLE}`;
  return addExamples(command, example).action(
    async (
      network: string,
      namespace: string,
      group: string,
      item: string,
      value: string,
      options: ConnectionOptions,
    ) => {
      const at = place(network, namespace, group, item);
      await writeItem(context, options, at, type === "text" ? textBody(value) : await jsonFileBody(value));
    },
  );
}

/**
 * `akamai edgekv`'s verb-noun commands (cli-edgeworkers), each the same command as its noun-verb
 * twin under the official name, so both spellings behave alike. `initialize` is an alias of `init`.
 */
export function officialOrderCommands(context: CliContext): Command[] {
  return [
    verb("show", "Show the EdgeKV status, a namespace or an item", "ns staging default")
      .addCommand(statusCommand(context, "show status"))
      .addCommand(namespaceShowCommand(context, "show ns").alias("namespace"))
      .addCommand(itemReadCommand(context, "show item")),
    verb(
      "list",
      "List namespaces, groups, items, tokens or permission groups",
      "tokens --include-expired",
      "l",
    )
      .addCommand(namespaceListCommand(context, "list ns").alias("namespaces"))
      .addCommand(groupListCommand(context, "list groups"))
      .addCommand(itemListCommand(context, "list items"))
      .addCommand(tokenListCommand(context, "list tokens").aliases(["tkn", "token"]))
      .addCommand(authGroupListCommand(context, "list auth-groups")),
    verb("create", "Create a namespace or a token", "ns staging marketing --retention 0")
      .addCommand(namespaceCreateCommand(context, "create ns").alias("namespace"))
      .addCommand(tokenCreateCommand(context, "create token").alias("tkn")),
    verb(
      "modify",
      "Modify a namespace, a namespace's permission group or the data access policy",
      "auth-group marketing 42",
    )
      .addCommand(namespaceUpdateCommand(context, "modify ns").alias("namespace"))
      .addCommand(authGroupModifyCommand(context, "modify auth-group"))
      .addCommand(databaseModifyCommand(context, "modify db")),
    verb(
      "write",
      "Write an item: write text|jsonfile <network> <namespace> <group> <item> <value|file>",
      "text staging marketing countries DE Germany",
    )
      .addCommand(writeCommand(context, "text"))
      .addCommand(writeCommand(context, "jsonfile")),
    verb("read", "Read an item", "item staging marketing countries DE").addCommand(
      itemReadCommand(context, "read item"),
    ),
    verb("delete", "Delete an item or a namespace", "ns staging marketing --sync", "del")
      .addCommand(itemDeleteCommand(context, "delete item"))
      .addCommand(namespaceDeleteCommand(context, "delete ns").alias("namespace")),
    verb("download", "Download a token", "token my_token --save_path ./bundle", "dnld").addCommand(
      tokenDownloadCommand(context, "download token").alias("tkn"),
    ),
    verb("refresh", "Refresh a token", "token my_token").addCommand(
      tokenRefreshCommand(context, "refresh token").alias("tkn"),
    ),
    verb("revoke", "Revoke a token", "token my_token").addCommand(
      tokenRevokeCommand(context, "revoke token").alias("tkn"),
    ),
  ];
}
