import { Command, Option } from "commander";
import type { SavedTokensFile } from "../tokens-file/index.ts";
import { printAnswer } from "./answer.ts";
import {
  addConnectionOptions,
  addExamples,
  CONNECTION_EXAMPLE,
  type ConnectionOptions,
  connect,
  type EdgeKvApi,
  segment,
} from "./api-client.ts";
import { type CommandWords, leafCommand } from "./command-words.ts";
import type { CliContext } from "./context.ts";
import { stdoutPaint } from "./output.ts";
import type { TokenSaver } from "./save-path.ts";
import { datesNow, printToken } from "./token-answer.ts";
import { type CreateTokenOptions, createTokenBody } from "./token-input.ts";
import { tokenVerifyCommand } from "./token-verify.ts";
import {
  readToken,
  readTokenList,
  renderTokenDetail,
  renderTokenTable,
  type TokenJson,
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
      "give up on an answer, and with --wait on the activation, after this many seconds",
      String(DEFAULT_WAIT_SECONDS),
    );
}

/** The tokens-file code (with zlib for bundles) is loaded only by a command given --save_path. */
async function prepareSave(savePath: string | undefined, overwrite: boolean): Promise<TokenSaver | null> {
  if (savePath === undefined) return null;
  const savePathModule = await import("./save-path.ts");
  return savePathModule.prepareSave(savePath, overwrite);
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

export function tokenCreateCommand(context: CliContext, words: CommandWords = "token create"): Command {
  const command = leafCommand(words)
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
    `edgekv ${words} my_token --staging allow --production deny --ewids all --namespace default+rwd --wait ${CONNECTION_EXAMPLE}`,
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
          serverNow: api.now,
          timeoutSeconds,
          context,
        });
      }
      await printToken(context, options, token, {
        saved,
        headline: `Created token ${token.name}.`,
        now: datesNow(api, context, options, [token]),
      });
    },
  );
}

export function tokenListCommand(context: CliContext, words: CommandWords = "token list"): Command {
  const command = leafCommand(words)
    .description("List the account's tokens, sorted by name.")
    .option("--include-expired", "also list tokens that expired less than 30 days ago");
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} --include-expired ${CONNECTION_EXAMPLE}`).action(
    async (options: { includeExpired?: boolean } & ConnectionOptions) => {
      const api = await connect(options, context);
      const answer = await api.json({
        method: "GET",
        path: "/tokens",
        query: { includeExpired: options.includeExpired ? "true" : undefined },
      });
      const tokens = readTokenList(answer);
      await printAnswer(context, options, {
        json: answer,
        text: renderTokenTable(tokens, datesNow(api, context, options, tokens), stdoutPaint(context)),
        msg: "The following tokens are available for you to download",
        data: answer,
      });
    },
  );
}

export function tokenShowCommand(context: CliContext, words: CommandWords = "token show"): Command {
  const command = leafCommand(words)
    .description("Show one token in detail (with --wait, once its activation has ended).")
    .argument("<name>", "the token name");
  waitOptions(command);
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} my_token ${CONNECTION_EXAMPLE}`).action(
    async (name: string, options: WaitOptions & ConnectionOptions) => {
      const timeoutSeconds = parseTimeout(options.timeout);
      const api = await connect(options, context);
      let token = await fetchToken(api, name);
      if (options.wait) {
        token = await waitForActivation({
          token,
          fetch: () => fetchToken(api, name),
          serverNow: api.now,
          timeoutSeconds,
          context,
        });
      }
      await printAnswer(context, options, {
        json: token,
        text: renderTokenDetail(token, datesNow(api, context, options, [token]), stdoutPaint(context)),
        msg: `Token ${token.name} was successfully retrieved`,
        data: token,
      });
    },
  );
}

export function tokenDownloadCommand(context: CliContext, words: CommandWords = "token download"): Command {
  const command = leafCommand(words)
    .description("Fetch a token to put into edgekv_tokens.js (with --save_path, write it there).")
    .argument("<name>", "the token name");
  saveOptions(command);
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} my_token --save_path ./bundle ${CONNECTION_EXAMPLE}`).action(
    async (name: string, options: SaveOptions & ConnectionOptions) => {
      const saver = await prepareSave(options.save_path, options.overwrite === true);
      const api = await connect(options, context);
      const token = await fetchToken(api, name);
      const saved = await save(token, saver);
      await printToken(context, options, token, {
        saved,
        headline: `Token ${token.name}:`,
        now: datesNow(api, context, options, [token]),
      });
    },
  );
}

export function tokenRefreshCommand(context: CliContext, words: CommandWords = "token refresh"): Command {
  const command = leafCommand(words)
    .description("Re-issue an enhanced token's credential; the old one works until the new one is active.")
    .argument("<name>", "the token name");
  waitOptions(command);
  saveOptions(command);
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} my_token --wait --timeout 120 ${CONNECTION_EXAMPLE}`).action(
    async (name: string, options: SaveOptions & WaitOptions & ConnectionOptions) => {
      const timeoutSeconds = parseTimeout(options.timeout);
      const saver = await prepareSave(options.save_path, options.overwrite === true);
      const api = await connect(options, context);
      let token = readToken(await api.json({ method: "POST", path: `/tokens/${segment(name)}/refresh` }));
      const saved = await save(token, saver);
      if (options.wait) {
        token = await waitForActivation({
          token,
          fetch: () => fetchToken(api, name),
          serverNow: api.now,
          timeoutSeconds,
          context,
        });
      }
      await printToken(context, options, token, {
        saved,
        headline: `Token ${token.name} has been refreshed.`,
        // A refresh keeps the uuid, so edgekv_tokens.js needs no change unless asked to save.
        hint: false,
        msg: `Token "${token.name}" has been refreshed`,
        now: datesNow(api, context, options, [token]),
      });
    },
  );
}

export function tokenRevokeCommand(context: CliContext, words: CommandWords = "token revoke"): Command {
  const command = leafCommand(words)
    .description(
      "Revoke a token for good: the data plane refuses it from now on, and the name is free again.",
    )
    .argument("<name>", "the token name");
  addConnectionOptions(command);
  return addExamples(command, `edgekv ${words} my_token ${CONNECTION_EXAMPLE}`).action(
    async (name: string, options: ConnectionOptions) => {
      const api = await connect(options, context);
      const answer = await api.json({ method: "DELETE", path: `/tokens/${segment(name)}` });
      await printAnswer(context, options, {
        json: answer,
        text: `${name} was revoked and removed from the EdgeKV access token list.`,
        msg: `${name} was successfully revoked and removed from the EdgeKV access token list.`,
      });
    },
  );
}

export function tokenCommand(context: CliContext): Command {
  return new Command("token")
    .description("Create, list, show, download, refresh, revoke and verify EdgeKV access tokens.")
    .addCommand(tokenCreateCommand(context))
    .addCommand(tokenListCommand(context))
    .addCommand(tokenShowCommand(context))
    .addCommand(tokenDownloadCommand(context))
    .addCommand(tokenRefreshCommand(context))
    .addCommand(tokenRevokeCommand(context))
    .addCommand(tokenVerifyCommand(context))
    .addHelpText(
      "after",
      `\nExample:\n  $ edgekv token create my_token --staging allow --production allow --ewids all --namespace default+rwd --wait ${CONNECTION_EXAMPLE}`,
    );
}
