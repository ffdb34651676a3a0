// Benchmark: the real server against a bare node:https server answering a fixed body, both driven by
// the same closed-loop, EdgeGrid-signing load generator. Run with `npm run bench [-- --duration 5
// --connections 8 --worker]` or BENCH_DURATION / BENCH_CONNECTIONS / BENCH_WORKER=1.
//
// By default the load generator runs IN THE SAME PROCESS and event loop as both servers. Client work
// (TLS, HTTP parsing, signing) is then part of every request's cost on both sides. It was kept as the
// default because it is stable: on the 2-core machine the GET ratio stayed within 0.31-0.37 over four
// runs. With --worker the generator runs on a worker thread (the second core), so the server's own
// rps is closer to its real capacity. But the bare baseline is then capped by the client, and client,
// server, GC and libuv threads compete for two cores: bare rps ranged from 5,000 to 9,700 and the GET
// ratio from 0.46 to 0.67 over the same number of runs.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import pino from "pino";
import { parseServeConfig } from "../src/config.ts";
import { readEdgercSection } from "../src/edgegrid/index.ts";
import { type RunningServer, startServer } from "../src/server.ts";
import { type BareServer, startBareServer } from "./bare-server.ts";
import { runLoad, type Target, type Workload } from "./load.ts";
import { runLoadInWorker } from "./load-worker.ts";
import { errorWarnings, measure, type Row, summary, table } from "./report.ts";
import { createToken, createTokens, fetchBody } from "./seed.ts";

const WARMUP_MS = 1_000;
const TOKEN_LIMIT = 100_000;
const LIST_SIZE = 1_000;

interface Scenario {
  readonly name: string;
  readonly workload: Workload;
  readonly target?: number;
  /** Puts the server in the scenario's state; returns the real response body the baseline then serves. */
  prepare(server: Target, connections: number): Promise<Buffer>;
}

const SCENARIOS: readonly Scenario[] = [
  {
    name: "GET one token",
    workload: { method: "GET", path: "/edgekv/v1/tokens/bench" },
    target: 0.5,
    prepare: async (server) => {
      await createToken(server, "bench");
      return fetchBody(server, "/edgekv/v1/tokens/bench");
    },
  },
  {
    name: "list 1,000 tokens",
    workload: { method: "GET", path: "/edgekv/v1/tokens" },
    prepare: async (server, connections) => {
      const names = Array.from({ length: LIST_SIZE }, (_, index) => `t${String(index).padStart(4, "0")}`);
      await createTokens(server, names, connections);
      const body = await fetchBody(server, "/edgekv/v1/tokens");
      const count = (JSON.parse(body.toString("utf8")) as { tokens: unknown[] }).tokens.length;
      console.log(`  the list holds ${count} tokens (${LIST_SIZE} seeded + "bench")`);
      return body;
    },
  },
  {
    name: "create",
    workload: { method: "POST", path: "/edgekv/v1/tokens", namePrefix: "c" },
    prepare: (server) => createToken(server, "c0"),
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
    options: { duration: { type: "string" }, connections: { type: "string" }, worker: { type: "boolean" } },
    strict: true,
  });
  const durationS = positiveNumber("--duration", values.duration ?? process.env.BENCH_DURATION, 5);
  const connections = Math.round(
    positiveNumber("--connections", values.connections ?? process.env.BENCH_CONNECTIONS, 8),
  );
  const worker = values.worker ?? process.env.BENCH_WORKER === "1";
  return { durationMs: Math.round(durationS * 1000), connections, worker };
}

interface Backend {
  readonly label: string;
  /** `--database` for the server; undefined: the default SQLite file in the data directory. */
  readonly database?: string;
}

