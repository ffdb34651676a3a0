import { Command, Option } from "commander";
import type { SavedTokensFile } from "../tokens-file/index.ts";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
  type EdgeKvApi,
  segment,
} from "./api-client.ts";
import type { CliContext } from "./context.ts";
import { printJson, printText, stdoutPaint } from "./output.ts";
import type { TokenSaver } from "./save-path.ts";
import { type CreateTokenOptions, createTokenBody } from "./token-input.ts";
import {
  readToken,
  readTokenList,
  renderTokenDetail,
  renderTokenTable,
  type TokenJson,
  tokensFileHint,
} from "./token-view.ts";
import { UserError } from "./user-error.ts";
import { DEFAULT_WAIT_SECONDS, parseTimeout, waitForActivation } from "./wait.ts";

interface SaveOptions {
  save_path?: string;
  overwrite?: boolean;
}

interface WaitOptions {
  wait?: boolean;
  timeout: string;
}

const fetchToken = async (api: EdgeKvApi, name: string) =>
  readToken(await api.json({ method: "GET", path: `/tokens/${segment(name)}` }));

function saveOptions(command: Command): Command {
  return command
    .option(
      "--save_path <path>",
      "write the token into edgekv_tokens.js: a directory, that file, or a bundle .tgz",
    )
    .option("-o, --overwrite", "with --save_path: replace this token's existing entry");
}

function waitOptions(command: Command): Command {
  return command
    .option("--wait", "wait until the activation is COMPLETE (ERROR: exit 1)")
    .option(
      "--timeout <seconds>",
      "with --wait: give up after this many seconds",
      String(DEFAULT_WAIT_SECONDS),
    );
}

/** The tokens-file code (with zlib for bundles) is loaded only by a command given --save_path. */
async function prepareSave(savePath: string | undefined, overwrite: boolean): Promise<TokenSaver | null> {
  if (savePath === undefined) return null;
  const savePathModule = await import("./save-path.ts");
  return savePathModule.prepareSave(savePath, overwrite);
}

function describeSave(saved: SavedTokensFile): string {
  const changes = [
    ...(saved.added.length > 0 ? [`added ${saved.added.join(", ")}`] : []),
    ...(saved.replaced.length > 0 ? [`replaced ${saved.replaced.join(", ")}`] : []),
    ...(saved.migrated.length > 0 ? [`renamed bare keys ${saved.migrated.join(", ")}`] : []),
  ];
  return changes.length === 0 ? "already up to date" : changes.join("; ");
}

/** Saving comes before any wait: the entry (uuid or JWT) is final even while activation runs. */
async function save(
  token: TokenJson,
  saver: TokenSaver | null,
  { created = false }: { created?: boolean } = {},
): Promise<SavedTokensFile | null> {
  if (saver === null) return null;
  try {
    return await saver.save(token);
  } catch (error) {
    if (!created || !(error instanceof UserError)) throw error;
    throw new UserError(
      `Token ${token.name} was created but not saved: ${error.message.replace(/\.?$/, ".")} ` +
        `Save it with: edgekv token download ${token.name} --save_path ${saver.path}`,
    );
  }
}

/** The JSON answer, or what happened, the token, and where it went (or how to add it by hand). */
function print(
  context: CliContext,
  token: TokenJson,
  {
    json,
    saved,
    headline,
    hint = true,
  }: { json: boolean; saved: SavedTokensFile | null; headline: string; hint?: boolean },
): void {
  if (json) {
    printJson(context.stdout, token);
    return;
  }
  const after =
    saved !== null
      ? [`Saved token ${token.name} to ${saved.file} (${describeSave(saved)}).`]
      : hint
        ? [tokensFileHint(token)]
        : [];
  const pending =
    token.tokenActivationStatus === "IN_PROGRESS"
      ? [
          `The token works once its activation is COMPLETE; follow it with: edgekv token show ${token.name} --wait`,
        ]
      : [];
  printText(
    context.stdout,
    [
      headline,
      "",
      renderTokenDetail(token, undefined, stdoutPaint(context)),
      ...(pending.length + after.length === 0 ? [] : [""]),
      ...pending,
      ...after,
    ].join("\n"),
  );
}

