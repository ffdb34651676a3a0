import { isBlankOrComment, sectionHeaderName } from "./edgerc-syntax.ts";

const hasLineBreak = (text: string) => /[\r\n]/.test(text);

function assertWritable(section: string, values: Readonly<Record<string, string>>): void {
  if (section.trim() === "" || section.trim() !== section || /[[\]\r\n]/.test(section)) {
    throw new Error(`Cannot write the .edgerc section name ${JSON.stringify(section)}.`);
  }
  for (const [key, value] of Object.entries(values)) {
    if (!/^[A-Za-z0-9_.-]+$/.test(key))
      throw new Error(`Cannot write the .edgerc key ${JSON.stringify(key)}.`);
    if (hasLineBreak(value)) throw new Error(`The .edgerc value of ${key} must not contain a line break.`);
  }
}

interface Occurrence {
  /** Index of the `[name]` line. */
  readonly start: number;
  /** One past the last setting line; trailing blank and comment lines are left to what follows. */
  readonly end: number;
}

/** The line without its terminator, as the shared grammar expects. */
const content = (line: string | undefined) => (line ?? "").replace(/\r?\n$/, "");

function occurrencesOf(lines: readonly string[], section: string): Occurrence[] {
  const found: Occurrence[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (sectionHeaderName(content(lines[index])) !== section) continue;
    let end = index + 1;
    for (let next = index + 1; next < lines.length; next += 1) {
      const line = content(lines[next]);
      if (sectionHeaderName(line) !== null) break;
      if (!isBlankOrComment(line)) end = next + 1;
    }
    found.push({ start: index, end });
  }
  return found;
}

/**
 * The `.edgerc` text with `section` holding exactly `values` as plain `key = value` lines: the first
 * occurrence is replaced in place (later duplicates are dropped, since readers disagree on them), or
 * the section is appended. Every other line stays byte-identical, so writing the same values twice
 * returns the input unchanged.
 */
export function upsertEdgercSection({
  text = "",
  section,
  values,
}: {
  text?: string;
  section: string;
  values: Readonly<Record<string, string>>;
}): string {
  assertWritable(section, values);
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const block = [`[${section}]`, ...Object.entries(values).map(([key, value]) => `${key} = ${value}`)]
    .map((line) => `${line}${newline}`)
    .join("");
  // Each element keeps its own line ending, so untouched lines are copied exactly.
  const lines = text === "" ? [] : text.split(/(?<=\n)/);
  const [first, ...duplicates] = occurrencesOf(lines, section);

  if (first === undefined) {
    if (text.trim() === "") return block;
    const terminated = text.endsWith("\n") ? text : `${text}${newline}`;
    const separated = /\r?\n\r?\n$/.test(terminated) ? terminated : `${terminated}${newline}`;
    return `${separated}${block}`;
  }

  const dropped = new Set<number>();
  for (const { start, end } of duplicates) {
    for (let index = start; index < end; index += 1) dropped.add(index);
  }
  const output: string[] = [];
  for (const [index, line] of lines.entries()) {
    if (index === first.start) output.push(block);
    else if ((index > first.start && index < first.end) || dropped.has(index)) continue;
    else output.push(line);
  }
  return output.join("");
}
