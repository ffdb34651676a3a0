import {
  adminItemPath,
  createTokenCall,
  dataPlaneItemPath,
  describeReply,
  tokenPath,
  uuidOf,
} from "./api.ts";
import { admin, dataPlane, type Endpoint, type Reply } from "./http.ts";
import {
  acknowledged,
  begin,
  type Entry,
  entryOf,
  type ItemState,
  type Ledger,
  type TokenState,
  unanswered,
  unexpected,
} from "./ledger.ts";
import type { Random } from "./random.ts";

export interface LoadContext {
  readonly label: string;
  readonly cycle: number;
  readonly ledger: Ledger;
  readonly rng: Random;
  /** The reference of a COMPLETE token allowed to read, write and delete in `default`. */
  readonly dataPlaneToken: string;
  /** A node that is up; one at random when there are several. */
  endpoint(): Endpoint;
  /** A number no other request of this target has. */
  sequence(): number;
}

type Operation = (context: LoadContext) => Promise<void>;

/**
 * A bounded key space: writes overwrite and deletes remove the same keys again and again, so a
 * check after each kill reads every key the run ever touched in about a second.
 */
const GROUPS = 4;
const KEYS_PER_GROUP = 250;
/** Tries at finding a key in the wanted state before doing a write instead. */
const TRIES = 8;
const ALPHABET = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.éßø漢字🙂"];
const LONGEST_FILL = 6_000;
/**
 * Values are slices of these characters (one to four bytes of UTF-8 each) at random offsets, built once,
 * because drawing every character would make the load generator, not the server, the bottleneck.
 */
const FILL: readonly string[] = Array.from(
  { length: 2 * LONGEST_FILL },
  (_, index) => ALPHABET[(index * 7 + (index >> 4)) % ALPHABET.length] ?? "",
);

const ABSENT_ITEM: ItemState = { present: false };
const ABSENT_TOKEN: TokenState = { live: false };

export function splitItemKey(id: string): { group: string; key: string } {
  const [group = "", key = ""] = id.split("/");
  return { group, key };
}

/**
 * Sends one request for a key and records its fate: 200 keeps `outcome(reply)` as a promise, no
 * answer or another status leaves `maybe` as a possible outcome.
 */
async function perform<S>(
  context: LoadContext,
  entry: Entry<S>,
  what: string,
  request: { send(endpoint: Endpoint): Promise<Reply>; outcome(reply: Reply): S; maybe: S },
): Promise<void> {
  begin(entry);
  const endpoint = context.endpoint();
  const source = `${what} (request #${context.sequence()}, node ${endpoint.name}, cycle ${context.cycle})`;
  let reply: Reply;
  try {
    reply = await request.send(endpoint);
  } catch {
    unanswered(context.ledger, entry, request.maybe);
    return;
  }
  if (reply.status === 200) {
    try {
      acknowledged(context.ledger, entry, request.outcome(reply), source);
      return;
    } catch (error) {
      unexpected(context.ledger, entry, request.maybe, `${source}: ${(error as Error).message}`);
      return;
    }
  }
  unexpected(context.ledger, entry, request.maybe, `${source}: ${describeReply(reply)}`);
}

function itemEntry(context: LoadContext, wanted: (entry: Entry<ItemState>) => boolean) {
  for (let attempt = 0; attempt < TRIES; attempt++) {
    const id = `g${context.rng.between(0, GROUPS - 1)}/k${context.rng.between(0, KEYS_PER_GROUP - 1)}`;
    const entry = entryOf(context.ledger.items, id, ABSENT_ITEM);
    if (!entry.busy && wanted(entry)) return entry;
  }
  return null;
}

/** A value no other write of the run has: mostly small, sometimes larger than a SQLite page. */
function uniqueValue(context: LoadContext, json: boolean): string {
  const { rng } = context;
  const length = rng.next() < 0.2 ? rng.between(1_000, LONGEST_FILL) : rng.between(0, 100);
  const start = rng.between(0, LONGEST_FILL);
  const fill = FILL.slice(start, start + length).join("");
  const serial = context.sequence();
  return json
    ? JSON.stringify({ run: context.label, cycle: context.cycle, serial, fill })
    : `${context.label} cycle ${context.cycle} #${serial} ${fill}`;
}

