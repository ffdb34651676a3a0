import { EventEmitter } from "node:events";
import type { Command, OutputConfiguration } from "commander";
import type { CliContext, TextSink } from "./context.ts";
import { colourEnabled } from "./format.ts";

/** The command and every command below it. */
export function everyCommand(command: Command): Command[] {
  return [command, ...command.commands.flatMap(everyCommand)];
}

/** Commander's own width when the sink is not a terminal. */
const DEFAULT_HELP_WIDTH = 80;

const helpWidth = (sink: TextSink) =>
  sink.isTTY === true && sink.columns !== undefined ? sink.columns : DEFAULT_HELP_WIDTH;

/**
 * Commander's help, usage errors and its filling of options from environment variables follow the
 * context. Subcommands added with addCommand inherit none of their parent's settings, so each one is
 * configured.
 */
export function bindCommanderToContext(program: Command, context: CliContext): void {
  const { stdout, stderr, env } = context;
  const output: OutputConfiguration = {
    writeOut: (text) => {
      stdout.write(text);
    },
    writeErr: (text) => {
      stderr.write(text);
    },
    getOutHelpWidth: () => helpWidth(stdout),
    getErrHelpWidth: () => helpWidth(stderr),
    getOutHasColors: () => colourEnabled(stdout, env),
    getErrHasColors: () => colourEnabled(stderr, env),
  };
  for (const command of everyCommand(program)) command.configureOutput(output);
  if (env !== process.env) {
    program.hook("preAction", (_program, action) => {
      for (let command: Command | null = action; command !== null; command = command.parent) {
        fillOptionsFromEnv(command, env);
      }
    });
  }
}

/**
 * Commander has already filled options from process.env; this fills them again from another
 * environment. As in commander, a value from the command line wins over the environment, and the
 * value goes through commander's own handler (choices, parsers) by the event commander listens to.
 */
function fillOptionsFromEnv(command: Command, env: NodeJS.ProcessEnv): void {
  // A Command is an EventEmitter, though commander's typings do not say so.
  if (!(command instanceof EventEmitter)) return;
  for (const option of command.options) {
    if (option.envVar === undefined) continue;
    const key = option.attributeName();
    const source = command.getOptionValueSource(key);
    if (source !== undefined && source !== "default" && source !== "env") continue;
    const value = env[option.envVar];
    if (value === undefined) {
      if (source === "env") command.setOptionValueWithSource(key, option.defaultValue, "default");
    } else if (option.required || option.optional) {
      command.emit(`optionEnv:${option.name()}`, value);
    } else {
      command.emit(`optionEnv:${option.name()}`);
    }
  }
}
