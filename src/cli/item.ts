import { readFile } from "node:fs/promises";
import { Command } from "commander";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
  parseJsonText,
} from "./api-client.ts";
import type { CliContext } from "./context.ts";
import { plural, renderTable } from "./format.ts";
import { kvPath, type Network, parseNetwork, readStringArray } from "./kv-path.ts";
import { printJson, printText, stdoutPaint } from "./output.ts";
import { UserError } from "./user-error.ts";

interface ItemPlace {
  network: Network;
  namespace: string;
  group: string;
  item: string;
}

const place = (network: string, namespace: string, group: string, item: string): ItemPlace => ({
  network: parseNetwork(network),
  namespace,
  group,
  item,
});

const where = (at: ItemPlace) =>
  `item ${at.item} in group ${at.group} of namespace ${at.namespace} on ${at.network}`;

const isStructured = (value: unknown) => typeof value === "object" && value !== null;

/** The value and its content type: JSON when it parses as an object or array (as the official CLI does). */
async function itemBody(
  value: string | undefined,
  jsonfile: string | undefined,
): Promise<{ body: string; contentType: string }> {
  if ((value === undefined) === (jsonfile === undefined)) {
    throw new UserError(
      "Give the value either as an argument or with --jsonfile <file>, not both or neither.",
    );
  }
  if (value !== undefined) {
    return isStructured(parseJsonText(value))
      ? { body: value, contentType: "application/json" }
      : { body: value, contentType: "text/plain; charset=utf-8" };
  }
  const path = jsonfile ?? "";
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new UserError(
      `Cannot read --jsonfile ${path} (${(error as NodeJS.ErrnoException).code ?? "error"}).`,
    );
  }
  if (parseJsonText(text) === undefined) throw new UserError(`--jsonfile ${path} does not hold valid JSON.`);
  return { body: text, contentType: "application/json" };
}

const placeArguments = (command: Command, withItem: boolean) => {
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
      const raw = await itemBody(value, options.jsonfile);
      const api = await connect(options, context);
      const response = await api.send({ method: "PUT", path: kvPath(at.network, at), raw });
      if (options.json) printJson(context.stdout, { ...at, message: response.text.trim() });
      else printText(context.stdout, `Wrote ${where(at)}.`);
    },
  );
}

function readCommand(context: CliContext): Command {
  const command = placeArguments(new Command("read").description("Print one item's value."), true);
  addConnectionOptions(command);
  return addExamples(command, `edgekv item read staging default colours red ${CONNECTION_EXAMPLE}`).action(
    async (network: string, namespace: string, group: string, item: string, options: ConnectionOptions) => {
      const at = place(network, namespace, group, item);
      const response = await (await connect(options, context)).send({
        method: "GET",
        path: kvPath(at.network, at),
      });
      if (!options.json) {
        printText(context.stdout, response.text);
        return;
      }
      const parsed = response.contentType.includes("json") ? parseJsonText(response.text) : undefined;
      printJson(context.stdout, parsed ?? response.text);
    },
  );
}

function deleteCommand(context: CliContext): Command {
  const command = placeArguments(new Command("delete").description("Delete one item."), true);
  addConnectionOptions(command);
  return addExamples(command, `edgekv item delete staging default colours red ${CONNECTION_EXAMPLE}`).action(
    async (network: string, namespace: string, group: string, item: string, options: ConnectionOptions) => {
      const at = place(network, namespace, group, item);
      const response = await (await connect(options, context)).send({
        method: "DELETE",
        path: kvPath(at.network, at),
      });
      if (options.json) printJson(context.stdout, { ...at, message: response.text.trim() });
      else printText(context.stdout, `Deleted ${where(at)}.`);
    },
  );
}

function listCommand(context: CliContext): Command {
  const command = placeArguments(
    new Command("list").description("List the item keys of one group."),
    false,
  ).option("--maxItems <count>", "return at most this many keys");
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv item list staging default colours --maxItems 100 ${CONNECTION_EXAMPLE}`,
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
      if (options.json) printJson(context.stdout, keys);
      else if (keys.length === 0)
        printText(context.stdout, `No items in group ${group} of namespace ${namespace} on ${network}.`);
      else
        printText(
          context.stdout,
          `${renderTable(
            ["ITEM"],
            keys.map((key) => [key]),
            stdoutPaint(context),
          )}\n\n${plural(keys.length, "item")}.`,
        );
    },
  );
}

export function itemCommand(context: CliContext): Command {
  return new Command("item")
    .description("Write, read, delete and list the items of a namespace's groups.")
    .addCommand(writeCommand(context))
    .addCommand(readCommand(context))
    .addCommand(deleteCommand(context))
    .addCommand(listCommand(context))
    .addHelpText(
      "after",
      `\nExample:\n  $ edgekv item read staging default colours red ${CONNECTION_EXAMPLE}`,
    );
}
