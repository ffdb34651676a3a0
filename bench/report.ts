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

export interface Row {
  readonly name: string;
  /** Minimum acceptable server_rps / bare_rps; undefined where none was set. */
  readonly target: number | undefined;
  readonly server: Measurement;
  readonly bare: Measurement;
}

const ratioOf = (row: Row) => (row.bare.rps > 0 ? row.server.rps / row.bare.rps : Number.NaN);
const fixed = (value: number, digits: number) => (Number.isNaN(value) ? "-" : value.toFixed(digits));

const COLUMNS = [
  ["scenario", 30],
  ["server rps", 11],
  ["p50 ms", 8],
  ["p99 ms", 8],
  ["bare rps", 10],
  ["p50 ms", 8],
  ["p99 ms", 8],
  ["ratio", 7],
  ["errors", 8],
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
      `${row.server.errors}/${row.bare.errors}`,
    ]),
  );
  return [header, "-".repeat(header.length), ...body].join("\n");
}

export function summary(row: Row): string {
  const ratio = ratioOf(row);
  const verdict =
    row.target === undefined
      ? "(no target set)"
      : `(target >= ${row.target.toFixed(2)}${ratio < row.target ? ", BELOW TARGET" : ""})`;
  return `${row.name}: ${row.server.rps.toFixed(0)} req/s vs bare ${row.bare.rps.toFixed(0)} req/s = ${fixed(ratio, 2)} ${verdict}`;
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