function createCommand(context: CliContext): Command {
  const command = new Command("create")
    .description("Create an access token (enhanced; legacy with --expiry).")
    .argument("<name>", "the token name: 1 to 32 letters, digits, _ or -")
    .addOption(
      new Option("--staging <allow|deny>", "whether the token works on staging")
        .choices(["allow", "deny"])
        .makeOptionMandatory(),
    )
    .addOption(
      new Option("--production <allow|deny>", "whether the token works on production")
        .choices(["allow", "deny"])
        .makeOptionMandatory(),
    )
    .requiredOption("--ewids <all|id,id>", 'EdgeWorker ids the token is limited to (at most 8), or "all"')
    .requiredOption("--namespace <ns+perms,...>", "namespaces and permissions, e.g. default+rwd,ns2+r")
    .option("--expiry <YYYY-MM-DD>", "make a legacy token (a JWT value) that expires at the end of that day");
  saveOptions(command);
  waitOptions(command);
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv token create my_token --staging allow --production deny --ewids all --namespace default+rwd --wait ${CONNECTION_EXAMPLE}`,
  ).action(
    async (name: string, options: CreateTokenOptions & SaveOptions & WaitOptions & ConnectionOptions) => {
      const body = createTokenBody(name, options);
      const timeoutSeconds = parseTimeout(options.timeout);
      const saver = await prepareSave(options.save_path, options.overwrite === true);
      const api = await connect(options, context);
      let token = readToken(await api.json({ method: "POST", path: "/tokens", json: body }));
      const saved = await save(token, saver, { created: true });
      if (options.wait) {
        token = await waitForActivation({
          token,
          fetch: () => fetchToken(api, token.name),
          timeoutSeconds,
          context,
        });
      }
      print(context, token, { json: options.json === true, saved, headline: `Created token ${token.name}.` });
    },
  );
}

function listCommand(context: CliContext): Command {
  const command = new Command("list")
    .description("List the account's tokens, sorted by name.")
    .option("--include-expired", "also list tokens that expired less than 30 days ago");
  addConnectionOptions(command);
  return addExamples(command, `edgekv token list --include-expired ${CONNECTION_EXAMPLE}`).action(
    async (options: { includeExpired?: boolean } & ConnectionOptions) => {
      const api = await connect(options, context);
      const answer = await api.json({
        method: "GET",
        path: "/tokens",
        query: { includeExpired: options.includeExpired ? "true" : undefined },
      });
      const tokens = readTokenList(answer);
      if (options.json) printJson(context.stdout, answer);
      else printText(context.stdout, renderTokenTable(tokens, undefined, stdoutPaint(context)));
    },
  );
}

function showCommand(context: CliContext): Command {
  const command = new Command("show")
    .description("Show one token in detail (with --wait, once its activation has ended).")
    .argument("<name>", "the token name");
  waitOptions(command);
  addConnectionOptions(command);
  return addExamples(command, `edgekv token show my_token ${CONNECTION_EXAMPLE}`).action(
    async (name: string, options: WaitOptions & ConnectionOptions) => {
      const timeoutSeconds = parseTimeout(options.timeout);
      const api = await connect(options, context);
      let token = await fetchToken(api, name);
      if (options.wait) {
        token = await waitForActivation({
          token,
          fetch: () => fetchToken(api, name),
          timeoutSeconds,
          context,
        });
      }
      if (options.json) printJson(context.stdout, token);
      else printText(context.stdout, renderTokenDetail(token, undefined, stdoutPaint(context)));
    },
  );
}

function downloadCommand(context: CliContext): Command {
  const command = new Command("download")
    .description("Fetch a token to put into edgekv_tokens.js (with --save_path, write it there).")
    .argument("<name>", "the token name");
  saveOptions(command);
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv token download my_token --save_path ./bundle ${CONNECTION_EXAMPLE}`,
  ).action(async (name: string, options: SaveOptions & ConnectionOptions) => {
    const saver = await prepareSave(options.save_path, options.overwrite === true);
    const token = await fetchToken(await connect(options, context), name);
    const saved = await save(token, saver);
    print(context, token, { json: options.json === true, saved, headline: `Token ${token.name}:` });
  });
}

function refreshCommand(context: CliContext): Command {
  const command = new Command("refresh")
    .description("Re-issue an enhanced token's credential; the old one works until the new one is active.")
    .argument("<name>", "the token name");
  waitOptions(command);
  saveOptions(command);
  addConnectionOptions(command);
  return addExamples(
    command,
    `edgekv token refresh my_token --wait --timeout 120 ${CONNECTION_EXAMPLE}`,
  ).action(async (name: string, options: SaveOptions & WaitOptions & ConnectionOptions) => {
    const timeoutSeconds = parseTimeout(options.timeout);
    const saver = await prepareSave(options.save_path, options.overwrite === true);
    const api = await connect(options, context);
    let token = readToken(await api.json({ method: "POST", path: `/tokens/${segment(name)}/refresh` }));
    const saved = await save(token, saver);
    if (options.wait) {
      token = await waitForActivation({ token, fetch: () => fetchToken(api, name), timeoutSeconds, context });
    }
    print(context, token, {
      json: options.json === true,
      saved,
      headline: `Token ${token.name} has been refreshed.`,
      // A refresh keeps the uuid, so edgekv_tokens.js needs no change unless asked to save.
      hint: false,
    });
  });
}

function revokeCommand(context: CliContext): Command {
  const command = new Command("revoke")
    .description(
      "Revoke a token for good: the data plane refuses it from now on, and the name is free again.",
    )
    .argument("<name>", "the token name");
  addConnectionOptions(command);
  return addExamples(command, `edgekv token revoke my_token ${CONNECTION_EXAMPLE}`).action(
    async (name: string, options: ConnectionOptions) => {
      const api = await connect(options, context);
      const answer = await api.json({ method: "DELETE", path: `/tokens/${segment(name)}` });
      if (options.json) printJson(context.stdout, answer);
      else printText(context.stdout, `${name} was revoked and removed from the EdgeKV access token list.`);
    },
  );
}

export function tokenCommand(context: CliContext): Command {
  return new Command("token")
    .description("Create, list, show, download, refresh and revoke EdgeKV access tokens.")
    .addCommand(createCommand(context))
    .addCommand(listCommand(context))
    .addCommand(showCommand(context))
    .addCommand(downloadCommand(context))
    .addCommand(refreshCommand(context))
    .addCommand(revokeCommand(context))
    .addHelpText(
      "after",
      `\nExample:\n  $ edgekv token create my_token --staging allow --production allow --ewids all --namespace default+rwd --wait ${CONNECTION_EXAMPLE}`,
    );
}
