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
import { parseDataAccessPolicy } from "./data-access-policy.ts";
import { NOT_AVAILABLE, type Paint, renderFields } from "./format.ts";
import { stdoutPaint } from "./output.ts";
import { UserError } from "./user-error.ts";

/** The body of GET and PUT /edgekv/v1/initialize, and of PUT /edgekv/v1/auth/database. */
export interface InitializationJson {
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

export function readInitialization(text: string): InitializationJson {
  const value = parseJsonText(text);
  if (!hasAccountStatus(value)) {
    throw new UserError("The server answered with something that is not an EdgeKV initialization status.");
  }
  return value as InitializationJson;
}

export function renderStatus(status: InitializationJson, paint: Paint): string {
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

/** `init`, or `initialize` as the official CLI calls it; the policy only counts the first time. */
export function initCommand(context: CliContext): Command {
  const command = new Command("init")
    .alias("initialize")
    .description("Initialize EdgeKV on the account: its CP code and the default namespace on both networks.")
    .option(
      "--dataAccessPolicy <policy>",
      "restrictDataAccess=<true|false>,allowNamespacePolicyOverride=<true|false> (default: false,true)",
    );
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv init ${CONNECTION_EXAMPLE}`,
    `edgekv initialize ${CONNECTION_EXAMPLE}`,
  ).action(async (options: { dataAccessPolicy?: string } & ConnectionOptions) => {
    const policy =
      options.dataAccessPolicy === undefined ? undefined : parseDataAccessPolicy(options.dataAccessPolicy);
    const response = await (await connect(options, context)).send({
      method: "PUT",
      path: "/initialize",
      ...(policy === undefined ? {} : { json: { dataAccessPolicy: policy } }),
    });
    const status = readInitialization(response.text);
    const created = response.status === 201;
    const kept =
      !created && policy !== undefined
        ? "\n\nThe data access policy was left as it is; change it with: edgekv db modify --dataAccessPolicy ..."
        : "";
    await printAnswer(context, options, {
      json: status,
      text: `${created ? "EdgeKV initialized." : "EdgeKV was already initialized."}\n\n${renderStatus(status, stdoutPaint(context))}${kept}`,
      msg: created ? "EdgeKV INITIALIZED successfully" : "EdgeKV already INITIALIZED",
      data: status,
    });
  });
}

export function statusCommand(context: CliContext, words: CommandWords = "status"): Command {
  const command = leafCommand(words).description("Show whether EdgeKV is initialized on the account.");
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} ${CONNECTION_EXAMPLE}`).action(
    async (options: ConnectionOptions) => {
      const response = await (await connect(options, context)).send({
        method: "GET",
        path: "/initialize",
        // 404 with a status body is the API's way of saying "not initialized yet".
        accept: ({ status, text }) => status === 404 && hasAccountStatus(parseJsonText(text)),
      });
      const status = readInitialization(response.text);
      const initialized = status.accountStatus === "INITIALIZED";
      const hint = initialized ? "" : "\n\nInitialize it with: edgekv init";
      await printAnswer(context, options, {
        json: status,
        text: `${renderStatus(status, stdoutPaint(context))}${hint}`,
        msg: initialized ? "EdgeKV already INITIALIZED" : "EdgeKV was not INITIALIZED",
        data: status,
      });
    },
  );
}
