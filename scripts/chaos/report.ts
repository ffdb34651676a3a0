import type { Loss, Tally } from "./ledger.ts";
import type { TargetName } from "./options.ts";

export interface TargetResult {
  readonly label: TargetName;
  readonly cyclesDone: number;
  readonly tally: Tally;
  /** Null where there is no file to check (PostgreSQL). */
  readonly integrity: { readonly ok: number; readonly total: number } | null;
  readonly integrityFailures: readonly string[];
  readonly wallMs: number;
  readonly losses: readonly Loss[];
  readonly notes: readonly string[];
  /** Why the run of this target stopped before its last cycle. */
  readonly error: string | null;
}

export interface CycleLine {
  readonly label: TargetName;
  readonly cycle: number;
  readonly cycles: number;
  readonly killAfterMs: number;
  readonly killed: readonly string[];
  readonly requests: number;
  readonly tally: Tally;
  readonly integrity: string;
  readonly restartMs: number;
  readonly checked: number;
  readonly checkMs: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function cycleLine(line: CycleLine): string {
  const width = String(line.cycles).length;
  return [
    `${line.label.padEnd(8)} cycle ${String(line.cycle).padStart(width)}/${line.cycles}`,
    `kill ${line.killed.join("+").padEnd(3)} at ${String(Math.round(line.killAfterMs)).padStart(4)} ms`,
    `requests ${String(line.requests).padStart(4)}`,
    `acknowledged ${line.tally.acknowledged}`,
    `unknown ${line.tally.unknown}`,
    `lost ${line.tally.lost}`,
    `unexpected ${line.tally.unexpected}`,
    `integrity ${line.integrity}`,
    `restart ${seconds(line.restartMs)}`,
    `checked ${line.checked} keys in ${seconds(line.checkMs)}`,
  ].join("  ");
}

function wallTime(ms: number): string {
  const total = Math.round(ms / 1000);
  return total < 60 ? `${total} s` : `${Math.floor(total / 60)} min ${total % 60} s`;
}

/** The closing table: one row per target, numbers right-aligned. */
export function summaryTable(results: readonly TargetResult[]): string {
  const header = [
    "target",
    "cycles",
    "acknowledged",
    "unknown",
    "lost",
    "integrity ok/total",
    "unexpected",
    "unreadable",
    "wall time",
  ];
  const rows = results.map((result) => [
    result.label,
    String(result.cyclesDone),
    String(result.tally.acknowledged),
    String(result.tally.unknown),
    String(result.tally.lost),
    result.integrity === null ? "n/a" : `${result.integrity.ok}/${result.integrity.total}`,
    String(result.tally.unexpected),
    String(result.tally.unreadable),
    wallTime(result.wallMs),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const format = (cells: readonly string[]) =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return column === 0 ? cell.padEnd(width) : cell.padStart(width);
      })
      .join("  ");
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [format(header), rule, ...rows.map(format)].join("\n");
}

/** Everything a reader needs to reproduce a failure: each loss, integrity failure and odd answer. */
export function failureDetails(result: TargetResult): string[] {
  const lines: string[] = [];
  if (result.error !== null) lines.push(`${result.label}: stopped early: ${result.error}`);
  for (const loss of result.losses)
    lines.push(
      `${result.label}: LOST in cycle ${loss.cycle}: ${loss.key}: expected ${loss.expected.join(" or ")}, ` +
        `found ${loss.observed}; promised by ${loss.source}`,
    );
  for (const failure of result.integrityFailures) lines.push(`${result.label}: integrity: ${failure}`);
  for (const text of result.notes) lines.push(`${result.label}: note: ${text}`);
  return lines;
}

export const passed = (result: TargetResult): boolean =>
  result.error === null &&
  result.tally.lost === 0 &&
  result.tally.unreadable === 0 &&
  (result.integrity === null || result.integrity.ok === result.integrity.total);
