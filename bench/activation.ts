// Activation in a burst: 10,000 tokens created as fast as 16 connections allow, on one account of a
// real `edgekv serve` (system clock, the default 5 s activation delay). While they are created and
// after, the token list is read every 250 ms; each token's activation is "on time" when the list
// first shows it COMPLETE no later than its creation's answer + the delay + one list period + 1 s.
// Prints the creation rate, how late the latest activation was, and OK/BELOW. SQLite, then
// PostgreSQL when BENCH_DATABASE_URL or EDGEKV_TEST_DATABASE_URL is set.
//
//   npx tsx bench/activation.ts [--tokens 10000] [--backend sqlite,postgres]
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { edgercPathFor } from "../src/data-dir.ts";
import { readEdgercSection } from "../src/edgegrid/index.ts";
import { withBenchDatabase } from "./database.ts";
import { newAgent, percentile, send, type Target, tokenBody } from "./load.ts";
import { SERVER_CPU, type ServerProcess, startServerProcess, stop } from "./processes.ts";

const DELAY_SECONDS = 5;
const LIST_EVERY_MS = 250;
const SLACK_MS = 1_000;
const CONNECTIONS = 16;

const { values } = parseArgs({
  options: { tokens: { type: "string" }, backend: { type: "string" } },
  strict: true,
});
const count = Number(values.tokens ?? 10_000);
const backends = (values.backend ?? "sqlite,postgres").split(",");

interface Listed {
  name: string;
  tokenActivationStatus: string;
}

async function run(dialect: string, database: string | undefined): Promise<boolean> {
  const dir = await mkdtemp(join(tmpdir(), "edgekv-activation-"));
  let server: ServerProcess | undefined;
  try {
    server = await startServerProcess(
      [
        "--port",
        "0",
        "--data-dir",
        dir,
        "--log-level",
        "warn",
        "--token-limit",
        String(count + 10),
        "--activation-delay",
        String(DELAY_SECONDS),
        ...(database === undefined ? [] : ["--database", database]),
      ],
      { cpus: SERVER_CPU, env: { EDGEKV_SECRET_KEY: randomBytes(32).toString("base64") } },
    );
    const target: Target = {
      port: server.port,
      ca: await readFile(join(dir, "tls", "cert.pem"), "utf8"),
      credentials: readEdgercSection({
        text: await readFile(edgercPathFor({ dataDir: dir, database }), "utf8"),
        section: "default",
      }),
    };
    // When each create was sent: the server made the token after that, so COMPLETE seen any earlier
    // than this + the delay would be a bug, and seen - (this + the delay) bounds how late it was.
    const createdAt = new Map<string, number>();
    const completeAt = new Map<string, number>();
    const errors: string[] = [];

    // The watcher: the whole list, every LIST_EVERY_MS, until every token was seen COMPLETE.
    let watching = true;
    const listAgent = newAgent(target, 1);
    const listMs: number[] = [];
    const watcher = (async () => {
      while (watching) {
        const asked = performance.now();
        const reply = await send(target, listAgent, { method: "GET", path: "/edgekv/v1/tokens" });
        const seen = performance.now();
        listMs.push(seen - asked);
        if (reply.status === 200) {
          const { tokens } = JSON.parse(reply.body.toString("utf8")) as { tokens: Listed[] };
          for (const token of tokens) {
            if (token.tokenActivationStatus === "COMPLETE" && !completeAt.has(token.name))
              completeAt.set(token.name, seen);
            if (token.tokenActivationStatus === "ERROR") errors.push(token.name);
          }
          if (completeAt.size >= count) return;
        } else errors.push(`list: HTTP ${reply.status}`);
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, LIST_EVERY_MS - (seen - asked))));
      }
    })();

    const createAgent = newAgent(target, CONNECTIONS);
    const names = Array.from({ length: count }, (_, index) => `burst${index}`);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (let name = names[next++]; name !== undefined; name = names[next++]) {
          const sent = performance.now();
          const reply = await send(target, createAgent, {
            method: "POST",
            path: "/edgekv/v1/tokens",
            body: tokenBody(name),
          });
          if (reply.status !== 200) errors.push(`${name}: HTTP ${reply.status}`);
          else createdAt.set(name, sent);
        }
      }),
    );
    const createSeconds = (performance.now() - started) / 1000;
    createAgent.destroy();
    // Every token is due DELAY_SECONDS after its creation: give the last one that and a margin.
    const deadline = performance.now() + DELAY_SECONDS * 1000 + 10_000;
    while (completeAt.size < createdAt.size && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    watching = false;
    await watcher;
    listAgent.destroy();

    const lateness = [...createdAt].map(([name, created]) => {
      const complete = completeAt.get(name);
      return complete === undefined ? Number.POSITIVE_INFINITY : complete - created - DELAY_SECONDS * 1000;
    });
    const latest = Math.max(...lateness);
    // Never early: the list that showed it was answered after the token's creation + the delay.
    const earliest = Math.min(...lateness);
    const allowed = LIST_EVERY_MS + SLACK_MS;
    const onTime = errors.length === 0 && createdAt.size === count && latest <= allowed && earliest >= 0;
    const sortedLateness = Float64Array.from(lateness).sort();
    const sortedList = Float64Array.from(listMs).sort();
    console.log(
      `${dialect}: ${createdAt.size.toLocaleString("en")} of ${count.toLocaleString("en")} tokens created in ${createSeconds.toFixed(1)} s ` +
        `(${Math.round(createdAt.size / createSeconds)} creates/s, ${CONNECTIONS} connections)`,
    );
    console.log(
      `  COMPLETE after creation + ${DELAY_SECONDS} s (from each create's sending): earliest ${(earliest / 1000).toFixed(2)} s, latest ${Number.isFinite(latest) ? `${(latest / 1000).toFixed(2)} s late at most` : "never"}, ` +
        `p99 ${(percentile(sortedLateness, 0.99) / 1000).toFixed(2)} s (allowed ${(allowed / 1000).toFixed(2)} s, the list's period and a margin): ${onTime ? "OK" : "BELOW"}; ` +
        `the list of up to ${count.toLocaleString("en")} tokens took p50 ${percentile(sortedList, 0.5).toFixed(0)} ms, max ${percentile(sortedList, 1).toFixed(0)} ms` +
        `${errors.length > 0 ? `; errors: ${errors.length} (first: ${errors[0]})` : ""}; load average ${loadavg()
          .map((value) => value.toFixed(2))
          .join(", ")}`,
    );
    return onTime;
  } finally {
    if (server !== undefined) await stop(server.child);
    await rm(dir, { recursive: true, force: true });
  }
}

let allOnTime = true;
for (const backend of backends) {
  if (backend === "sqlite") allOnTime = (await run("sqlite", undefined)) && allOnTime;
  else if (backend === "postgres")
    allOnTime =
      ((await withBenchDatabase("edgekv_activation", (url) => run("postgres", url))) ?? true) && allOnTime;
  else throw new Error(`unknown backend ${backend}: sqlite or postgres`);
}
process.exitCode = allOnTime ? 0 : 1;
