import type { SavedTokensFile } from "../tokens-file/index.ts";
import { isHuman, type OutputOptions, printAnswer } from "./answer.ts";
import type { EdgeKvApi } from "./api-client.ts";
import type { CliContext } from "./context.ts";
import { stdoutPaint } from "./output.ts";
import { localTimeNote } from "./server-time.ts";
import { renderTokenDetail, showsRelativeDates, type TokenJson, tokensFileHint } from "./token-view.ts";

/**
 * The time the tokens' relative dates are told from: the server's, as its latest answer gave it.
 * When no answer said a time it is this computer's, and stderr says so to a person (JSON output
 * holds no relative dates).
 */
export function datesNow(
  api: Pick<EdgeKvApi, "now" | "host">,
  { stderr }: Pick<CliContext, "stderr">,
  options: OutputOptions,
  tokens: readonly TokenJson[],
): Date {
  const now = api.now();
  if (now.source === "local" && isHuman(options) && tokens.some(showsRelativeDates)) {
    stderr.write(localTimeNote(api.host));
  }
  return now.at;
}

function describeSave(saved: SavedTokensFile): string {
  const changes = [
    ...(saved.added.length > 0 ? [`added ${saved.added.join(", ")}`] : []),
    ...(saved.replaced.length > 0 ? [`replaced ${saved.replaced.join(", ")}`] : []),
    ...(saved.migrated.length > 0 ? [`renamed bare keys ${saved.migrated.join(", ")}`] : []),
  ];
  return changes.length === 0 ? "already up to date" : changes.join("; ");
}

/** The official CLI's message for a token it printed or saved. */
const tokenMessage = (token: TokenJson, saved: SavedTokensFile | null) =>
  saved !== null
    ? `Token in ${saved.file} was successfully updated.`
    : `Add the token ${typeof token.value === "string" ? "value" : "reference"} in edgekv_tokens.js file and place it in your bundle. Use --save_path option to save the token file to your bundle`;

/** The JSON answer, or what happened, the token, and where it went (or how to add it by hand). */
export async function printToken(
  context: CliContext,
  options: OutputOptions,
  token: TokenJson,
  {
    saved,
    headline,
    hint = true,
    msg = tokenMessage(token, saved),
    now,
  }: {
    saved: SavedTokensFile | null;
    headline: string;
    hint?: boolean;
    msg?: string;
    /** The server's time (see datesNow). */
    now: Date;
  },
): Promise<void> {
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
  const text = [
    headline,
    "",
    renderTokenDetail(token, now, stdoutPaint(context)),
    ...(pending.length + after.length === 0 ? [] : [""]),
    ...pending,
    ...after,
  ].join("\n");
  await printAnswer(context, options, { json: token, text, msg, data: token });
}
