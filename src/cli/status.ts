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
import { NOT_AVAILABLE, type Paint, renderFields } from "./format.ts";
import { printJson, printText, stdoutPaint } from "./output.ts";
import { UserError } from "./user-error.ts";

/** The body of GET and PUT /edgekv/v1/initialize. */
interface InitializationJson {
  accountStatus: string;
  cpcode?: string | null;
  productionStatus?: string;
  stagingStatus?: string;
  dataAccessPolicy?: { restrictDataAccess?: boolean; allowNamespacePolicyOverride?: boolean };
}

const hasAccountStatus = (value: unknown) =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as Record<string, unknown>).accountStatus === "string";

function readInitialization(text: string): InitializationJson {
  const value = parseJsonText(text);
  if (!hasAccountStatus(value)) {
    throw new UserError("The server answered with something that is not an EdgeKV initialization status.");
  }
  return value as InitializationJson;
}

function renderStatus(status: InitializationJson, paint: Paint): string {
  const policy = status.dataAccessPolicy;
  return renderFields(
    [
      ["Account status", status.accountStatus],
      ["Production status", status.productionStatus ?? NOT_AVAILABLE],
      ["Staging status", status.stagingStatus ?? NOT_AVAILABLE],
      ["CP code", status.cpcode ?? NOT_AVAILABLE],
      [
        "Data access policy",
        policy === undefined
          ? NOT_AVAILABLE
          : `restrictDataAccess=${String(policy.restrictDataAccess ?? false)}, allowNamespacePolicyOverride=${String(policy.allowNamespacePolicyOverride ?? true)}`,
      ],
    ],
    paint,
  );
}

export function initCommand(context: CliContext): Command {
  const command = new Command("init").description(
    "Initialize EdgeKV on the account: its CP code and the default namespace on both networks.",
  );
  addConnectionOptions(command);
  return addExamples(command, `edgekv init ${CONNECTION_EXAMPLE}`).action(
    async (options: ConnectionOptions) => {
      const response = await (await connect(options, context)).send({ method: "PUT", path: "/initialize" });
      const status = readInitialization(response.text);
      if (options.json) printJson(context.stdout, status);
      else {
        const headline = response.status === 201 ? "EdgeKV initialized." : "EdgeKV was already initialized.";
        printText(context.stdout, `${headline}\n\n${renderStatus(status, stdoutPaint(context))}`);
      }
    },
  );
}

export function statusCommand(context: CliContext): Command {
  const command = new Command("status").description("Show whether EdgeKV is initialized on the account.");
  addConnectionOptions(command);
  return addExamples(command, `edgekv status ${CONNECTION_EXAMPLE}`).action(
    async (options: ConnectionOptions) => {
      const response = await (await connect(options, context)).send({
        method: "GET",
        path: "/initialize",
        // 404 with a status body is the API's way of saying "not initialized yet".
        accept: ({ status, text }) => status === 404 && hasAccountStatus(parseJsonText(text)),
      });
      const status = readInitialization(response.text);
      if (options.json) printJson(context.stdout, status);
      else {
        const hint = status.accountStatus === "INITIALIZED" ? "" : "\n\nInitialize it with: edgekv init";
        printText(context.stdout, `${renderStatus(status, stdoutPaint(context))}${hint}`);
      }
    },
  );
}
