import { Command } from "commander";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
  type EdgeKvApi,
  parseJsonText,
} from "./api-client.ts";
import type { CliContext } from "./context.ts";
import { NOT_AVAILABLE, type Paint, plural, renderFields, renderTable } from "./format.ts";
import { kvPath, type Network, parseNetwork } from "./kv-path.ts";
import { printJson, printText, stdoutPaint } from "./output.ts";
import { UserError } from "./user-error.ts";

/** A namespace as the API returns it; the list leaves the details out unless asked. */
interface NamespaceJson {
  namespace: string;
  retentionInSeconds?: number;
  geoLocation?: string;
  groupId?: number;
  dataAccessPolicy?: { restrictDataAccess?: boolean; policyType?: string };
}

interface SettingsOptions {
  retention?: string;
  groupId?: string;
  geoLocation?: string;
}

const DAY_SECONDS = 86_400;
const MAX_RETENTION_DAYS = 3650;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function readNamespace(value: unknown): NamespaceJson {
  if (!isRecord(value) || typeof value.namespace !== "string") {
    throw new UserError("The server answered with something that is not an EdgeKV namespace.");
  }
  return value as unknown as NamespaceJson;
}

function readNamespaceList(value: unknown): NamespaceJson[] {
  if (!isRecord(value) || !Array.isArray(value.namespaces)) {
    throw new UserError("The server answered with something that is not a list of namespaces.");
  }
  return value.namespaces.map(readNamespace);
}

/** Days, as the official CLI takes them; 0 keeps items forever. */
function retentionSeconds(text: string): number {
  const days = Number(text);
  if (!/^\d+$/.test(text) || days > MAX_RETENTION_DAYS) {
    throw new UserError(
      `Invalid --retention "${text}": give whole days from 1 to ${MAX_RETENTION_DAYS}, or 0 to keep items forever.`,
    );
  }
  return days * DAY_SECONDS;
}

function groupIdNumber(text: string): number {
  if (!/^\d{1,10}$/.test(text)) {
    throw new UserError(`Invalid --groupId "${text}": give a numeric group id, or 0 for no restriction.`);
  }
  return Number(text);
}

function describeRetention(seconds: number | undefined): string {
  if (seconds === undefined) return NOT_AVAILABLE;
  if (seconds === 0) return "indefinite";
  return seconds % DAY_SECONDS === 0 ? plural(seconds / DAY_SECONDS, "day") : `${seconds} seconds`;
}

const describePolicy = (policy: NamespaceJson["dataAccessPolicy"]) =>
  policy === undefined
    ? NOT_AVAILABLE
    : `restrictDataAccess=${String(policy.restrictDataAccess ?? false)}${policy.policyType === undefined ? "" : `, policyType=${policy.policyType}`}`;

function renderNamespace(namespace: NamespaceJson, network: Network, paint: Paint): string {
  return renderFields(
    [
      ["Namespace", namespace.namespace],
      ["Network", network],
      ["Retention", describeRetention(namespace.retentionInSeconds)],
      ["Geo location", namespace.geoLocation ?? NOT_AVAILABLE],
      ["Group id", namespace.groupId === undefined ? NOT_AVAILABLE : String(namespace.groupId)],
      ["Data access policy", describePolicy(namespace.dataAccessPolicy)],
    ],
    paint,
  );
}

const fetchNamespace = async (api: EdgeKvApi, network: Network, namespace: string) =>
  readNamespace(await api.json({ method: "GET", path: kvPath(network, { namespace }) }));

function output(
  context: CliContext,
  options: ConnectionOptions,
  namespace: NamespaceJson,
  network: Network,
  headline: string,
) {
  if (options.json) printJson(context.stdout, namespace);
  else
    printText(context.stdout, `${headline}\n\n${renderNamespace(namespace, network, stdoutPaint(context))}`);
}

