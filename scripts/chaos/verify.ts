import { setTimeout as sleep } from "node:timers/promises";
import { describeReply, isReply, readItem, readToken } from "./api.ts";
import type { Endpoint, Reply } from "./http.ts";
import {
  describeItem,
  describeToken,
  type Entry,
  type Ledger,
  note,
  reconcile,
  sameItem,
  sameToken,
} from "./ledger.ts";
import { splitItemKey } from "./operations.ts";
import type { Random } from "./random.ts";

/** A read that fails this often in a row is reported as unreadable, not retried for ever. */
const READ_ATTEMPTS = 3;
const RETRY_PAUSE_MS = 500;

/** Reads until it gets a state; undefined after READ_ATTEMPTS failures (noted in the ledger). */
async function readState<S extends object>(
  ledger: Ledger,
  what: string,
  read: () => Promise<S | Reply>,
): Promise<S | undefined> {
  let last = "";
  for (let attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
    try {
      const result = await read();
      if (!isReply(result)) return result;
      last = describeReply(result);
    } catch (error) {
      last = (error as Error).message;
    }
    if (attempt < READ_ATTEMPTS) await sleep(RETRY_PAUSE_MS);
  }
  ledger.tally.unreadable++;
  note(ledger, `check of ${what}: ${last}`);
  return undefined;
}

/**
 * After the restart: reads every key the run has touched, each from a node at random, and counts
 * a loss wherever the state contradicts the ledger. Returns the number of keys read.
 */
export async function verifyLedger({
  ledger,
  endpoints,
  rng,
  concurrency,
  cycle,
}: {
  ledger: Ledger;
  endpoints: readonly Endpoint[];
  rng: Random;
  concurrency: number;
  cycle: number;
}): Promise<number> {
  const checks: (() => Promise<void>)[] = [];
  const touched = <S>(map: Map<string, Entry<S>>) => [...map.values()].filter((entry) => entry.touched);
  for (const entry of touched(ledger.items)) {
    const { group, key } = splitItemKey(entry.key);
    checks.push(async () => {
      const endpoint = rng.pick(endpoints);
      const state = await readState(ledger, `item ${entry.key}`, () => readItem(endpoint, group, key));
      if (state !== undefined)
        reconcile(ledger, entry, state, { same: sameItem, describe: describeItem, cycle });
    });
  }
  for (const entry of touched(ledger.tokens)) {
    checks.push(async () => {
      const endpoint = rng.pick(endpoints);
      const state = await readState(ledger, `token ${entry.key}`, () => readToken(endpoint, entry.key));
      if (state !== undefined)
        reconcile(ledger, entry, state, { same: sameToken, describe: describeToken, cycle });
    });
  }
  let next = 0;
  const worker = async () => {
    for (let check = checks[next++]; check !== undefined; check = checks[next++]) await check();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return checks.length;
}
