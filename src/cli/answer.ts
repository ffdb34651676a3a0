import { mkdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { CliContext } from "./context.ts";
import { printJson, printText } from "./output.ts";
import { UserError } from "./user-error.ts";

/** How a command's result is printed; every command that calls the API takes these. */
export interface OutputOptions {
  /** This CLI's own: the API's JSON on stdout. */
  json?: boolean;
  /** The official CLI's: `{cliStatus, msg, data}` on stdout. */
  jsonout?: boolean;
  /** The official CLI's `--json <path>`: `{cliStatus, msg, data}` written to a file. */
  jsonFile?: string;
}

/** A command's result, in each of the shapes it can be printed in. */
export interface Answer {
  /** What `--json` prints: the API's answer, as it has always been. */
  json: unknown;
  /** What a person reads. */
  text: string;
  /** The official CLI's message and data, for `--jsonout` and `--json <path>`. */
  msg: string;
  data?: unknown;
}

/** Text for a person: the only output that the host line and other notes on stderr go with. */
export const isHuman = (options: OutputOptions) =>
  options.json !== true && options.jsonout !== true && options.jsonFile === undefined;

/** The official CLI's file name when `--json` names a directory. */
const DEFAULT_FILE_NAME = "ekvcli_output.json";

/** As the official CLI reads `--json <path>`: a directory (existing, or ending in `/`) or a file. */
async function outputFile(given: string): Promise<string> {
  const path = resolve(given);
  const isDirectory = given.endsWith("/") || (await stat(path).catch(() => null))?.isDirectory() === true;
  const file = isDirectory ? join(path, DEFAULT_FILE_NAME) : path;
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (error) {
    throw new UserError(`Cannot create ${dirname(file)} for --json: ${(error as Error).message}`);
  }
  return file;
}

export async function printAnswer(
  { stdout }: Pick<CliContext, "stdout">,
  options: OutputOptions,
  answer: Answer,
): Promise<void> {
  if (options.jsonout !== true && options.jsonFile === undefined) {
    if (options.json === true) printJson(stdout, answer.json);
    else printText(stdout, answer.text);
    return;
  }
  // Only success reaches here: a failure is one line on stderr and exit 1, whatever the mode.
  const document = { cliStatus: 0, msg: answer.msg, data: answer.data ?? {} };
  if (options.jsonout === true) printJson(stdout, document);
  if (options.jsonFile !== undefined) {
    const file = await outputFile(options.jsonFile);
    try {
      await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
    } catch (error) {
      throw new UserError(`Cannot write the JSON output to ${file}: ${(error as Error).message}`);
    }
    if (options.jsonout !== true) printText(stdout, `Saving JSON output at: ${file}`);
  }
}
