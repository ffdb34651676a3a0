import { type LoadResult, percentile } from "./load.ts";

export interface Measurement {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly ok: number;
  readonly errors: number;
  readonly firstError: string | null;
}

export function measure(result: LoadResult): Measurement {
  return {
    rps: result.elapsedMs > 0 ? (result.ok * 1000) / result.elapsedMs : 0,
    p50: percentile(result.latenciesMs, 0.5),
    p99: percentile(result.latenciesMs, 0.99),
    ok: result.ok,
    errors: result.errors,
    firstError: result.firstError,
  };
}

/** What a scenario must reach: server req/s ÷ bare req/s, or the server's p99 latency. */
export type Target = { readonly ratio: number } | { readonly p99Ms: number };

export interface Row {
  readonly name: string;
  readonly target: Target | undefined;
  readonly server: Measurement;
  readonly bare: Measurement;
  /** `uptime`'s 1-minute load average when the scenario ended. */
  readonly load: number;
}

export const ratioOf = (row: Row) => (row.bare.rps > 0 ? row.server.rps / row.bare.rps : Number.NaN);
const fixed = (value: number, digits: number) => (Number.isNaN(value) ? "-" : value.toFixed(digits));

const describeTarget = (target: Target | undefined) =>
  target === undefined
    ? "-"
    : "ratio" in target
      ? `>= ${target.ratio.toFixed(2)}`
      : `p99 <= ${target.p99Ms} ms`;

/** "OK" or "BELOW" against the target; "-" where none was set. */
export function verdict(row: Row): string {
  const { target } = row;
  if (target === undefined) return "-";
  const met = "ratio" in target ? ratioOf(row) >= target.ratio : row.server.p99 <= target.p99Ms;
  return met ? "OK" : "BELOW";
}

const COLUMNS = [
  ["scenario", 40],
  ["server rps", 10],
  ["p50 ms", 7],
  ["p99 ms", 7],
  ["bare rps", 9],
  ["p50 ms", 7],
  ["p99 ms", 7],
  ["ratio", 6],
  ["target", 14],
  ["", 6],
  ["load", 5],
  ["errors", 7],
] as const;

function line(cells: readonly string[]): string {
  return cells
    .map((cell, index) => {
      const width = COLUMNS[index]?.[1] ?? 8;
      return index === 0 ? cell.padEnd(width) : cell.padStart(width);
    })
    .join(" ");
}

export function table(rows: readonly Row[]): string {
  const header = line(COLUMNS.map(([title]) => title));
  const body = rows.map((row) =>
    line([
      row.name,
      row.server.rps.toFixed(0),
      fixed(row.server.p50, 2),
      fixed(row.server.p99, 2),
      row.bare.rps.toFixed(0),
      fixed(row.bare.p50, 2),
      fixed(row.bare.p99, 2),
      fixed(ratioOf(row), 2),
      describeTarget(row.target),
      verdict(row),
      row.load.toFixed(2),
      `${row.server.errors}/${row.bare.errors}`,
    ]),
  );
  return [header, "-".repeat(header.length), ...body].join("\n");
}

export function summary(row: Row): string {
  const figure =
    row.target !== undefined && "p99Ms" in row.target
      ? `p99 ${fixed(row.server.p99, 2)} ms (bare ${fixed(row.bare.p99, 2)} ms)`
      : `${row.server.rps.toFixed(0)} req/s vs bare ${row.bare.rps.toFixed(0)} req/s = ${fixed(ratioOf(row), 2)}`;
  return `${row.name}: ${figure}, target ${describeTarget(row.target)}: ${verdict(row)}`;
}

/** Loud lines for every side of a row that saw a non-2xx response or a network error. */
export function errorWarnings(row: Row): string[] {
  const sides = [
    ["server", row.server],
    ["bare", row.bare],
  ] as const;
  return sides
    .filter(([, side]) => side.errors > 0 || side.firstError !== null)
    .map(
      ([label, side]) =>
        `!!! ERRORS in "${row.name}" (${label}): ${side.errors} failed in the measured phase, ${side.ok} ok; first: ${side.firstError ?? "?"}`,
    );
}
