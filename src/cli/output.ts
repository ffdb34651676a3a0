import type { CliContext, TextSink } from "./context.ts";
import { colourEnabled, type Paint, painter } from "./format.ts";

/** The text with exactly one newline at its end. */
export function printText(sink: TextSink, text: string): void {
  sink.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function printJson(sink: TextSink, value: unknown): void {
  sink.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Colour for what goes to the context's stdout, when that is a terminal and NO_COLOR is unset. */
export const stdoutPaint = ({ stdout, env }: Pick<CliContext, "stdout" | "env">): Paint =>
  painter(colourEnabled(stdout, env));