async function bench(
  backend: Backend,
  dataDir: string,
  opened: { server?: RunningServer; bare?: BareServer },
): Promise<Row[]> {
  const { durationMs, connections, worker } = options();
  const load = worker ? runLoadInWorker : runLoad;
  const server = await startServer(
    parseServeConfig({
      port: "0",
      dataDir,
      logLevel: "silent",
      tokenLimit: String(TOKEN_LIMIT),
      ...(backend.database === undefined ? {} : { database: backend.database }),
    }),
    { logger: pino({ level: "silent" }) },
  );
  opened.server = server;
  if (server.certPath === null) throw new Error("expected the server to generate a TLS certificate");
  const [ca, key, edgerc] = await Promise.all([
    readFile(server.certPath, "utf8"),
    readFile(join(dataDir, "tls", "key.pem"), "utf8"),
    readFile(server.edgercPath, "utf8"),
  ]);
  const credentials = readEdgercSection({ text: edgerc, section: "default", path: server.edgercPath });
  const bare = await startBareServer({ cert: ca, key });
  opened.bare = bare;
  const serverTarget: Target = { port: server.port, ca, credentials };
  const bareTarget: Target = { port: bare.port, ca, credentials };

  const cpu = cpus()[0]?.model ?? "unknown CPU";
  console.log(`node ${process.version}, ${availableParallelism()} CPUs (${cpu})`);
  console.log(
    `${connections} keep-alive connections, ${WARMUP_MS / 1000} s warm-up + ${durationMs / 1000} s measured per run, ` +
      `load generator ${worker ? "on a worker thread" : "in-process"}`,
  );
  console.log(`server: ${server.url}, ${backend.label}, tokenLimit raised to ${TOKEN_LIMIT} for "create"`);
  console.log(`bare:   https://127.0.0.1:${bare.port} (node:https, same cert, fixed body)\n`);

  const rows: Row[] = [];
  for (const scenario of SCENARIOS) {
    console.log(`${scenario.name}: preparing`);
    const body = await scenario.prepare(serverTarget, connections);
    bare.setBody(body);
    console.log(`  response body ${body.length} bytes; measuring server, then bare`);
    const run = { workload: scenario.workload, connections, warmupMs: WARMUP_MS, durationMs };
    const real = measure(await load({ target: serverTarget, ...run }));
    const baseline = measure(await load({ target: bareTarget, ...run }));
    const row: Row = {
      name: `${scenario.name} [${backend.label}]`,
      target: scenario.target,
      server: real,
      bare: baseline,
    };
    rows.push(row);
    for (const warning of errorWarnings(row)) console.log(warning);
  }
  return rows;
}

/** A PostgreSQL database made for this run (BENCH_DATABASE_URL or EDGEKV_TEST_DATABASE_URL names the server). */
async function withPostgres<T>(run: (backend: Backend) => Promise<T>): Promise<T | null> {
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.EDGEKV_TEST_DATABASE_URL;
  if (!adminUrl) {
    console.log(
      "\nPostgreSQL skipped: set BENCH_DATABASE_URL (or EDGEKV_TEST_DATABASE_URL) to measure it too.",
    );
    return null;
  }
  const name = `edgekv_bench_${Date.now().toString(36)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await run({ label: "postgres", database: url.toString() });
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}

async function runBackend(backend: Backend): Promise<Row[]> {
  const dataDir = await mkdtemp(join(tmpdir(), "edgekv-bench-"));
  const opened: { server?: RunningServer; bare?: BareServer } = {};
  try {
    console.log(`\n=== ${backend.label} ===`);
    return await bench(backend, dataDir, opened);
  } finally {
    await opened.bare?.close();
    await opened.server?.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

let usable = false;
try {
  const rows = [...(await runBackend({ label: "sqlite" })), ...((await withPostgres(runBackend)) ?? [])];
  console.log(`\n${table(rows)}\n`);
  for (const row of rows) console.log(summary(row));
  const warnings = rows.flatMap(errorWarnings);
  if (warnings.length > 0) console.log(`\n${warnings.join("\n")}`);
  usable = rows.every((row) => row.server.ok > 0 && row.bare.ok > 0);
  if (!usable) console.log("\nA scenario had no successful request: the benchmark could not run.");
} catch (error) {
  console.error("benchmark failed:", error);
}
process.exit(usable ? 0 : 1);
