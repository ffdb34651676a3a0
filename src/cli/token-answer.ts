import type { SavedTokensFile } from "../tokens-file/index.ts";
import { type OutputOptions, printAnswer } from "./answer.ts";
import type { CliContext } from "./context.ts";
import { stdoutPaint } from "./output.ts";
import { renderTokenDetail, type TokenJson, tokensFileHint } from "./token-view.ts";

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
  }: { saved: SavedTokensFile | null; headline: string; hint?: boolean; msg?: string },
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
    renderTokenDetail(token, undefined, stdoutPaint(context)),
    ...(pending.length + after.length === 0 ? [] : [""]),
    ...pending,
    ...after,
  ].join("\n");
  await printAnswer(context, options, { json: token, text, msg, data: token });
}
