// Benchmark: the real server (`edgekv serve` from dist/) against a bare node:https server answering
// each path with the real server's body, both driven by a closed-loop load generator. Each of the
// three runs in a process of its own; with two cores or more the generator is pinned to core 0 and
// the servers to core 1 (see processes.ts). SQLite, then PostgreSQL (a database made for the run on
// BENCH_DATABASE_URL or EDGEKV_TEST_DATABASE_URL) when one is set.
//
//   npm run bench [-- --duration 6 --rounds 3 --warmup 0.5 --connections 16 --backend sqlite,postgres
//                     --only "by reference" --log-level warn --pool-size 10 --no-pin
//                     --cpu-prof <dir>]
//
// --cpu-prof writes the server process's V8 CPU profile (node --cpu-prof) into <dir> when it exits;
// use it with --only so the profile holds one scenario. Each figure is printed with its target and
// OK or BELOW, and with the 1-minute load average when it was measured: on a shared machine a
// figure measured under load from elsewhere says little.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { edgercPathFor } from "../src/data-dir.ts";
import { readEdgercSection } from "../src/edgegrid/index.ts";
import { withBenchDatabase } from "./database.ts";
import { type LoadResult, newAgent, send, type Target, type Workload } from "./load.ts";
import {
  ask,
  canPin,
  disablePinning,
  forkBench,
  GENERATOR_CPU,
  SERVER_CPU,
  startServerProcess,
  stop,
} from "./processes.ts";
import { errorWarnings, type Target as Goal, measure, type Row, ratioOf, summary, table } from "./report.ts";
import { bytesPerToken, SCALE_ACCOUNTS, SCALE_ITEMS, SCALE_TOKENS, seedScale } from "./scale-seed.ts";
import { createTokens, fetchBody } from "./seed.ts";

/** The account's tokens: the list scenario lists them all. */
const ACCOUNT_TOKENS = 500;
const ITEM_PATH = "/api/v1/namespaces/default/groups/bench/items/k";
const ITEM_VALUE = JSON.stringify({ greeting: "hello from the edge", n: 42 });

type Dialect = "sqlite" | "postgres";

interface Scenario {
  readonly name: string;
  readonly connections?: number;
  readonly target: Record<Dialect, Goal>;
  workload(seeded: Seeded): Workload;
}

/** What the preparation left in the server: the tokens the data-plane scenarios present. */
interface Seeded {
  readonly reference: string;
  readonly jwt: string;
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: "GET one token (EdgeGrid)",
    target: { sqlite: { ratio: 0.9 }, postgres: { ratio: 0.7 } },
    workload: () => ({ method: "GET", path: "/edgekv/v1/tokens/bench" }),
  },
  {
    name: "data-plane read by reference",
    target: { sqlite: { ratio: 0.8 }, postgres: { ratio: 0.7 } },
    workload: ({ reference }) => ({
      method: "GET",
      path: ITEM_PATH,
      sign: false,
      headers: { "X-Akamai-EdgeDB-Auth-Ref": reference },
    }),
  },
  {
    name: "data-plane read by JWT",
    target: { sqlite: { ratio: 0.75 }, postgres: { ratio: 0.7 } },
    workload: ({ jwt }) => ({
      method: "GET",
      path: ITEM_PATH,
      sign: false,
      headers: { "X-Akamai-EdgeDB-Auth": jwt },
    }),
  },
  {
    name: `list ${ACCOUNT_TOKENS} tokens, 4 connections`,
    connections: 4,
    target: { sqlite: { p99Ms: 8 }, postgres: { p99Ms: 10 } },
    workload: () => ({ method: "GET", path: "/edgekv/v1/tokens" }),
  },
];

function positiveNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

function options() {
  const { values } = parseArgs({
    options: {
      duration: { type: "string" },
      warmup: { type: "string" },
      rounds: { type: "string" },
      connections: { type: "string" },
      backend: { type: "string" },
      only: { type: "string" },
      "log-level": { type: "string" },
      "pool-size": { type: "string" },
      "no-pin": { type: "boolean" },
      "cpu-prof": { type: "string" },
      scale: { type: "boolean" },
    },
    strict: true,
  });
  const backends = (values.backend ?? process.env.BENCH_BACKEND ?? "sqlite,postgres").split(",");
  for (const backend of backends) {
    if (backend !== "sqlite" && backend !== "postgres") throw new Error(`unknown backend ${backend}`);
  }
  return {
    durationMs: Math.round(
      positiveNumber("--duration", values.duration ?? process.env.BENCH_DURATION, 6) * 1000,
    ),
    warmupMs: Math.round(positiveNumber("--warmup", values.warmup, 0.5) * 1000),
    rounds: Math.round(positiveNumber("--rounds", values.rounds, 3)),
    connections: Math.round(
      positiveNumber("--connections", values.connections ?? process.env.BENCH_CONNECTIONS, 16),
    ),
    backends: backends as Dialect[],
    only: values.only,
    logLevel: values["log-level"] ?? "warn",
    poolSize: values["pool-size"],
    pin: values["no-pin"] !== true,
    cpuProf: values["cpu-prof"],
    scale: values.scale === true,
  };
}
type Options = ReturnType<typeof options>;

