import { afterEach, beforeEach, expect, it } from "vitest";
import type { AuditAction, AuditEvent, NewAuditEvent } from "../../src/audit/audit-event.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { problem } from "../support/problem.ts";

const AUDIT = "/_edgekv/v1/audit";

interface Page {
  events: Array<Record<string, unknown> & { id: number; action: string }>;
  nextCursor: string | null;
}

describeEachDialect("GET /_edgekv/v1/audit", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const start = new Date("2026-11-28T12:00:00Z");
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
  const event = (action: AuditAction, overrides: Partial<NewAuditEvent> = {}): NewAuditEvent => ({
    at: start,
    action,
    target: "tokens/t",
    status: 200,
    outcome: "ok",
    accountId: "default",
    clientToken: "akab-client",
    tokenUuid: null,
    traceId: "0123456789abcdef",
    errorCode: null,
    via: "api",
    ...overrides,
  });
  const seed = async (events: readonly NewAuditEvent[]): Promise<AuditEvent[]> => {
    const stored: AuditEvent[] = [];
    for (const one of events) stored.push(await h.store.audit.record(one));
    return stored;
  };
  const read = async (query = ""): Promise<Page> => {
    const response = await h.signed({ method: "GET", url: `${AUDIT}${query}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const ids = (page: Page) => page.events.map((one) => one.id);
  const newestFirst = (events: readonly AuditEvent[]) => events.map((one) => one.id).reverse();

  /** Every page of a query, following nextCursor. */
  async function allPages(query: string): Promise<{ ids: number[]; pages: number }> {
    const seen: number[] = [];
    let pages = 0;
    let cursor: string | null = null;
    do {
      const separator = query === "" ? "?" : "&";
      const page: Page = await read(cursor === null ? query : `${query}${separator}cursor=${cursor}`);
      seen.push(...ids(page));
      pages += 1;
      cursor = page.nextCursor;
    } while (cursor !== null);
    return { ids: seen, pages };
  }

  it("answers each event whole, newest first", async () => {
    const [refused, created] = await seed([
      event("auth.refused", {
        target: "GET /edgekv/v1/tokens",
        status: 401,
        outcome: "refused",
        accountId: null,
        clientToken: null,
        errorCode: "auth_missing",
        via: "api",
      }),
      event("token.create", { at: at(1) }),
    ]);
    expect(await read()).toEqual({
      events: [
        {
          id: created?.id,
          at: "2026-11-28T12:01:00.000Z",
          action: "token.create",
          target: "tokens/t",
          status: 200,
          outcome: "ok",
          accountId: "default",
          clientToken: "akab-client",
          tokenUuid: null,
          traceId: "0123456789abcdef",
          errorCode: null,
          via: "api",
        },
        {
          id: refused?.id,
          at: "2026-11-28T12:00:00.000Z",
          action: "auth.refused",
          target: "GET /edgekv/v1/tokens",
          status: 401,
          outcome: "refused",
          accountId: null,
          clientToken: null,
          tokenUuid: null,
          traceId: "0123456789abcdef",
          errorCode: "auth_missing",
          via: "api",
        },
      ],
      nextCursor: null,
    });
  });

  it("includes what this server answered just before", async () => {
    const created = await h.signed({
      method: "POST",
      url: "/edgekv/v1/tokens",
      body: JSON.stringify({ name: "t1", allowOnStaging: true, namespacePermissions: { default: ["r"] } }),
    });
    expect((await read()).events).toEqual([
      expect.objectContaining({
        action: "token.create",
        target: "tokens/t1",
        traceId: created.headers["x-trace-id"],
      }),
    ]);
  });

  it("pages through events of one time without gaps or repeats, 100 at a time unless told", async () => {
    const stored = await seed(Array.from({ length: 123 }, () => event("item.write")));
    const first = await read();
    expect(first.events).toHaveLength(100);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(await allPages("")).toEqual({ ids: newestFirst(stored), pages: 2 });
    expect(await allPages("?limit=7")).toEqual({ ids: newestFirst(stored), pages: 18 });
    expect(await allPages("?limit=123")).toEqual({ ids: newestFirst(stored), pages: 1 });
  });

  it("filters by exact action, by prefix and by time, and pages within the filter", async () => {
    const stored = await seed([
      event("token.create", { at: at(0) }),
      event("token.revoke", { at: at(1) }),
      event("namespace.create", { at: at(2) }),
      event("token.refresh", { at: at(3) }),
      event("auth.refused", { at: at(4) }),
      event("token.create", { at: at(5) }),
    ]);
    const idsOf = (...indexes: number[]) => indexes.map((index) => stored[index]?.id);
    expect(ids(await read("?action=token.create"))).toEqual(idsOf(5, 0));
    expect(ids(await read("?action=token."))).toEqual(idsOf(5, 3, 1, 0));
    expect(ids(await read("?action=auth.refused"))).toEqual(idsOf(4));
    expect(ids(await read("?action=credentials."))).toEqual([]);
    expect(ids(await read("?since=2026-11-28T12:03:00Z"))).toEqual(idsOf(5, 4, 3));
    expect(ids(await read("?until=2026-11-28T12:02:00Z"))).toEqual(idsOf(1, 0));
    expect(ids(await read("?since=2026-11-28T13:01:00%2B01:00&until=2026-11-28T12:05:00.000Z"))).toEqual(
      idsOf(4, 3, 2, 1),
    );
    expect(await allPages("?action=token.&since=2026-11-28T12:01:00Z&limit=1")).toEqual({
      ids: idsOf(5, 3, 1),
      pages: 3,
    });
  });

  it("answers only newer events after an id, for a reader following the log", async () => {
    const stored = await seed(
      Array.from({ length: 6 }, (_, index) => event("item.write", { target: `k${index}` })),
    );
    const newest = stored[5]?.id ?? 0;
    expect(ids(await read(`?after=${newest}`))).toEqual([]);
    const more = await seed([event("item.delete"), event("item.write"), event("item.write")]);
    expect(ids(await read(`?after=${newest}`))).toEqual(newestFirst(more));
    expect(await allPages(`?after=${newest}&limit=2`)).toEqual({ ids: newestFirst(more), pages: 2 });
    expect(ids(await read(`?after=${newest}&action=item.write`))).toEqual(newestFirst(more.slice(1)));
  });

  it("takes SERVER_ADMIN", async () => {
    const ordinary = await h.addClient();
    const response = await h.signed({ method: "GET", url: AUDIT, credentials: ordinary });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual(problem(403, "EKV_1000", /SERVER_ADMIN/));
  });

  it.each([
    ["since=yesterday", /since must be an ISO-8601 time/],
    ["since=2026-11-28", /since must be an ISO-8601 time/],
    ["until=2026-13-01T00:00:00Z", /until must be an ISO-8601 time/],
    ["since=2026-11-28T12:00:00Z&since=2026-11-28T13:00:00Z", /since must be an ISO-8601 time/],
    ["since=2026-11-28T12:00:00Z&until=2026-11-28T12:00:00Z", /until must be later than since/],
    ["action=tokens.create", /action must be an audit action/],
    ["action=token", /action must be an audit action/],
    ["action=nothing.", /action must be an audit action/],
    ["action=", /action must be an audit action/],
    ["limit=0", /limit must be an integer from 1 to 500/],
    ["limit=501", /limit must be an integer from 1 to 500/],
    ["limit=ten", /limit must be an integer from 1 to 500/],
    ["limit=1.5", /limit must be an integer from 1 to 500/],
    ["cursor=garbage", /cursor must be a nextCursor/],
    [`cursor=${Buffer.from("before:-1").toString("base64url")}`, /cursor must be a nextCursor/],
    [`cursor=${Buffer.from("before:12").toString("base64")}=`, /cursor must be a nextCursor/],
    ["after=-1", /after must be an event id/],
    ["after=first", /after must be an event id/],
  ])("refuses ?%s with 400", async (query, message) => {
    const response = await h.signed({ method: "GET", url: `${AUDIT}?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(problem(400, "EKV_2000", message));
  });
});
