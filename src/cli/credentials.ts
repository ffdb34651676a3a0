import { readFile } from "node:fs/promises";
import { Command, Option } from "commander";
import {
  ALL_CAPABILITIES,
  type ApiClient,
  CAPABILITIES,
  type Capability,
  isCapability,
} from "../accounts/model.ts";
import { upsertEdgercSection } from "../edgegrid/index.ts";
import { writeAtomically } from "../fs/atomic-write.ts";
import type { CliContext } from "./context.ts";
import { renderTable } from "./format.ts";
import { localStoreOptions, withLocalAccounts } from "./local-store.ts";
import { printJson, printText, stdoutPaint } from "./output.ts";
import { UserError } from "./user-error.ts";

/** `all` for every EdgeKV capability (SERVER_ADMIN only when named), else the names. */
function describeCapabilities(capabilities: readonly Capability[]): string {
  const edgekv = CAPABILITIES.every((capability) => capabilities.includes(capability));
  const rest = capabilities.filter(
    (capability) => !edgekv || !(CAPABILITIES as readonly string[]).includes(capability),
  );
  return [...(edgekv ? ["all"] : []), ...rest].join(",");
}

/** "all" is every EdgeKV capability; SERVER_ADMIN (it moves the server's clock) must be named. */
export function parseCapabilities(text: string | undefined): Capability[] {
  if (text === undefined || text.trim().toLowerCase() === "all") return [...CAPABILITIES];
  const names = text
    .split(",")
    .map((name) => name.trim().toUpperCase())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !isCapability(name));
  if (unknown.length > 0 || names.length === 0) {
    throw new UserError(
      `Unknown capability ${unknown.join(", ") || "(none given)"}. Use "all" or a comma-separated list of: ${ALL_CAPABILITIES.join(", ")}`,
    );
  }
  return names as Capability[];
}

const describe = (client: ApiClient) => ({
  clientToken: client.clientToken,
  accessToken: client.accessToken,
  account: client.accountId,
  capabilities: client.capabilities,
  canSwitchAccounts: client.canSwitchAccounts,
  enabled: client.enabled,
  description: client.description,
  createdAt: client.createdAt.toISOString(),
});

async function writeSection(path: string, section: string, values: Record<string, string>): Promise<void> {
  let text: string | undefined;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new UserError(`Cannot read ${path}: ${(error as Error).message}`);
    }
  }
  try {
    await writeAtomically(
      path,
      upsertEdgercSection({ ...(text === undefined ? {} : { text }), section, values }),
      {
        mode: 0o600,
      },
    );
  } catch (error) {
    throw new UserError(`Cannot write ${path}: ${(error as Error).message}`);
  }
}

function createCommand(context: CliContext): Command {
  const command = new Command("create")
    .description("Create an API client (EdgeGrid credentials) for an account; the account is created if new.")
    .requiredOption("--account <id>", "the account the client acts on")
    .option(
      "--capabilities <list>",
      `comma-separated capabilities, or "all" (every EdgeKV capability; add SERVER_ADMIN by name)`,
      "all",
    )
    .option("--switch-accounts", "allow accountSwitchKey to act on other accounts", false)
    .option("--description <text>", "a note stored with the client", "")
    .option("--edgerc <file>", "also write the credentials into this .edgerc file")
    .option("--section <name>", "the .edgerc section to write", "default")
    .addOption(new Option("--host <host:port>", "the host line for the .edgerc").env("EDGEKV_EDGERC_HOST"))
    .option("--json", "print one JSON document", false);
  for (const option of localStoreOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
The client secret is shown once; only an encrypted copy is stored.

Example:
  $ edgekv credentials create --account acme --capabilities VIEW_TOKEN,CREATE_TOKEN --edgerc ~/.edgerc --section acme`,
    )
    .action(async (options) => {
      const capabilities = parseCapabilities(options.capabilities);
      const host = options.host ?? `127.0.0.1:${context.env.EDGEKV_PORT ?? "8443"}`;
      const created = await withLocalAccounts(options, async ({ accounts, initializer }) => {
        await initializer.ensureAccount(options.account);
        return accounts.createClient({
          accountId: options.account,
          capabilities,
          canSwitchAccounts: options.switchAccounts,
          description: options.description,
        });
      });
      const credentials = {
        host,
        client_token: created.client.clientToken,
        client_secret: created.clientSecret,
        access_token: created.client.accessToken,
      };
      if (options.edgerc !== undefined) await writeSection(options.edgerc, options.section, credentials);
      if (options.json) {
        printJson(context.stdout, { ...describe(created.client), clientSecret: created.clientSecret, host });
        return;
      }
      const lines = [
        `Created API client ${created.client.clientToken} for account ${options.account}.`,
        options.edgerc === undefined
          ? "Put this section in your .edgerc (the secret is not shown again):"
          : `Wrote section [${options.section}] to ${options.edgerc}:`,
        "",
        `[${options.section}]`,
        ...Object.entries(credentials).map(([key, value]) => `${key} = ${value}`),
        "",
      ];
      printText(context.stdout, `${lines.join("\n")}\n`);
    });
}

function listCommand(context: CliContext): Command {
  const command = new Command("list")
    .description("List API clients (never their secrets).")
    .option("--account <id>", "only this account's clients")
    .option("--json", "print one JSON document", false);
  for (const option of localStoreOptions()) command.addOption(option);
  return command
    .addHelpText("after", "\nExample:\n  $ edgekv credentials list --account default")
    .action(async (options) => {
      const clients = await withLocalAccounts(options, ({ store }) =>
        store.clients.list(options.account === undefined ? {} : { accountId: options.account }),
      );
      if (options.json) {
        printJson(context.stdout, { clients: clients.map(describe) });
        return;
      }
      const rows = clients.map((client) => [
        client.clientToken,
        client.accountId,
        client.enabled ? "enabled" : "revoked",
        describeCapabilities(client.capabilities),
        client.createdAt.toISOString().slice(0, 19).replace("T", " "),
      ]);
      printText(
        context.stdout,
        renderTable(
          ["CLIENT TOKEN", "ACCOUNT", "STATE", "CAPABILITIES", "CREATED (UTC)"],
          rows,
          stdoutPaint(context),
        ),
      );
    });
}

function revokeCommand(context: CliContext): Command {
  const command = new Command("revoke")
    .description("Disable an API client: its requests are refused with 401 Inactive client token.")
    .argument("<client-token>", "the client_token to disable")
    .option("--json", "print one JSON document", false);
  for (const option of localStoreOptions()) command.addOption(option);
  return command
    .addHelpText("after", "\nExample:\n  $ edgekv credentials revoke akab-abcdefghijklmnop-qrstuvwxyz234567")
    .action(async (clientToken: string, options) => {
      const found = await withLocalAccounts(options, ({ store }) =>
        store.clients.setEnabled(clientToken, false),
      );
      if (!found) throw new UserError(`No API client ${clientToken}. See them with: edgekv credentials list`);
      if (options.json) printJson(context.stdout, { clientToken, enabled: false });
      else printText(context.stdout, `Revoked API client ${clientToken}.`);
    });
}

export function credentialsCommand(context: CliContext): Command {
  return new Command("credentials")
    .description("Manage API clients (EdgeGrid credentials) directly in the database.")
    .addCommand(createCommand(context))
    .addCommand(listCommand(context))
    .addCommand(revokeCommand(context));
}