const loadAverage = () => loadavg()[0] ?? 0;
const loadLine = () =>
  `load average ${loadavg()
    .map((value) => value.toFixed(2))
    .join(", ")}`;

/** Puts the account in the benchmark's state through the API, as a client would. */
async function prepare(target: Target): Promise<Seeded> {
  const grant = { allowOnStaging: true, allowOnProduction: true, namespacePermissions: { default: ["r"] } };
  const agent = newAgent(target, 1);
  const create = async (body: object) => {
    const reply = await send(target, agent, {
      method: "POST",
      path: "/edgekv/v1/tokens",
      body: Buffer.from(JSON.stringify(body)),
    });
    if (reply.status !== 200) throw new Error(`creating a token: HTTP ${reply.status} ${reply.body}`);
    return JSON.parse(reply.body.toString("utf8")) as { uuid?: string; value?: string };
  };
  try {
    const expiry = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
    const reference = (await create({ ...grant, name: "dp_reference" })).uuid;
    const jwt = (await create({ ...grant, name: "dp_jwt", expiry })).value;
    if (reference === undefined || jwt === undefined) throw new Error("a created token lacks its credential");
    const written = await send(target, agent, {
      method: "PUT",
      path: `/edgekv/v1/networks/production/namespaces/default/groups/bench/items/k`,
      body: Buffer.from(ITEM_VALUE),
      headers: { "Content-Type": "application/json" },
    });
    if (written.status !== 200) throw new Error(`writing the item: HTTP ${written.status} ${written.body}`);
    const names = Array.from(
      { length: ACCOUNT_TOKENS - 3 },
      (_, index) => `t${String(index).padStart(4, "0")}`,
    );
    await createTokens(target, ["bench", ...names], 4);
    return { reference, jwt };
  } finally {
    agent.destroy();
  }
}

/** Several runs as one: their counts and windows added, their latencies merged. */
function combine(results: readonly LoadResult[]): LoadResult {
  const latencies = Float64Array.from(results.flatMap((result) => [...result.latenciesMs])).sort();
  return {
    ok: results.reduce((sum, result) => sum + result.ok, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
    firstError: results.find((result) => result.firstError !== null)?.firstError ?? null,
    elapsedMs: results.reduce((sum, result) => sum + result.elapsedMs, 0),
    latenciesMs: latencies,
  };
}

/** The body the real server answers, failing on anything but 2xx, for the bare server to answer. */
async function bodyOf(target: Target, workload: Workload): Promise<Buffer> {
  if (workload.sign !== false) return fetchBody(target, workload.path);
  const agent = newAgent(target, 1);
  try {
    const reply = await send(target, agent, { ...workload });
    if (reply.status !== 200) throw new Error(`${workload.path}: HTTP ${reply.status} ${reply.body}`);
    return reply.body;
  } finally {
    agent.destroy();
  }
}

interface Run {
  readonly rows: Row[];
  /** From spawning `edgekv serve` to its banner, on the (seeded, at scale) database. */
  readonly startMs: number;
  /** The server's resident memory once ready, and after the scenarios' load. */
  readonly startRssMb: number;
  readonly rssMb: number;
  /** At scale: the tokens table's bytes (indexes included) per token. */
  readonly bytesPerToken: number | null;
}

/** Resident memory of a process, from /proc (Linux). */
async function rssOf(pid: number | undefined): Promise<number> {
  if (pid === undefined) return Number.NaN;
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN) / 1024;
  } catch {
    return Number.NaN;
  }
}

