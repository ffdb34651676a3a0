import { setTimeout as sleep } from "node:timers/promises";
import { createTokenCall, dataPlaneItemPath, describeReply, uuidOf } from "./api.ts";
import type { Cluster } from "./clusters.ts";
import { admin, dataPlane, type Endpoint } from "./http.ts";
import { acknowledged, begin, createLedger, entryOf, type Ledger } from "./ledger.ts";
import { runLoad } from "./load.ts";
import type { ChaosOptions } from "./options.ts";
import type { Random } from "./random.ts";
import { type CycleLine, cycleLine, type TargetResult } from "./report.ts";
import { verifyLedger } from "./verify.ts";

/** A count bound besides the kill: no cycle sends more, whatever the timing. */
const MAX_REQUESTS_PER_CYCLE = 50_000;
/** A time bound besides the kill: the load stops this long after its longest planned time. */
const LOAD_SLACK_MS = 5_000;
const ACTIVATION_TIMEOUT_MS = 30_000;
const DATA_PLANE_TOKEN = "chaos-data-plane";

/**
 * The token the data-plane half of the load uses, created once and checked like any other. Resolves
 * when every node lets it through: it must be COMPLETE first.
 */
async function createDataPlaneToken(ledger: Ledger, endpoints: readonly Endpoint[]): Promise<string> {
  const [first] = endpoints;
  if (first === undefined) throw new Error("no node is up");
  const reply = await admin(first, createTokenCall(DATA_PLANE_TOKEN));
  if (reply.status !== 200) throw new Error(`creating the data-plane token: ${describeReply(reply)}`);
  const uuid = uuidOf(reply);
  const entry = entryOf(ledger.tokens, DATA_PLANE_TOKEN, { live: false });
  begin(entry);
  acknowledged(ledger, entry, { live: true, uuid }, `POST token ${DATA_PLANE_TOKEN} (setup)`);
  const deadline = Date.now() + ACTIVATION_TIMEOUT_MS;
  for (const endpoint of endpoints) {
    for (;;) {
      const probe = await dataPlane(
        endpoint,
        { method: "GET", path: dataPlaneItemPath("setup", "probe") },
        uuid,
      );
      if (probe.status === 404) break;
      if (probe.status !== 401 || Date.now() > deadline)
        throw new Error(`the data-plane token did not become usable: ${describeReply(probe)}`);
      await sleep(100);
    }
  }
  return uuid;
}

/** Starts the cluster, runs every cycle, stops the cluster; a failure ends the target, not the run. */
export async function runTarget({
  cluster,
  options,
  rng,
  print,
}: {
  cluster: Cluster;
  options: ChaosOptions;
  rng: Random;
  print: (line: string) => void;
}): Promise<TargetResult> {
  const begun = performance.now();
  const ledger = createLedger();
  const integrityFailures: string[] = [];
  let integrity = cluster.label === "sqlite" ? { ok: 0, total: 0 } : null;
  let cyclesDone = 0;
  let error: string | null = null;
  // One stream per purpose: how long a check takes does not change when the next kill comes.
  const loadRng = rng.fork("load");
  const killRng = rng.fork("kill");
  const checkRng = rng.fork("check");
  let serial = 0;
  try {
    await cluster.start();
    const dataPlaneToken = await createDataPlaneToken(ledger, cluster.endpoints());
    for (let cycle = 1; cycle <= options.cycles; cycle++) {
      const killAfterMs = killRng.between(options.minLoadMs, options.loadMs);
      let stopped = false;
      const load = runLoad(
        {
          label: cluster.label,
          cycle,
          ledger,
          rng: loadRng,
          dataPlaneToken,
          endpoint: () => loadRng.pick(cluster.endpoints()),
          sequence: () => ++serial,
        },
        {
          concurrency: options.concurrency,
          maxRequests: MAX_REQUESTS_PER_CYCLE,
          deadline: Date.now() + options.loadMs + LOAD_SLACK_MS,
          stopped: () => stopped,
        },
      );
      // Awaited below; until then a failure must not count as unhandled.
      load.catch(() => undefined);
      await sleep(killAfterMs);
      const killed = cluster.kill(killRng);
      stopped = true;
      const requests = await load;
      const check = await cluster.afterKill(cycle);
      if (check !== null && integrity !== null) {
        integrity = { ok: integrity.ok + (check.ok ? 1 : 0), total: integrity.total + 1 };
        if (!check.ok) integrityFailures.push(`cycle ${cycle}: ${check.detail}`);
      }
      const restartMs = await cluster.restart();
      const checkBegun = performance.now();
      const checked = await verifyLedger({
        ledger,
        endpoints: cluster.endpoints(),
        rng: checkRng,
        concurrency: options.concurrency,
        cycle,
      });
      cyclesDone = cycle;
      const line: CycleLine = {
        label: cluster.label,
        cycle,
        cycles: options.cycles,
        killAfterMs,
        killed,
        requests,
        tally: ledger.tally,
        integrity: check === null ? "n/a" : check.ok ? "ok" : "FAILED",
        restartMs,
        checked,
        checkMs: performance.now() - checkBegun,
      };
      print(cycleLine(line));
    }
  } catch (caught) {
    error = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
  } finally {
    await cluster.stop();
  }
  return {
    label: cluster.label,
    cyclesDone,
    tally: { ...ledger.tally },
    integrity,
    integrityFailures,
    wallMs: performance.now() - begun,
    losses: ledger.losses,
    notes: ledger.notes,
    error,
  };
}
