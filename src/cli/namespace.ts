import { Command } from "commander";
import { printAnswer } from "./answer.ts";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
  type EdgeKvApi,
  parseJsonText,
} from "./api-client.ts";
import { type CommandWords, leafCommand } from "./command-words.ts";
import type { CliContext } from "./context.ts";
import { NOT_AVAILABLE, plural, renderTable } from "./format.ts";
import { kvPath, type Network, parseNetwork } from "./kv-path.ts";
import {
  describeRetention,
  groupIdNumber,
  isRecord,
  type NamespaceJson,
  type OrderOptions,
  officialRow,
  orderNamespaces,
  readNamespace,
  readNamespaceList,
  renderNamespace,
  retentionSeconds,
} from "./namespace-view.ts";
import { stdoutPaint } from "./output.ts";
import { UserError } from "./user-error.ts";

interface SettingsOptions {
  retention?: string;
  groupId?: string;
  geoLocation?: string;
}

const fetchNamespace = async (api: EdgeKvApi, network: Network, namespace: string) =>
  readNamespace(await api.json({ method: "GET", path: kvPath(network, { namespace }) }));

/** One namespace: the JSON, or a headline and its fields; `msg` is the official CLI's message. */
const output = (
  context: CliContext,
  options: ConnectionOptions,
  namespace: NamespaceJson,
  network: Network,
  { headline, msg }: { headline: string; msg: string },
) =>
  printAnswer(context, options, {
    json: namespace,
    text: `${headline}\n\n${renderNamespace(namespace, network, stdoutPaint(context))}`,
    msg,
    data: namespace,
  });

export function namespaceCreateCommand(
  context: CliContext,
  words: CommandWords = "namespace create",
): Command {
  const command = leafCommand(words)
    .description("Create a namespace on one network.")
    .argument("<network>", "staging or production")
    .argument("<namespace>", "1 to 32 letters, digits, _ or -")
    .requiredOption("--retention <days>", "days items are kept; 0 keeps them forever")
    .option("--groupId <id>", "the access group allowed to use the namespace; 0 for every group", "0")
    .option("--geoLocation <location>", "where production data is stored (default: US)");
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} staging products --retention 30 ${CONNECTION_EXAMPLE}`).action(
    async (networkText: string, name: string, options: SettingsOptions & ConnectionOptions) => {
      const network = parseNetwork(networkText);
      const body = {
        namespace: name,
        retentionInSeconds: retentionSeconds(options.retention ?? ""),
        groupId: groupIdNumber(options.groupId ?? "0"),
        ...(options.geoLocation === undefined ? {} : { geoLocation: options.geoLocation }),
      };
      const api = await connect(options, context);
      const created = readNamespace(await api.json({ method: "POST", path: kvPath(network), json: body }));
      await output(context, options, created, network, {
        headline: `Created namespace ${created.namespace} on ${network}.`,
        msg: `Namespace ${created.namespace} has been created successfully on the ${network} environment`,
      });
    },
  );
}

export function namespaceListCommand(context: CliContext, words: CommandWords = "namespace list"): Command {
  const command = leafCommand(words)
    .description("List the namespaces of one network, by name unless --order-by says otherwise.")
    .argument("<network>", "staging or production")
    .option("-d, --details", "also show retention, geo location and group id")
    .option("--order-by <column>", "with --details: namespace, retention, geoLocation or groupId")
    .option("--asc, --ascending", "sort in ascending order (the default)")
    .option("--desc, --descending", "sort in descending order");
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} production --details ${CONNECTION_EXAMPLE}`).action(
    async (networkText: string, options: OrderOptions & ConnectionOptions) => {
      const network = parseNetwork(networkText);
      const details = options.details === true;
      // Checked before anything is sent, like the other options.
      orderNamespaces([], options);
      const api = await connect(options, context);
      const answer = await api.json({
        method: "GET",
        path: kvPath(network),
        query: { details: details ? "on" : undefined },
      });
      const namespaces = orderNamespaces(readNamespaceList(answer), options);
      const sorted = options.orderBy !== undefined || options.descending === true;
      const rows = namespaces.map((namespace) =>
        details
          ? [
              namespace.namespace,
              describeRetention(namespace.retentionInSeconds),
              namespace.geoLocation ?? NOT_AVAILABLE,
              namespace.groupId === undefined ? NOT_AVAILABLE : String(namespace.groupId),
            ]
          : [namespace.namespace],
      );
      const headers = details ? ["NAMESPACE", "RETENTION", "GEO LOCATION", "GROUP ID"] : ["NAMESPACE"];
      await printAnswer(context, options, {
        json: sorted && isRecord(answer) ? { ...answer, namespaces } : answer,
        text: `${renderTable(headers, rows, stdoutPaint(context))}\n\n${plural(namespaces.length, "namespace")} on ${network}.`,
        msg: `The following namespaces are provisioned on the ${network} environment`,
        data: namespaces.map((namespace) => officialRow(namespace, details)),
      });
    },
  );
}

