// `npm run chaos`: a bounded crash-durability run. Cycles of load, SIGKILL at a random moment,
// restart and a check of every acknowledged write, on SQLite (one node) and PostgreSQL (two nodes
// on one database). `npm run chaos -- --help` explains the options; scripts/chaos/ holds the parts.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Cluster, postgresCluster, sqliteCluster } from "./chaos/clusters.ts";
import { type ChaosOptions, HELP, readOptions, type TargetName, UsageError } from "./chaos/options.ts";
import { createScratchDatabase, postgresProblem, type ScratchDatabase } from "./chaos/postgres.ts";
import { seededRandom } from "./chaos/random.ts";
import { failureDetails, passed, summaryTable, type TargetResult } from "./chaos/report.ts";
import { runTarget } from "./chaos/run-target.ts";
import { killAllServers } from "./chaos/server-process.ts";

const print = (line: string) => process.stdout.write(`${line}\n`);

/** What must go whatever happens: servers first (they hold the database), then files and database. */
const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    killAllServers();
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        process.stderr.write(`cleanup: ${(error as Error).message}\n`);
      }
    }
  })();
  return cleaning;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: killing the servers and removing what the run made\n`);
    cleanUp().finally(() => process.exit(130));
  });
}
// The last resort, also when something calls process.exit: no server outlives the run.
process.on("exit", killAllServers);

/** The target's cluster, or why it is skipped. */
async function clusterFor(
  target: TargetName,
  options: ChaosOptions,
  workDir: string,
): Promise<Cluster | string> {
  if (target === "sqlite") return sqliteCluster(workDir, options.concurrency);
  const problem = await postgresProblem(options.databaseUrl);
  if (problem !== null)
    return (
      `postgres: SKIPPED, the PostgreSQL server at ${new URL(options.databaseUrl).host} cannot be reached ` +
      `(${problem}). Set CHAOS_DATABASE_URL or EDGEKV_TEST_DATABASE_URL to one that can.`
    );
  const database: ScratchDatabase = await createScratchDatabase(options.databaseUrl);
  cleanups.push(database.drop);
  print(`postgres: two nodes on the new database ${database.name}`);
  return postgresCluster(workDir, database.url, options.concurrency);
}

async function main(): Promise<number> {
  let options: ChaosOptions | "help";
  try {
    options = readOptions(process.argv.slice(2), process.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message} (see --help)\n`);
    return 1;
  }
  if (options === "help") {
    print(HELP);
    return 0;
  }
  print(
    `chaos: ${options.cycles} cycle${options.cycles === 1 ? "" : "s"} per target, kill after ${options.minLoadMs}-${options.loadMs} ms of load, ` +
      `${options.concurrency} requests in flight, seed ${options.seed} (repeat with --seed ${options.seed})`,
  );
  const workDir = await mkdtemp(join(tmpdir(), "edgekv-chaos-"));
  cleanups.push(() => rm(workDir, { recursive: true, force: true }));
  const rng = seededRandom(options.seed);
  const results: TargetResult[] = [];
  const skipped: string[] = [];
  for (const target of options.targets) {
    const cluster = await clusterFor(target, options, workDir);
    if (typeof cluster === "string") {
      print(cluster);
      skipped.push(cluster);
      continue;
    }
    results.push(await runTarget({ cluster, options, rng: rng.fork(target), print }));
  }
  print("");
  print(summaryTable(results));
  // Said again under the table: a closing note quoting the table must not miss it.
  for (const line of skipped) print(line);
  const details = results.flatMap(failureDetails);
  if (details.length > 0) print(`\n${details.join("\n")}`);
  const ok = results.length > 0 && results.every(passed);
  if (results.length === 0) print("\nFAILED: no target could run.");
  else print(ok ? "\nNothing acknowledged was lost." : "\nFAILED: see above.");
  return ok ? 0 : 1;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  process.stderr.write(`chaos: ${(error as Error).stack ?? String(error)}\n`);
} finally {
  await cleanUp();
}
process.exit(exitCode);