function writeItem(plane: "admin" | "data plane"): Operation {
  return async (context) => {
    const entry = itemEntry(context, () => true);
    if (entry === null) return;
    const { group, key } = splitItemKey(entry.key);
    const json = context.rng.next() < 0.5;
    const value = uniqueValue(context, json);
    const call = {
      method: "PUT",
      body: value,
      contentType: json ? "application/json" : "text/plain; charset=utf-8",
    } as const;
    const written: ItemState = { present: true, value, json };
    await perform(context, entry, `PUT ${entry.key} (${plane})`, {
      send: (endpoint) =>
        plane === "admin"
          ? admin(endpoint, { ...call, path: adminItemPath(group, key) })
          : dataPlane(endpoint, { ...call, path: dataPlaneItemPath(group, key) }, context.dataPlaneToken),
      outcome: () => written,
      maybe: written,
    });
  };
}

function deleteItem(plane: "admin" | "data plane"): Operation {
  const fallback = writeItem(plane);
  return async (context) => {
    const entry = itemEntry(context, (found) => found.known.present && found.maybe.length === 0);
    if (entry === null) return fallback(context);
    const { group, key } = splitItemKey(entry.key);
    await perform(context, entry, `DELETE ${entry.key} (${plane})`, {
      send: (endpoint) =>
        plane === "admin"
          ? admin(endpoint, { method: "DELETE", path: adminItemPath(group, key) })
          : dataPlane(
              endpoint,
              { method: "DELETE", path: dataPlaneItemPath(group, key) },
              context.dataPlaneToken,
            ),
      outcome: () => ABSENT_ITEM,
      maybe: ABSENT_ITEM,
    });
  };
}

const createToken: Operation = async (context) => {
  const name = `t${context.sequence()}`;
  const entry = entryOf(context.ledger.tokens, name, ABSENT_TOKEN);
  await perform(context, entry, `POST token ${name}`, {
    send: (endpoint) => admin(endpoint, createTokenCall(name)),
    outcome: (reply) => ({ live: true, uuid: uuidOf(reply) }),
    maybe: { live: true, uuid: null },
  });
  if (entry.known.live && entry.maybe.length === 0) context.ledger.revocable.push(name);
};

const revokeToken: Operation = async (context) => {
  const { revocable, tokens } = context.ledger;
  if (revocable.length === 0) return createToken(context);
  // Taken out of the list: no other request picks it, and a revoked token is never revoked again.
  const index = context.rng.between(0, revocable.length - 1);
  const name = revocable[index] ?? "";
  revocable[index] = revocable[revocable.length - 1] ?? name;
  revocable.pop();
  const entry = tokens.get(name);
  if (entry === undefined || entry.busy || !entry.known.live || entry.maybe.length > 0)
    return createToken(context);
  await perform(context, entry, `DELETE token ${name}`, {
    send: (endpoint) => admin(endpoint, { method: "DELETE", path: tokenPath(name) }),
    outcome: () => ABSENT_TOKEN,
    maybe: ABSENT_TOKEN,
  });
};

/** The mix of the load, by weight: items on both planes, tokens on the admin API. */
export const OPERATIONS: readonly { readonly weight: number; readonly run: Operation }[] = [
  { weight: 12, run: createToken },
  { weight: 8, run: revokeToken },
  { weight: 25, run: writeItem("admin") },
  { weight: 25, run: writeItem("data plane") },
  { weight: 15, run: deleteItem("admin") },
  { weight: 15, run: deleteItem("data plane") },
];

const TOTAL_WEIGHT = OPERATIONS.reduce((sum, operation) => sum + operation.weight, 0);

export function pickOperation(rng: Random): Operation {
  let point = rng.next() * TOTAL_WEIGHT;
  for (const operation of OPERATIONS) {
    point -= operation.weight;
    if (point < 0) return operation.run;
  }
  return createToken;
}
