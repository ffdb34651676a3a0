import { describe, expect, it } from "vitest";
import { JsonText } from "../../src/http/route.ts";
import { createListBodies } from "../../src/tokens/list-bodies.ts";
import type { TokenListing } from "../../src/tokens/model.ts";
import { listItemView } from "../../src/tokens/views.ts";
import { storedToken } from "../support/tokens.ts";

// A token list's JSON is kept and sent again; it must always be the text a fresh serialisation
// would give, for the tokens and the time of the request.
const at = new Date("2026-12-02T10:00:00.000Z");
const later = (seconds: number) => new Date(at.getTime() + seconds * 1000);

const listing = (name: string, activationDueAt: Date): TokenListing =>
  storedToken({ uuid: `uuid-${name}`, name, issuedAt: at, activationDueAt });

const fresh = (items: readonly TokenListing[], now: Date) =>
  JSON.stringify({ tokens: items.map((token) => listItemView(token, now)) });

const textOf = (body: JsonText<unknown>) => {
  expect(body).toBeInstanceOf(JsonText);
  return body.text;
};

describe("token list bodies", () => {
  it("answers the same tokens with the same text, as a fresh serialisation would", () => {
    const listBody = createListBodies();
    const items = [listing("a", at), listing("b", at)];
    const first = textOf(listBody("acme", items, at));
    expect(first).toBe(fresh(items, at));
    expect(textOf(listBody("acme", [...items], later(60)))).toBe(first);
  });

  it("shows a pending activation as IN_PROGRESS until it falls due, then COMPLETE", () => {
    const listBody = createListBodies();
    const items = [listing("a", at), listing("b", later(5))];
    expect(textOf(listBody("acme", items, at))).toContain('"tokenActivationStatus":"IN_PROGRESS"');
    expect(textOf(listBody("acme", items, later(4.999)))).toBe(fresh(items, later(4.999)));
    const due = textOf(listBody("acme", items, later(5)));
    expect(due).not.toContain("IN_PROGRESS");
    expect(due).toBe(fresh(items, later(5)));
  });

  it("serialises again when the clock is put back before the text was made", () => {
    const listBody = createListBodies();
    const items = [listing("a", later(5))];
    expect(textOf(listBody("acme", items, later(10)))).not.toContain("IN_PROGRESS");
    const back = textOf(listBody("acme", items, at));
    expect(back).toContain('"tokenActivationStatus":"IN_PROGRESS"');
    expect(back).toBe(fresh(items, at));
  });

  it("serialises again when any token is another object (the database changed)", () => {
    const listBody = createListBodies();
    const items = [listing("a", at), listing("b", at)];
    listBody("acme", items, at);
    const renamed = [items[0] as TokenListing, { ...listing("b", at), latestRefreshOn: "2026-12-02" }];
    expect(textOf(listBody("acme", renamed, at))).toBe(fresh(renamed, at));
    expect(textOf(listBody("acme", renamed.slice(0, 1), at))).toBe(fresh(renamed.slice(0, 1), at));
    expect(textOf(listBody("acme", [], at))).toBe('{"tokens":[]}');
  });

  it("keeps the lists of different keys apart", () => {
    const listBody = createListBodies();
    const one = [listing("a", at)];
    const other = [listing("z", at)];
    for (let round = 0; round < 3; round += 1) {
      expect(textOf(listBody("acme", one, at))).toBe(fresh(one, at));
      expect(textOf(listBody("globex", other, at))).toBe(fresh(other, at));
    }
  });
});
