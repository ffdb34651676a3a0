// Scheduled refresh at scale: 100,000 enhanced tokens fall due at once (manual clock, one advance of
// a day) while an EdgeWorker keeps reading by reference. SQLite on one node; PostgreSQL on two nodes
// sharing the database and the work (both are moved at once). Prints the time until every token was
// refreshed, each exactly once (credential_version 2, from SQL), the split per node, and the
// data-plane reads' status and p99 meanwhile.
//
//   npx tsx bench/refresh.ts [--tokens 100000] [--backend sqlite,postgres]
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import { edgercPathFor } from "../src/data-dir.ts";
import { readEdgercSection } from "../src/edgegrid/index.ts";
import { withBenchDatabase } from "./database.ts";
import { type LoadResult, newAgent, percentile, send, type Target } from "./load.ts";
import {
  ask,
  forkBench,
  GENERATOR_CPU,
  SERVER_CPU,
  type ServerProcess,
  startServerProcess,
  stop,
} from "./processes.ts";
import { seedScale } from "./scale-seed.ts";

const TARGET_SECONDS = 60;
const PER_ACCOUNT = 500;

const { values } = parseArgs({
  options: { tokens: { type: "string" }, backend: { type: "string" } },
  strict: true,
});
const tokens = Number(values.tokens ?? 100_000);
const backends = (values.backend ?? "sqlite,postgres").split(",");

const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);

async function signed(target: Target, method: string, path: string, body?: unknown) {
  const agent = newAgent(target, 1);
  try {
    const reply = await send(target, agent, {
      method,
      path,
      ...(body === undefined
        ? {}
        : { body: Buffer.from(JSON.stringify(body)), headers: { "Content-Type": "application/json" } }),
    });
    if (reply.status !== 200) throw new Error(`${method} ${path}: HTTP ${reply.status} ${reply.body}`);
    const text = reply.body.toString("utf8");
    return (text.startsWith("{") ? JSON.parse(text) : {}) as Record<string, unknown>;
  } finally {
    agent.destroy();
  }
}

async function run(dialect: "sqlite" | "postgres", database: string | undefined): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "edgekv-refresh-"));
  const env = { EDGEKV_SECRET_KEY: randomBytes(32).toString("base64") };
  const nodeNames = dialect === "sqlite" ? ["a"] : ["a", "b"];
  const args = (name: string) => [
    "--port",
    "0",
    "--data-dir",
    join(dir, name),
    "--log-level",
    "warn",
    "--clock",
    "manual",
    "--activation-delay",
    "0",
    ...(database === undefined ? [] : ["--database", database]),
  ];
  const generator = forkBench("./load-child.ts", GENERATOR_CPU);
  let nodes: ServerProcess[] = [];
  try {
    const first = await startServerProcess(args("a"), { cpus: SERVER_CPU, env });
    await stop(first.child);
    const seedTarget =
      database === undefined ? { sqliteFile: join(dir, "a", "edgekv.db") } : { url: database };
    const seeding = performance.now();
    await seedScale(seedTarget, {
      accounts: Math.ceil(tokens / PER_ACCOUNT),
      tokensPerAccount: PER_ACCOUNT,
      items: 1_000,
      nextRefreshOn: tomorrow,
    });
    console.log(
      `${dialect}: ${tokens.toLocaleString("en")} tokens due ${tomorrow}, seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
    );
    nodes = await Promise.all(
      nodeNames.map((name) => startServerProcess(args(name), { cpus: SERVER_CPU, env })),
    );
    const targets: Target[] = await Promise.all(
      nodeNames.map(async (name, index) => {
        const dataDir = join(dir, name);
        const edgerc = await readFile(edgercPathFor({ dataDir, database }), "utf8");
        return {
          port: nodes[index]?.port ?? 0,
          ca: await readFile(join(dataDir, "tls", "cert.pem"), "utf8"),
          credentials: readEdgercSection({ text: edgerc, section: "default" }),
        };
      }),
    );
    const main = targets[0] as Target;
    const reader = await signed(main, "POST", "/edgekv/v1/tokens", {
      name: "reader",
      allowOnStaging: true,
      allowOnProduction: true,
      namespacePermissions: { default: ["r"] },
    });
    await signed(main, "PUT", "/edgekv/v1/networks/production/namespaces/default/groups/g/items/k", "v");
    // Reads by reference through the whole refresh (and a little after).
    const reading = ask<LoadResult>(generator, {
      target: main,
      workload: {
        method: "GET",
        path: "/api/v1/namespaces/default/groups/g/items/k",
        sign: false,
        headers: { "X-Akamai-EdgeDB-Auth-Ref": String(reader.uuid) },
      },
      connections: 4,
      warmupMs: 500,
      durationMs: TARGET_SECONDS * 1000,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const started = performance.now();
    const moved = await Promise.all(
      targets.map((target) => signed(target, "POST", "/_edgekv/v1/clock", { advanceSeconds: 86_400 })),
    );
    const seconds = (performance.now() - started) / 1000;
    const split = moved
      .map((answer, index) => `node ${nodeNames[index]} ${String(answer.refreshed)}`)
      .join(", ");
    let versions: Array<{ v: number; n: number }>;
    if (database === undefined) {
      const db = new Database(join(dir, "a", "edgekv.db"), { readonly: true });
      versions = db
        .prepare<[], { v: number; n: number }>(
          "SELECT credential_version AS v, count(*) AS n FROM tokens WHERE account_id LIKE 'scale%' GROUP BY 1",
        )
        .all();
      db.close();
    } else {
      const client = new pg.Client({ connectionString: database });
      await client.connect();
      versions = (
        await client.query<{ v: number; n: string }>(
          "SELECT credential_version AS v, count(*) AS n FROM tokens WHERE account_id LIKE 'scale%' GROUP BY 1",
        )
      ).rows.map((row) => ({ v: Number(row.v), n: Number(row.n) }));
      await client.end();
    }
    const once = versions.length === 1 && versions[0]?.v === 2 && versions[0]?.n === tokens;
    const reads = await reading;
    console.log(
      `  ${tokens.toLocaleString("en")} refreshes in ${seconds.toFixed(1)} s (target <= ${TARGET_SECONDS} s: ${seconds <= TARGET_SECONDS ? "OK" : "BELOW"}); ` +
        `split: ${split}; each exactly once: ${once ? "yes" : `NO (${JSON.stringify(versions)})`}`,
    );
    console.log(
      `  data-plane reads meanwhile: ${reads.ok} answered 200, ${reads.errors} not (first: ${reads.firstError ?? "none"}), ` +
        `p50 ${percentile(reads.latenciesMs, 0.5).toFixed(2)} ms, p99 ${percentile(reads.latenciesMs, 0.99).toFixed(2)} ms, ` +
        `max ${percentile(reads.latenciesMs, 1).toFixed(0)} ms; load average ${loadavg()
          .map((value) => value.toFixed(2))
          .join(", ")}`,
    );
  } finally {
    await Promise.all([stop(generator), ...nodes.map((node) => stop(node.child))]);
    await rm(dir, { recursive: true, force: true });
  }
}

let failed = false;
for (const backend of backends) {
  try {
    if (backend === "sqlite") await run("sqlite", undefined);
    else await withBenchDatabase("edgekv_refresh", (url) => run("postgres", url));
  } catch (error) {
    failed = true;
    console.error(`${backend}: the refresh benchmark failed:`, error);
  }
}
process.exit(failed ? 1 : 0);
