import { Command } from "commander";
import { printAnswer } from "./answer.ts";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
  segment,
} from "./api-client.ts";
import { type CommandWords, leafCommand } from "./command-words.ts";
import type { CliContext } from "./context.ts";
import { plural, renderTable } from "./format.ts";
import { groupIdNumber, isRecord } from "./namespace-view.ts";
import { stdoutPaint } from "./output.ts";
import { UserError } from "./user-error.ts";

/** A permission group as GET /edgekv/v1/auth/groups returns it. */
interface PermissionGroupJson {
  groupId: number;
  groupName: string;
  capabilities: string[];
}

function readGroup(value: unknown): PermissionGroupJson {
  if (!isRecord(value) || typeof value.groupId !== "number" || !Array.isArray(value.capabilities)) {
    throw new UserError("The server answered with something that is not a permission group.");
  }
  return value as unknown as PermissionGroupJson;
}

function parseGroupIds(text: string): string[] {
  const ids = text.split(",").map((id) => id.trim());
  const bad = ids.find((id) => !/^\d{1,15}$/.test(id));
  if (bad !== undefined) {
    throw new UserError(
      `Invalid --groupIds "${text}": give numeric group ids separated by commas, e.g. 0,42.`,
    );
  }
  return [...new Set(ids)];
}

/** Why --include_ew_groups adds nothing here; said once, on stderr, so stdout keeps its shape. */
const NO_EDGEWORKERS =
  "edgekv: EdgeWorkers groups are not available here: this server has no EdgeWorkers API, so --include_ew_groups lists EdgeKV capabilities only.\n";

export function authGroupListCommand(context: CliContext, words: CommandWords = "auth-group list"): Command {
  const command = leafCommand(words)
    .description("List the permission groups of the account's namespaces and what you may do in them.")
    .option("--groupIds <ids>", "only these groups, e.g. 0,42")
    .option(
      "--incewg, --include_ew_groups",
      "also list EdgeWorkers capabilities (not available on this server: accepted, says so)",
    );
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} --groupIds 0 ${CONNECTION_EXAMPLE}`).action(
    async (options: { groupIds?: string; include_ew_groups?: boolean } & ConnectionOptions) => {
      const ids = options.groupIds === undefined ? undefined : parseGroupIds(options.groupIds);
      const api = await connect(options, context);
      const answer =
        ids === undefined
          ? await api.json({ method: "GET", path: "/auth/groups" })
          : {
              groups: await Promise.all(
                ids.map((id) => api.json({ method: "GET", path: `/auth/groups/${segment(id)}` })),
              ),
            };
      if (!isRecord(answer) || !Array.isArray(answer.groups)) {
        throw new UserError("The server answered with something that is not a list of permission groups.");
      }
      const groups = answer.groups.map(readGroup);
      const ewGroups = options.include_ew_groups === true;
      if (ewGroups) context.stderr.write(NO_EDGEWORKERS);
      const table = renderTable(
        ["GROUP ID", "GROUP NAME", "EDGEKV CAPABILITIES"],
        groups.map((group) => [String(group.groupId), group.groupName, group.capabilities.join(",")]),
        stdoutPaint(context),
      );
      await printAnswer(context, options, {
        json: answer,
        text:
          groups.length === 0
            ? "No permission groups: the account has no namespaces."
            : `${table}\n\n${plural(groups.length, "permission group")}.`,
        msg: `User has the following permission access for group: ${options.groupIds ?? "any"}`,
        data: { authGroups: answer, ...(ewGroups ? { ewGroups: [] } : {}) },
      });
    },
  );
}

export function authGroupModifyCommand(
  context: CliContext,
  words: CommandWords = "auth-group modify",
): Command {
  const command = leafCommand(words)
    .description("Move a namespace to another permission group, on every network it exists on.")
    .argument("<namespace>", "the namespace name")
    .argument("<groupId>", "the permission group's id; 0 for none");
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} marketing 42 ${CONNECTION_EXAMPLE}`).action(
    async (namespace: string, groupIdText: string, options: ConnectionOptions) => {
      const groupId = groupIdNumber(groupIdText, "groupId");
      const answer = await (await connect(options, context)).json({
        method: "PUT",
        path: `/auth/namespaces/${segment(namespace)}`,
        json: { groupId },
      });
      await printAnswer(context, options, {
        json: answer,
        text: `Namespace ${namespace} is now in permission group ${groupId}, on every network it exists on.`,
        msg: `The Permission Group for namespace ${namespace} was successfully modified to groupId ${groupId}`,
      });
    },
  );
}

export function authGroupCommand(context: CliContext): Command {
  return new Command("auth-group")
    .description("List permission groups and move namespaces between them.")
    .addCommand(authGroupListCommand(context))
    .addCommand(authGroupModifyCommand(context).alias("update"))
    .addHelpText("after", `\nExample:\n  $ edgekv auth-group modify marketing 42 ${CONNECTION_EXAMPLE}`);
}
