// CLI start-up: how long a user waits for `edgekv`, beside `node -e 0` measured in the same run so
// that a busy machine shows in both. Runs the compiled binary (`npm run bench:cli` builds it first);
// `edgekv token list` talks to a server started for the measurement in a temporary data directory.
// Runs are interleaved (one of each command per round), so a burst of load elsewhere hits them alike.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { percentile } from "./load.ts";

const BIN = fileURLToPath(new URL("../bin/edgekv.js", import.meta.url));
const WARMUPS = 2;
const RUNS = 15;

interface Case {
  readonly label: string;
  readonly args: readonly string[];
  readonly targetMs?: number;
}

/** Milliseconds from spawn to exit; a non-zero exit is a broken benchmark, not a slow run. */
function timeOnce({ label, args }: Case): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      const elapsed = performance.now() - start;
      if (code === 0) resolve(elapsed);
      else reject(new Error(`${label} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

/** `edgekv serve` on a free port of 127.0.0.1; `ready` resolves with its URL once the banner is out. */
function startServe(dataDir: string): { child: ChildProcess; ready: Promise<string> } {
  const args = [
    BIN,
    "serve",
    "--port",
    "0",
    "--data-dir",
    dataDir,
    "--log-level",
    "warn",
    "--log-format",
    "json",
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const ready = new Promise<string>((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`edgekv serve did not start in 30 s:\n${output}`)),
      30_000,
    );
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const url = /edgekv-server is ready at (\S+)/.exec(output)?.[1];
      if (url === undefined) return;
      clearTimeout(timer);
      resolve(url);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`edgekv serve exited with ${code}:\n${output}`));
    });
  });
  return { child, ready };
}

async function measure(cases: readonly Case[]): Promise<Float64Array[]> {
  const times = cases.map(() => new Float64Array(RUNS));
  for (let round = 0; round < WARMUPS + RUNS; round++) {
    for (const [index, one] of cases.entries()) {
      const elapsed = await timeOnce(one);
      const sample = times[index];
      if (round >= WARMUPS && sample !== undefined) sample[round - WARMUPS] = elapsed;
    }
  }
  return times.map((sample) => sample.sort());
}

function report(cases: readonly Case[], times: readonly Float64Array[]): string {
  const rows = cases.map((one, index) => {
    const sorted = times[index] ?? new Float64Array();
    const median = percentile(sorted, 0.5);
    const verdict =
      one.targetMs === undefined
        ? "(baseline)"
        : `<= ${one.targetMs} ${median <= one.targetMs ? "OK" : "BELOW TARGET"}`;
    return [
      one.label.padEnd(22),
      median.toFixed(0).padStart(10),
      percentile(sorted, 0.9).toFixed(0).padStart(8),
      `  ${verdict}`,
    ].join("");
  });
  const header = `${"command".padEnd(22)}${"median ms".padStart(10)}${"p90 ms".padStart(8)}  target (median)`;
  return [header, "-".repeat(header.length + 8), ...rows].join("\n");
}

const dataDir = await mkdtemp(join(tmpdir(), "edgekv-bench-cli-"));
let server: ChildProcess | undefined;
let ok = false;
try {
  const serve = startServe(dataDir);
  server = serve.child;
  const url = await serve.ready;
  const cases: Case[] = [
    { label: "node -e 0", args: ["-e", "0"] },
    { label: "edgekv --version", args: [BIN, "--version"], targetMs: 150 },
    {
      label: "edgekv token list",
      // --ca-cert, not NODE_EXTRA_CA_CERTS: the environment stays the one the other commands get
      // (a large NODE_EXTRA_CA_CERTS bundle alone adds tens of ms to every node start).
      args: [
        BIN,
        "token",
        "list",
        "--edgerc",
        join(dataDir, "edgerc"),
        "--ca-cert",
        join(dataDir, "tls", "cert.pem"),
      ],
      targetMs: 300,
    },
  ];
  const extraCa = process.env.NODE_EXTRA_CA_CERTS;
  console.log(
    `CLI start-up: node ${process.version}, ${availableParallelism()} CPUs, ${RUNS} runs of each after ${WARMUPS} warm-ups, ` +
      `token list against ${url}${extraCa ? `; every run reads NODE_EXTRA_CA_CERTS=${extraCa}` : ""}\n`,
  );
  console.log(report(cases, await measure(cases)));
  ok = true;
} catch (error) {
  console.error("CLI benchmark failed:", error);
} finally {
  if (server !== undefined && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
}
process.exit(ok ? 0 : 1);