function createCommand(context: CliContext): Command {
  const command = new Command("create")
    .description("Create a namespace on one network.")
    .argument("<network>", "staging or production")
    .argument("<namespace>", "1 to 32 letters, digits, _ or -")
    .requiredOption("--retention <days>", "days items are kept; 0 keeps them forever")
    .option("--groupId <id>", "the access group allowed to use the namespace; 0 for every group", "0")
    .option("--geoLocation <location>", "where production data is stored (default: US)");
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv namespace create staging products --retention 30 ${CONNECTION_EXAMPLE}`,
  ).action(async (networkText: string, name: string, options: SettingsOptions & ConnectionOptions) => {
    const network = parseNetwork(networkText);
    const body = {
      namespace: name,
      retentionInSeconds: retentionSeconds(options.retention ?? ""),
      groupId: groupIdNumber(options.groupId ?? "0"),
      ...(options.geoLocation === undefined ? {} : { geoLocation: options.geoLocation }),
    };
    const api = await connect(options, context);
    const created = readNamespace(await api.json({ method: "POST", path: kvPath(network), json: body }));
    output(context, options, created, network, `Created namespace ${created.namespace} on ${network}.`);
  });
}

function listCommand(context: CliContext): Command {
  const command = new Command("list")
    .description("List the namespaces of one network.")
    .argument("<network>", "staging or production")
    .option("-d, --details", "also show retention, geo location and group id");
  addConnectionOptions(command);
  return addExamples(command, `edgekv namespace list production --details ${CONNECTION_EXAMPLE}`).action(
    async (networkText: string, options: { details?: boolean } & ConnectionOptions) => {
      const network = parseNetwork(networkText);
      const api = await connect(options, context);
      const answer = await api.json({
        method: "GET",
        path: kvPath(network),
        query: { details: options.details ? "on" : undefined },
      });
      const namespaces = readNamespaceList(answer);
      if (options.json) {
        printJson(context.stdout, answer);
        return;
      }
      const rows = namespaces.map((namespace) =>
        options.details
          ? [
              namespace.namespace,
              describeRetention(namespace.retentionInSeconds),
              namespace.geoLocation ?? NOT_AVAILABLE,
              namespace.groupId === undefined ? NOT_AVAILABLE : String(namespace.groupId),
            ]
          : [namespace.namespace],
      );
      const headers = options.details
        ? ["NAMESPACE", "RETENTION", "GEO LOCATION", "GROUP ID"]
        : ["NAMESPACE"];
      printText(
        context.stdout,
        `${renderTable(headers, rows, stdoutPaint(context))}\n\n${plural(namespaces.length, "namespace")} on ${network}.`,
      );
    },
  );
}

function showCommand(context: CliContext): Command {
  const command = new Command("show")
    .description("Show one namespace.")
    .argument("<network>", "staging or production")
    .argument("<namespace>", "the namespace name");
  addConnectionOptions(command);
  return addExamples(command, `edgekv namespace show staging default ${CONNECTION_EXAMPLE}`).action(
    async (networkText: string, name: string, options: ConnectionOptions) => {
      const network = parseNetwork(networkText);
      const namespace = await fetchNamespace(await connect(options, context), network, name);
      output(context, options, namespace, network, `Namespace ${namespace.namespace} on ${network}:`);
    },
  );
}

function updateCommand(context: CliContext): Command {
  const command = new Command("update")
    .description("Change a namespace's retention, geo location or group; what is not given stays.")
    .argument("<network>", "staging or production")
    .argument("<namespace>", "the namespace name")
    .option("--retention <days>", "days items are kept; 0 keeps them forever")
    .option("--groupId <id>", "the access group allowed to use the namespace; 0 for every group")
    .option("--geoLocation <location>", "where production data is stored");
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv namespace update staging products --retention 90 ${CONNECTION_EXAMPLE}`,
  ).action(async (networkText: string, name: string, options: SettingsOptions & ConnectionOptions) => {
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
    output(context, options, updated, network, `Updated namespace ${updated.namespace} on ${network}.`);
  });
}

function deleteCommand(context: CliContext): Command {
  const command = new Command("delete")
    .description("Delete a namespace and its items (scheduled, or at once with --sync).")
    .argument("<network>", "staging or production")
    .argument("<namespace>", "the namespace name")
    .option("--sync", "delete at once instead of scheduling the deletion");
  addConnectionOptions(command);
  return addExamples(command, `edgekv namespace delete staging products --sync ${CONNECTION_EXAMPLE}`).action(
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
      if (options.json) printJson(context.stdout, answer);
      else if (typeof scheduled === "string") {
        printText(
          context.stdout,
          `Namespace ${name} on ${network} is scheduled for deletion at ${scheduled}.`,
        );
      } else printText(context.stdout, `Deleted namespace ${name} on ${network}.`);
    },
  );
}

export function namespaceCommand(context: CliContext): Command {
  return new Command("namespace")
    .description("Create, list, show, update and delete EdgeKV namespaces.")
    .addCommand(createCommand(context))
    .addCommand(listCommand(context))
    .addCommand(showCommand(context))
    .addCommand(updateCommand(context))
    .addCommand(deleteCommand(context))
    .addHelpText("after", `\nExample:\n  $ edgekv namespace list staging --details ${CONNECTION_EXAMPLE}`);
}
