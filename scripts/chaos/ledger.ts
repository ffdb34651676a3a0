/**
 * What the server has promised. Each key (an item, a token name) is touched by one request at a
 * time, so its promises form a sequence: the last acknowledged outcome must hold, and a request
 * that got no answer adds an outcome that may or may not have happened.
 */
export type ItemState =
  | { readonly present: false }
  | { readonly present: true; readonly value: string; readonly json: boolean };

/** A revoked token and one never created look the same from outside: GET answers 404. */
export type TokenState = { readonly live: false } | { readonly live: true; readonly uuid: string | null };

export interface Entry<S> {
  readonly key: string;
  /** What must hold now: the last acknowledged outcome, or what a check found after a kill. */
  known: S;
  /** Outcomes of requests without an answer since then: each may or may not have happened. */
  maybe: S[];
  /** The request behind `known`, for the report of a loss. */
  source: string;
  /** A request on this key is in flight: no other may start. */
  busy: boolean;
  /** Whether any request touched it: an untouched key has nothing to check. */
  touched: boolean;
}

export interface Tally {
  /** Requests answered 2xx: promises to keep. */
  acknowledged: number;
  /** Requests without an answer (in flight at a kill): either outcome passes. */
  unknown: number;
  /** Requests answered with a status the run did not expect; their outcome is treated as unknown. */
  unexpected: number;
  /** Keys whose state after a kill contradicts every outcome the ledger allows. */
  lost: number;
  /** Keys a check could not read (no answer, or an unexpected status, after retries). */
  unreadable: number;
}

export interface Loss {
  readonly cycle: number;
  readonly key: string;
  readonly expected: readonly string[];
  readonly observed: string;
  readonly source: string;
}

export interface Ledger {
  readonly items: Map<string, Entry<ItemState>>;
  readonly tokens: Map<string, Entry<TokenState>>;
  /** Tokens the load created and saw acknowledged, not yet picked for revoking. */
  readonly revocable: string[];
  readonly tally: Tally;
  readonly losses: Loss[];
  /** The first few unexpected answers and unreadable keys, word for word. */
  readonly notes: string[];
}

const NOTES_KEPT = 20;

export function createLedger(): Ledger {
  return {
    items: new Map(),
    tokens: new Map(),
    revocable: [],
    tally: { acknowledged: 0, unknown: 0, unexpected: 0, lost: 0, unreadable: 0 },
    losses: [],
    notes: [],
  };
}

export function entryOf<S>(map: Map<string, Entry<S>>, key: string, initial: S): Entry<S> {
  const existing = map.get(key);
  if (existing !== undefined) return existing;
  const entry: Entry<S> = {
    key,
    known: initial,
    maybe: [],
    source: "never written",
    busy: false,
    touched: false,
  };
  map.set(key, entry);
  return entry;
}

export function note(ledger: Ledger, text: string): void {
  if (ledger.notes.length < NOTES_KEPT) ledger.notes.push(text);
}

export function begin<S>(entry: Entry<S>): void {
  entry.busy = true;
  entry.touched = true;
}

export function acknowledged<S>(ledger: Ledger, entry: Entry<S>, outcome: S, source: string): void {
  entry.known = outcome;
  entry.maybe = [];
  entry.source = source;
  entry.busy = false;
  ledger.tally.acknowledged++;
}

export function unanswered<S>(ledger: Ledger, entry: Entry<S>, outcome: S): void {
  entry.maybe.push(outcome);
  entry.busy = false;
  ledger.tally.unknown++;
}

export function unexpected<S>(ledger: Ledger, entry: Entry<S>, outcome: S, detail: string): void {
  entry.maybe.push(outcome);
  entry.busy = false;
  ledger.tally.unexpected++;
  note(ledger, detail);
}

export const sameItem = (a: ItemState, b: ItemState): boolean =>
  a.present ? b.present && a.value === b.value && a.json === b.json : !b.present;

/** A token created without an answer has no known uuid: any uuid fits. */
export const sameToken = (a: TokenState, b: TokenState): boolean =>
  a.live ? b.live && (a.uuid === null || b.uuid === null || a.uuid === b.uuid) : !b.live;

export const describeItem = (state: ItemState): string =>
  state.present
    ? `${state.json ? "json" : "text"} ${JSON.stringify(state.value.slice(0, 60))}${state.value.length > 60 ? "…" : ""} (${state.value.length} chars)`
    : "absent";

export const describeToken = (state: TokenState): string =>
  state.live ? `live ${state.uuid ?? "(uuid unknown)"}` : "absent or revoked";

/**
 * Compares what a check read after a kill with what the ledger allows, counts a loss when nothing
 * fits, and from then on expects what was read: every request that could change it has ended.
 */
export function reconcile<S>(
  ledger: Ledger,
  entry: Entry<S>,
  observed: S,
  how: { same: (a: S, b: S) => boolean; describe: (state: S) => string; cycle: number },
): void {
  if (how.same(entry.known, observed)) {
    // Equal, except that a token's uuid may become known.
    entry.known = observed;
    entry.maybe = [];
    return;
  }
  if (!entry.maybe.some((outcome) => how.same(outcome, observed))) {
    ledger.tally.lost++;
    ledger.losses.push({
      cycle: how.cycle,
      key: entry.key,
      expected: [entry.known, ...entry.maybe].map(how.describe),
      observed: how.describe(observed),
      source: entry.source,
    });
  }
  entry.known = observed;
  entry.maybe = [];
  entry.source = `read after the kill of cycle ${how.cycle}`;
}
