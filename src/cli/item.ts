import { readFile } from "node:fs/promises";
import { Command } from "commander";
import { printAnswer } from "./answer.ts";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
  parseJsonText,
} from "./api-client.ts";
import { type CommandWords, leafCommand } from "./command-words.ts";
import type { CliContext } from "./context.ts";
import { plural, renderTable } from "./format.ts";
import { kvPath, type Network, parseNetwork, readStringArray } from "./kv-path.ts";
import { stdoutPaint } from "./output.ts";
import { UserError } from "./user-error.ts";

export interface ItemPlace {
  network: Network;
  namespace: string;
  group: string;
  item: string;
}

export const place = (network: string, namespace: string, group: string, item: string): ItemPlace => ({
  network: parseNetwork(network),
  namespace,
  group,
  item,
});

const where = (at: ItemPlace) =>
  `item ${at.item} in group ${at.group} of namespace ${at.namespace} on ${at.network}`;

const isStructured = (value: unknown) => typeof value === "object" && value !== null;

export interface ItemBody {
  body: string;
  contentType: string;
}

/** A value given as text: JSON when it parses as an object or array (as the official CLI does). */
export const textBody = (value: string): ItemBody =>
  isStructured(parseJsonText(value))
    ? { body: value, contentType: "application/json" }
    : { body: value, contentType: "text/plain; charset=utf-8" };

/** A value read from a file that must hold JSON. */
export async function jsonFileBody(path: string): Promise<ItemBody> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(
      `Cannot read the JSON file ${path} (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
    );
  }
  if (parseJsonText(text) === undefined)
    throw new UserError(`The JSON file ${path} does not hold valid JSON.`);
  return { body: text, contentType: "application/json" };
}

/** Writes one item; `edgekv item write`, `write text` and `write jsonfile` all end here. */
export async function writeItem(
  context: CliContext,
  options: ConnectionOptions,
  at: ItemPlace,
  raw: ItemBody,
): Promise<void> {
  const api = await connect(options, context);
  const response = await api.send({ method: "PUT", path: kvPath(at.network, at), raw });
  await printAnswer(context, options, {
    json: { ...at, message: response.text.trim() },
    text: `Wrote ${where(at)}.`,
    msg: `Item ${at.item} was successfully created into the environment: ${at.network}, namespace: ${at.namespace} and groupid: ${at.group}`,
  });
}

export const placeArguments = (command: Command, withItem: boolean) => {
  command
    .argument("<network>", "staging or production")
    .argument("<namespace>", "the namespace name")
    .argument("<group>", "the group name");
  return withItem ? command.argument("<item>", "the item key") : command;
};

function writeCommand(context: CliContext): Command {
  const command = placeArguments(
    new Command("write").description("Write (create or replace) one item's value."),
    true,
  )
    .argument("[value]", "the value: text, or JSON when it is an object or array")
    .option("--jsonfile <file>", "read the value from this JSON file instead");
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv item write staging default colours red '{"hex":"#f00"}' ${CONNECTION_EXAMPLE}`,
    `edgekv item write staging default colours blue --jsonfile blue.json ${CONNECTION_EXAMPLE}`,
  ).action(
    async (
      network: string,
      namespace: string,
      group: string,
      item: string,
      value: string | undefined,
      options: { jsonfile?: string } & ConnectionOptions,
    ) => {
      const at = place(network, namespace, group, item);
      if ((value === undefined) === (options.jsonfile === undefined)) {
        throw new UserError(
          "Give the value either as an argument or with --jsonfile <file>, not both or neither.",
        );
      }
      const raw = value === undefined ? await jsonFileBody(options.jsonfile ?? "") : textBody(value);
      await writeItem(context, options, at, raw);
    },
  );
}

export function itemReadCommand(context: CliContext, words: CommandWords = "item read"): Command {
  const command = placeArguments(leafCommand(words).description("Print one item's value."), true);
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} staging default colours red ${CONNECTION_EXAMPLE}`).action(
    async (network: string, namespace: string, group: string, item: string, options: ConnectionOptions) => {
      const at = place(network, namespace, group, item);
      const response = await (await connect(options, context)).send({
        method: "GET",
        path: kvPath(at.network, at),
      });
      const parsed = response.contentType.includes("json") ? parseJsonText(response.text) : undefined;
      await printAnswer(context, options, {
        json: parsed ?? response.text,
        text: response.text,
        msg: `Item ${at.item} from group ${at.group}, namespace ${at.namespace} and environment ${at.network} retrieved successfully`,
        data: parsed ?? response.text,
      });
    },
  );
}

export function itemDeleteCommand(context: CliContext, words: CommandWords = "item delete"): Command {
  const command = placeArguments(leafCommand(words).description("Delete one item."), true);
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} staging default colours red ${CONNECTION_EXAMPLE}`).action(
    async (network: string, namespace: string, group: string, item: string, options: ConnectionOptions) => {
      const at = place(network, namespace, group, item);
      const response = await (await connect(options, context)).send({
        method: "DELETE",
        path: kvPath(at.network, at),
      });
      await printAnswer(context, options, {
        json: { ...at, message: response.text.trim() },
        text: `Deleted ${where(at)}.`,
        msg: `Item ${at.item} was successfully marked for deletion from group ${at.group}, namespace ${at.namespace} and environment ${at.network}`,
      });
    },
  );
}

export function itemListCommand(context: CliContext, words: CommandWords = "item list"): Command {
  const command = placeArguments(
    leafCommand(words).description("List the item keys of one group."),
    false,
  ).option("--maxItems <count>", "return at most this many keys");
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv ${words} staging default colours --maxItems 100 ${CONNECTION_EXAMPLE}`,
  ).action(
    async (
      networkText: string,
      namespace: string,
      group: string,
      options: { maxItems?: string } & ConnectionOptions,
    ) => {
      const network = parseNetwork(networkText);
      if (options.maxItems !== undefined && !/^[1-9]\d{0,8}$/.test(options.maxItems)) {
        throw new UserError(`Invalid --maxItems "${options.maxItems}": give a positive whole number.`);
      }
      const answer = await (await connect(options, context)).json({
        method: "GET",
        path: kvPath(network, { namespace, group }),
        query: { maxItems: options.maxItems },
      });
      const keys = readStringArray(answer, "item keys");
      const text =
        keys.length === 0
          ? `No items in group ${group} of namespace ${namespace} on ${network}.`
          : `${renderTable(
              ["ITEM"],
              keys.map((key) => [key]),
              stdoutPaint(context),
            )}\n\n${plural(keys.length, "item")}.`;
      await printAnswer(context, options, {
        json: keys,
        text,
        msg:
          keys.length === 0
            ? `There are no items for group ${group}, namespace ${namespace} and environment ${network}`
            : `${keys.length} items from group ${group} were retrieved successfully from ${network}`,
        data: keys,
      });
    },
  );
}

export function itemCommand(context: CliContext): Command {
  return new Command("item")
    .description("Write, read, delete and list the items of a namespace's groups.")
    .addCommand(writeCommand(context))
    .addCommand(itemReadCommand(context))
    .addCommand(itemDeleteCommand(context))
    .addCommand(itemListCommand(context))
    .addHelpText(
      "after",
      `\nExample:\n  $ edgekv item read staging default colours red ${CONNECTION_EXAMPLE}`,
    );
}