async function bench(
  dialect: Dialect,
  database: string | undefined,
  opts: Options,
  scale = false,
): Promise<Run> {
  const dataDir = await mkdtemp(join(tmpdir(), "edgekv-bench-"));
  const generator = forkBench("./load-child.ts", GENERATOR_CPU);
  const bareChild = forkBench("./bare-child.ts", SERVER_CPU);
  let server: Awaited<ReturnType<typeof startServerProcess>> | undefined;
  const seedTarget = database === undefined ? { sqliteFile: join(dataDir, "edgekv.db") } : { url: database };
  try {
    if (scale) {
      // The server makes its data directory and schema; the million tokens go in while it is down.
      const first = await startServerProcess(
        [
          "--port",
          "0",
          "--data-dir",
          dataDir,
          "--log-level",
          "warn",
          ...(database === undefined ? [] : ["--database", database]),
        ],
        { cpus: SERVER_CPU },
      );
      await stop(first.child);
      const seeding = performance.now();
      console.log(
        `seeding ${SCALE_TOKENS.toLocaleString("en")} tokens in ${SCALE_ACCOUNTS} accounts and ${SCALE_ITEMS.toLocaleString("en")} items`,
      );
      await seedScale(seedTarget);
      console.log(`  seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
    }
    const started = performance.now();
    server = await startServerProcess(
      [
        "--port",
        "0",
        "--data-dir",
        dataDir,
        "--log-level",
        opts.logLevel,
        "--activation-delay",
        "0",
        "--max-skew",
        "120",
        ...(database === undefined ? [] : ["--database", database]),
        ...(opts.poolSize === undefined ? [] : ["--db-pool-size", opts.poolSize]),
      ],
      {
        cpus: SERVER_CPU,
        nodeArgs: opts.cpuProf === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", opts.cpuProf],
      },
    );
    const startMs = performance.now() - started;
    const startRssMb = await rssOf(server.child.pid);
    console.log(`server ready in ${startMs.toFixed(0)} ms at ${server.url}, RSS ${startRssMb.toFixed(0)} MB`);
    const [ca, key, edgerc] = await Promise.all([
      readFile(join(dataDir, "tls", "cert.pem"), "utf8"),
      readFile(join(dataDir, "tls", "key.pem"), "utf8"),
      readFile(edgercPathFor({ dataDir, database }), "utf8"),
    ]);
    const credentials = readEdgercSection({ text: edgerc, section: "default" });
    const { port: barePort } = await ask<{ port: number }>(bareChild, { cert: ca, key });
    const serverTarget: Target = { port: server.port, ca, credentials };
    const bareTarget: Target = { port: barePort, ca, credentials };

    console.log("preparing: 2 data-plane tokens, 1 item, the account's other tokens");
    const seeded = await prepare(serverTarget);

    const rows: Row[] = [];
    for (const scenario of SCENARIOS) {
      if (opts.only !== undefined && !scenario.name.includes(opts.only)) continue;
      const workload = scenario.workload(seeded);
      const body = await bodyOf(serverTarget, workload);
      await ask(bareChild, { body });
      const connections = scenario.connections ?? opts.connections;
      // Server and bare take turns, in rounds whose order alternates: load from elsewhere on a shared
      // machine then falls on both sides alike rather than on whichever ran second.
      const run = {
        workload,
        connections,
        warmupMs: opts.warmupMs,
        durationMs: Math.max(500, Math.round(opts.durationMs / opts.rounds)),
      };
      const serverRuns: LoadResult[] = [];
      const bareRuns: LoadResult[] = [];
      const transactionsBefore = database === undefined ? 0 : await transactions(database);
      for (let round = 0; round < opts.rounds; round += 1) {
        const order = round % 2 === 0 ? ["server", "bare"] : ["bare", "server"];
        for (const side of order) {
          const target = side === "server" ? serverTarget : bareTarget;
          const result = await ask<LoadResult>(generator, { target, ...run });
          (side === "server" ? serverRuns : bareRuns).push(result);
        }
      }
      // PostgreSQL's own count (flushed by each backend within a second or so): an estimate of the
      // statements a request costs, warm-ups included, the scheduler's few each second too.
      let perRequest = "";
      if (database !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const count = (await transactions(database)) - transactionsBefore;
        const requests =
          serverRuns.reduce((sum, result) => sum + result.ok, 0) * (1 + opts.warmupMs / run.durationMs);
        perRequest = `, ~${(count / requests).toFixed(2)} PostgreSQL transactions per request`;
      }
      const real = measure(combine(serverRuns));
      const baseline = measure(combine(bareRuns));
      const row: Row = {
        name: `${scenario.name} [${dialect}]`,
        target: scenario.target[dialect],
        server: real,
        bare: baseline,
        load: loadAverage(),
      };
      console.log(
        `  ${summary(row)}   (body ${body.length} B, ${connections} connections${perRequest}, ${loadLine()})`,
      );
      for (const warning of errorWarnings(row)) console.log(warning);
      rows.push(row);
    }
    const rssMb = await rssOf(server.child.pid);
    const perToken = scale ? await bytesPerToken(seedTarget) : null;
    console.log(
      `server RSS ${rssMb.toFixed(0)} MB${perToken === null ? "" : `, ${perToken.toFixed(0)} database bytes per token (table and indexes)`}`,
    );
    return { rows, startMs, startRssMb, rssMb, bytesPerToken: perToken };
  } finally {
    await Promise.all([
      stop(generator),
      stop(bareChild),
      ...(server === undefined ? [] : [stop(server.child)]),
    ]);
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The scale figures against their targets: throughput within 10% of the empty database's, and the rest. */
function scaleSummary(dialect: Dialect, empty: Run, scaled: Run): string[] {
  const verdict = (ok: boolean) => (ok ? "OK" : "BELOW");
  const lines = [`${dialect} at ${SCALE_TOKENS.toLocaleString("en")} tokens:`];
  for (const row of scaled.rows) {
    const base = empty.rows.find((candidate) => candidate.name === row.name);
    if (base === undefined) continue;
    if (row.target !== undefined && "p99Ms" in row.target) {
      lines.push(
        `  ${row.name}: p99 ${row.server.p99.toFixed(2)} ms (empty ${base.server.p99.toFixed(2)} ms), target ${row.target.p99Ms} ms: ${verdict(row.server.p99 <= row.target.p99Ms)}`,
      );
      continue;
    }
    // Each pass against its own bare baseline, so that load from elsewhere between the two passes
    // does not pass for an effect of the database's size.
    const kept = ratioOf(row) / ratioOf(base);
    lines.push(
      `  ${row.name}: ${row.server.rps.toFixed(0)} req/s (${ratioOf(row).toFixed(2)} of bare) = ${kept.toFixed(2)} of the empty database's ` +
        `${base.server.rps.toFixed(0)} req/s (${ratioOf(base).toFixed(2)} of bare), target >= 0.90: ${verdict(kept >= 0.9)}`,
    );
  }
  lines.push(
    `  server start ${scaled.startMs.toFixed(0)} ms (empty ${empty.startMs.toFixed(0)} ms), target <= 2000 ms: ${verdict(scaled.startMs <= 2_000)}`,
  );
  lines.push(
    `  server RSS once ready ${scaled.startRssMb.toFixed(0)} MB (empty ${empty.startRssMb.toFixed(0)} MB), ` +
      `after the load ${scaled.rssMb.toFixed(0)} MB (empty ${empty.rssMb.toFixed(0)} MB), target <= 200 MB: ${verdict(scaled.rssMb <= 200)}`,
  );
  lines.push(
    `  ${scaled.bytesPerToken?.toFixed(0) ?? "?"} database bytes per token (tokens table and its indexes)`,
  );
  return lines;
}

/** Transactions committed or rolled back in the database so far, as PostgreSQL counts them. */
async function transactions(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      "SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()",
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

let usable = false;
try {
  const opts = options();
  if (!opts.pin) disablePinning();
  console.log(
    `node ${process.version}, ${availableParallelism()} CPUs (${cpus()[0]?.model ?? "unknown CPU"})`,
  );
  console.log(
    `load generator, bare server and real server in processes of their own; ${
      canPin() ? `generator pinned to CPU ${GENERATOR_CPU}, servers to CPU ${SERVER_CPU}` : "no CPU pinning"
    }; ${opts.connections} keep-alive connections unless a scenario says otherwise; ` +
      `${opts.durationMs / 1000} s measured per side in ${opts.rounds} alternating rounds, each after ` +
      `${opts.warmupMs / 1000} s warm-up; server log level ${opts.logLevel}`,
  );
  console.log(`${loadLine()} at the start`);
  const rows: Row[] = [];
  const scaleLines: string[] = [];
  for (const dialect of opts.backends) {
    const pass = (scale: boolean) =>
      dialect === "sqlite"
        ? bench("sqlite", undefined, opts, scale)
        : withBenchDatabase("edgekv_bench", (url) => bench("postgres", url, opts, scale));
    console.log(`\n=== ${dialect}${opts.scale ? ", empty database" : ""} ===`);
    const empty = await pass(false);
    if (empty === null) continue;
    rows.push(...empty.rows);
    if (!opts.scale) continue;
    console.log(`\n=== ${dialect}, ${SCALE_TOKENS.toLocaleString("en")} tokens ===`);
    const scaled = await pass(true);
    if (scaled === null) continue;
    rows.push(...scaled.rows.map((row) => ({ ...row, name: row.name.replace("]", ", 1M tokens]") })));
    scaleLines.push(...scaleSummary(dialect, empty, scaled));
  }
  console.log(`\n${table(rows)}\n`);
  if (scaleLines.length > 0) console.log(`${scaleLines.join("\n")}\n`);
  console.log(`${loadLine()} at the end`);
  const warnings = rows.flatMap(errorWarnings);
  if (warnings.length > 0) console.log(`\n${warnings.join("\n")}`);
  usable = rows.length > 0 && rows.every((row) => row.server.ok > 0 && row.bare.ok > 0);
  if (!usable) console.log("\nA scenario had no successful request: the benchmark could not run.");
} catch (error) {
  console.error("benchmark failed:", error);
}
process.exit(usable ? 0 : 1);
