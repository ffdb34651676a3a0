export type Style = "bold" | "dim" | "green" | "yellow" | "red";

const CODES: Readonly<Record<Style, string>> = {
  bold: "1",
  dim: "2",
  green: "32",
  yellow: "33",
  red: "31",
};

/** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
export function colourEnabled(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? "") === "";
}

export type Paint = (text: string, style: Style | undefined) => string;

export function painter(enabled: boolean): Paint {
  return (text, style) =>
    enabled && style !== undefined && text !== "" ? `\u001b[${CODES[style]}m${text}\u001b[0m` : text;
}

/** No colour: what renderers use unless a command passes the paint for its own stdout. */
export const plain: Paint = (text) => text;

export interface Cell {
  text: string;
  style?: Style | undefined;
}

/** An aligned table; colour is added after padding so escape codes never skew the columns. */
export function renderTable(
  headers: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<Cell | string>>,
  paint: Paint = plain,
): string {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === "string" ? { text: cell } : cell)));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...cells.map((row) => row[column]?.text.length ?? 0)),
  );
  const line = (row: readonly Cell[]) =>
    row
      .map((cell, column) => {
        const padding = " ".repeat(Math.max(0, (widths[column] ?? 0) - cell.text.length));
        return column === row.length - 1
          ? paint(cell.text, cell.style)
          : paint(cell.text, cell.style) + padding;
      })
      .join("  ");
  return [line(headers.map((text) => ({ text, style: "bold" }))), ...cells.map(line)].join("\n");
}

/** `Label:   value` lines with the values aligned. */
export function renderFields(
  fields: ReadonlyArray<readonly [string, Cell | string]>,
  paint: Paint = plain,
): string {
  const width = Math.max(...fields.map(([label]) => label.length)) + 2;
  return fields
    .map(([label, value]) => {
      const cell = typeof value === "string" ? { text: value } : value;
      return `${`${label}:`.padEnd(width)}${paint(cell.text, cell.style)}`;
    })
    .join("\n");
}

export const NOT_AVAILABLE = "N/A";

/** The date of `now` in UTC, `YYYY-MM-DD`. */
export const today = (now: Date): string => now.toISOString().slice(0, 10);

/**
 * Whole calendar days from the date of `now` (UTC) to a `YYYY-MM-DD` date; negative once it has
 * passed. `now` is the server's time (see server-time.ts): under `--clock manual` it is not ours.
 */
export function daysUntil(date: string, now: Date): number | null {
  const target = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(target)) return null;
  return Math.round((target - Date.parse(`${today(now)}T00:00:00Z`)) / 86_400_000);
}

export const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? "" : "s"}`;
