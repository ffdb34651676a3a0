import { JsonText } from "../http/route.ts";
import type { TokenListing } from "./model.ts";
import { listItemView } from "./views.ts";

/** The list bodies kept at once (one per account, client and `includeExpired` asked for lately). */
const KEPT = 256;

type ListBody = { readonly tokens: readonly ReturnType<typeof listItemView>[] };

interface Kept {
  readonly items: readonly TokenListing[];
  readonly text: string;
  /** Its statuses hold from when it was made until the first activation pending in it falls due. */
  readonly madeAt: number;
  readonly stableUntil: number;
}

const sameItems = (a: readonly TokenListing[], b: readonly TokenListing[]): boolean =>
  a.length === b.length && a.every((item, index) => item === b[index]);

/**
 * The text of token lists answered lately, so that a list asked for again is not serialised again
 * (500 tokens take milliseconds to turn into JSON). A kept text is used only for the very same token
 * objects, which the store's read cache hands out until the database changes, and only between its
 * making and the first activation in it falling due; anything else is serialised afresh.
 */
export function createListBodies() {
  const kept = new Map<string, Kept>();
  return function listBody(key: string, items: readonly TokenListing[], now: Date): JsonText<ListBody> {
    const at = now.getTime();
    const known = kept.get(key);
    // Not before it was made either: a clock put back (a manual clock reset to the real time, the
    // system's clock stepped) may make a token IN_PROGRESS again.
    if (
      known !== undefined &&
      at >= known.madeAt &&
      at < known.stableUntil &&
      sameItems(known.items, items)
    ) {
      return new JsonText(known.text);
    }
    const text = JSON.stringify({
      tokens: items.map((token) => listItemView(token, now)),
    } satisfies ListBody);
    let stableUntil = Number.POSITIVE_INFINITY;
    for (const token of items) {
      const due = token.activationDueAt.getTime();
      if (due > at && due < stableUntil) stableUntil = due;
    }
    kept.delete(key);
    if (kept.size >= KEPT) kept.delete(kept.keys().next().value as string);
    kept.set(key, { items: [...items], text, madeAt: at, stableUntil });
    return new JsonText(text);
  };
}
