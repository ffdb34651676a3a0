import { readFile } from "node:fs/promises";
import { Command, Option } from "commander";
import {
  ALL_CAPABILITIES,
  type ApiClient,
  CAPABILITIES,
  type Capability,
  isCapability,
} from "../accounts/model.ts";
import { recordCommandLineEvent } from "../audit/command-line.ts";
import { parseEdgerc, upsertEdgercSection } from "../edgegrid/index.ts";
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

/** The file's text, or undefined when there is no file yet. */
async function readEdgercText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new UserError(`Cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * Refuses to overwrite a section unless told to: its client would stay enabled with a secret nobody
 * has any more. Returns the client token the section held, if any, for the caller to mention.
 */
function checkSectionFree(input: {
  text: string | undefined;
  path: string;
  section: string;
  force: boolean;
}) {
  if (input.text === undefined) return null;
  const existing = parseEdgerc(input.text).get(input.section);
  if (existing === undefined) return null;
  const held = existing.client_token ?? null;
  if (!input.force) {
    throw new UserError(
      `${input.path} already has a section [${input.section}]${held === null ? "" : ` (client ${held})`}. ` +
        "Choose another --section, or give --force to replace it" +
        (held === null ? "." : ` (that client stays enabled: edgekv credentials revoke ${held}).`),
    );
  }
  return held;
}

async function writeSection(
  path: string,
  input: { text: string | undefined; section: string; values: Record<string, string> },
): Promise<void> {
  const { text, section, values } = input;
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
    .option("--force", "replace the section if the .edgerc file has it already", false)
    .addOption(new Option("--host <host:port>", "the host line for the .edgerc").env("EDGEKV_EDGERC_HOST"))
    .option("--json", "print one JSON document", false);
  for (const option of localStoreOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
The client secret is shown once; only an encrypted copy is stored. The client is created in the
database --data-dir or --database (EDGEKV_DATABASE) names: the one your server runs on.

Example:
  $ edgekv credentials create --account acme --capabilities VIEW_TOKEN,CREATE_TOKEN --edgerc ~/.edgerc --section acme
  $ edgekv credentials create --account ci --database postgres://edgekv@db.internal:5432/edgekv`,
    )
    .action(async (options) => {
      const capabilities = parseCapabilities(options.capabilities);
      const host = options.host ?? `127.0.0.1:${context.env.EDGEKV_PORT ?? "8443"}`;
      // Checked before anything is created, so that a refusal leaves no client behind.
      const edgercText = options.edgerc === undefined ? undefined : await readEdgercText(options.edgerc);
      const replaced =
        options.edgerc === undefined
          ? null
          : checkSectionFree({
              text: edgercText,
              path: options.edgerc,
              section: options.section,
              force: options.force,
            });
      const { created, where } = await withLocalAccounts(
        options,
        async ({ store, accounts, initializer, where }) => {
          await initializer.ensureAccount(options.account);
          const created = await accounts.createClient({
            accountId: options.account,
            capabilities,
            canSwitchAccounts: options.switchAccounts,
            description: options.description,
          });
          await recordCommandLineEvent(store, {
            action: "credentials.create",
            target: `clients/${created.client.clientToken}`,
            accountId: options.account,
            clientToken: created.client.clientToken,
            at: created.client.createdAt,
          });
          return { created, where };
        },
      );
      const credentials = {
        host,
        client_token: created.client.clientToken,
        client_secret: created.clientSecret,
        access_token: created.client.accessToken,
      };
      if (options.edgerc !== undefined) {
        await writeSection(options.edgerc, {
          text: edgercText,
          section: options.section,
          values: credentials,
        });
      }
      if (options.json) {
        printJson(context.stdout, {
          ...describe(created.client),
          clientSecret: created.clientSecret,
          host,
          database: where,
        });
        return;
      }
      const lines = [
        `Created API client ${created.client.clientToken} for account ${options.account} in ${where}.`,
        options.edgerc === undefined
          ? "Put this section in your .edgerc (the secret is not shown again):"
          : `Wrote section [${options.section}] to ${options.edgerc}` +
            (replaced === null ? ":" : ` (it held client ${replaced}, still enabled):`),
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
      const { clients, where } = await withLocalAccounts(options, async ({ store, where }) => ({
        clients: await store.clients.list(
          options.account === undefined ? {} : { accountId: options.account },
        ),
        where,
      }));
      if (options.json) {
        printJson(context.stdout, { database: where, clients: clients.map(describe) });
        return;
      }
      context.stderr.write(`API clients in ${where}:\n`);
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
      const { found, where } = await withLocalAccounts(options, async ({ store, where }) => {
        const client = await store.clients.get(clientToken);
        if (client === null || !(await store.clients.setEnabled(clientToken, false)))
          return { found: false, where };
        await recordCommandLineEvent(store, {
          action: "credentials.revoke",
          target: `clients/${clientToken}`,
          accountId: client.accountId,
          clientToken,
          at: new Date(),
        });
        return { found: true, where };
      });
      if (!found) {
        throw new UserError(
          `No API client ${clientToken} in ${where}. See them with: edgekv credentials list`,
        );
      }
      if (options.json) printJson(context.stdout, { clientToken, enabled: false, database: where });
      else printText(context.stdout, `Revoked API client ${clientToken} in ${where}.`);
    });
}

export function credentialsCommand(context: CliContext): Command {
  return new Command("credentials")
    .description("Manage API clients (EdgeGrid credentials) directly in the database.")
    .addCommand(createCommand(context))
    .addCommand(listCommand(context))
    .addCommand(revokeCommand(context));
}