export function namespaceShowCommand(context: CliContext, words: CommandWords = "namespace show"): Command {
  const command = leafCommand(words)
    .description("Show one namespace.")
    .argument("<network>", "staging or production")
    .argument("<namespace>", "the namespace name");
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} staging default ${CONNECTION_EXAMPLE}`).action(
    async (networkText: string, name: string, options: ConnectionOptions) => {
      const network = parseNetwork(networkText);
      const namespace = await fetchNamespace(await connect(options, context), network, name);
      await output(context, options, namespace, network, {
        headline: `Namespace ${namespace.namespace} on ${network}:`,
        msg: `Namespace ${namespace.namespace} was successfully retrieved for the ${network} environment`,
      });
    },
  );
}

export function namespaceUpdateCommand(
  context: CliContext,
  words: CommandWords = "namespace update",
): Command {
  const command = leafCommand(words)
    .description("Change a namespace's retention, geo location or group; what is not given stays.")
    .argument("<network>", "staging or production")
    .argument("<namespace>", "the namespace name")
    .option("--retention <days>", "days items are kept; 0 keeps them forever")
    .option("--groupId <id>", "the access group allowed to use the namespace; 0 for every group")
    .option("--geoLocation <location>", "where production data is stored");
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} staging products --retention 90 ${CONNECTION_EXAMPLE}`).action(
    async (networkText: string, name: string, options: SettingsOptions & ConnectionOptions) => {
      const network = parseNetwork(networkText);
      if (
        options.retention === undefined &&
        options.groupId === undefined &&
        options.geoLocation === undefined
      ) {
        throw new UserError("Nothing to change: give --retention, --groupId or --geoLocation.");
      }
      const retention = options.retention === undefined ? undefined : retentionSeconds(options.retention);
      const groupId = options.groupId === undefined ? undefined : groupIdNumber(options.groupId);
      const api = await connect(options, context);
      const current = await fetchNamespace(api, network, name);
      const body = {
        ...current,
        namespace: name,
        ...(retention === undefined ? {} : { retentionInSeconds: retention }),
        ...(groupId === undefined ? {} : { groupId }),
        ...(options.geoLocation === undefined ? {} : { geoLocation: options.geoLocation }),
      };
      const updated = readNamespace(
        await api.json({ method: "PUT", path: kvPath(network, { namespace: name }), json: body }),
      );
      await output(context, options, updated, network, {
        headline: `Updated namespace ${updated.namespace} on ${network}.`,
        msg: `Namespace ${updated.namespace} has been updated successfully on the ${network} environment`,
      });
    },
  );
}

export function namespaceDeleteCommand(
  context: CliContext,
  words: CommandWords = "namespace delete",
): Command {
  const command = leafCommand(words)
    .description("Delete a namespace and its items (scheduled, or at once with --sync).")
    .argument("<network>", "staging or production")
    .argument("<namespace>", "the namespace name")
    .option("--sync", "delete at once instead of scheduling the deletion");
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} staging products --sync ${CONNECTION_EXAMPLE}`).action(
    async (networkText: string, name: string, options: { sync?: boolean } & ConnectionOptions) => {
      const network = parseNetwork(networkText);
      const api = await connect(options, context);
      const response = await api.send({
        method: "DELETE",
        path: kvPath(network, { namespace: name }),
        query: { sync: options.sync ? "true" : undefined },
      });
      const answer = parseJsonText(response.text) ?? { message: response.text.trim() };
      const scheduled = isRecord(answer) ? answer.scheduledDeleteTime : undefined;
      const [text, msg] =
        typeof scheduled === "string"
          ? [
              `Namespace ${name} on ${network} is scheduled for deletion at ${scheduled}.`,
              `Namespace ${name} on the ${network} environment is scheduled for deletion at ${scheduled}`,
            ]
          : [
              `Deleted namespace ${name} on ${network}.`,
              `Namespace ${name} was successfully deleted from the ${network} environment`,
            ];
      await printAnswer(context, options, { json: answer, text, msg, data: answer });
    },
  );
}

export function namespaceCommand(context: CliContext): Command {
  return new Command("namespace")
    .description("Create, list, show, update and delete EdgeKV namespaces.")
    .addCommand(namespaceCreateCommand(context))
    .addCommand(namespaceListCommand(context))
    .addCommand(namespaceShowCommand(context))
    .addCommand(namespaceUpdateCommand(context))
    .addCommand(namespaceDeleteCommand(context))
    .addHelpText("after", `\nExample:\n  $ edgekv namespace list staging --details ${CONNECTION_EXAMPLE}`);
}
