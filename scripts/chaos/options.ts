import { parseArgs } from "node:util";
import { randomSeed } from "./random.ts";

export type TargetName = "sqlite" | "postgres";

export interface ChaosOptions {
  readonly cycles: number;
  readonly targets: readonly TargetName[];
  /** The kill comes at a random moment between `minLoadMs` and `loadMs` of load. */
  readonly loadMs: number;
  readonly minLoadMs: number;
  readonly concurrency: number;
  readonly seed: number;
  /** The PostgreSQL server to create the run's own database on. */
  readonly databaseUrl: string;
}

const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";
/** The earliest kill: enough load for requests to be in flight, not only connections opening. */
const MIN_LOAD_MS = 200;

export const HELP = `Usage: npm run chaos -- [options]

A bounded crash-durability run. Each cycle loads the server with token creates and revokes and item
writes and deletes (admin API and data plane), kills it with SIGKILL at a random moment, restarts it
on the same data, and checks that every acknowledged operation (2xx received) still holds. Requests
in flight at the kill are "unknown": either outcome passes. SQLite: one node, and PRAGMA
integrity_check on the database file after each kill. PostgreSQL: two nodes on one database, the
load spread over both, one or both killed. Everything runs on 127.0.0.1 and stops by itself.

Options:
  --cycles <n>        kill-and-restart cycles per target (default 50)
  --target <name>     sqlite, postgres or both (default both; postgres is skipped, with a message,
                      when its server cannot be reached)
  --load-ms <ms>      the longest load before the kill; the kill comes at a random moment between
                      ${MIN_LOAD_MS} ms (or --load-ms if smaller) and this (default 1500)
  --concurrency <n>   requests in flight during the load (default 16)
  --seed <n>          seed of the random choices (operations, keys, kill moment, nodes killed);
                      printed at the start, give it again to repeat them (default: random)
  --help              this text

Environment:
  CHAOS_DATABASE_URL, else EDGEKV_TEST_DATABASE_URL, else ${DEFAULT_DATABASE_URL}:
  the PostgreSQL server on which the run creates, then drops, a database of its own
  (edgekv_chaos_<random>).

Exit code 0 when nothing acknowledged was lost and every integrity check passed, else 1.`;

/** A mistake in the command line: one line for the user, exit 1. */
export class UsageError extends Error {}

function wholeNumber(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new UsageError(`${flag} must be a whole number of at least ${min}, not "${raw}"`);
  return value;
}

function targetsOf(raw: string | undefined): readonly TargetName[] {
  switch (raw ?? "both") {
    case "both":
      return ["sqlite", "postgres"];
    case "sqlite":
      return ["sqlite"];
    case "postgres":
      return ["postgres"];
    default:
      throw new UsageError(`--target must be sqlite, postgres or both, not "${raw}"`);
  }
}

/** The options, or "help" when --help was asked for. */
export function readOptions(args: string[], env: NodeJS.ProcessEnv): ChaosOptions | "help" {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(args).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help === true) return "help";
  const loadMs = wholeNumber("--load-ms", values["load-ms"], 1500, 1);
  return {
    cycles: wholeNumber("--cycles", values.cycles, 50, 1),
    targets: targetsOf(values.target),
    loadMs,
    minLoadMs: Math.min(MIN_LOAD_MS, loadMs),
    concurrency: wholeNumber("--concurrency", values.concurrency, 16, 1),
    seed: wholeNumber("--seed", values.seed, randomSeed(), 0) >>> 0,
    databaseUrl: env.CHAOS_DATABASE_URL || env.EDGEKV_TEST_DATABASE_URL || DEFAULT_DATABASE_URL,
  };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      cycles: { type: "string" },
      target: { type: "string" },
      "load-ms": { type: "string" },
      concurrency: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
    allowPositionals: false,
  });
}
