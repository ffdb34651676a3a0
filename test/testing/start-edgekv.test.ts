import { existsSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { durationMs } from "../../src/duration.ts";
import { type EdgeKV, EdgeKVRequestError, startEdgeKV } from "../../src/index.ts";
import { npmClient } from "../support/edgegrid-npm.ts";

const SEED = {
  version: 1,
  accounts: [
    {
      id: "default",
      namespaces: [{ name: "greetings", items: [{ group: "en", key: "hello", text: "Hello, world" }] }],
      tokens: [
        {
          name: "edge-reader",
          allowOnStaging: true,
          allowOnProduction: true,
          namespacePermissions: { greetings: ["r"] },
          expiresInDays: 30,
        },
      ],
    },
  ],
};

interface TokenAnswer {
  name: string;
  value: string;
  expiry: string;
}

describe("startEdgeKV", () => {
  let edgekv: EdgeKV;
  beforeAll(async () => {
    edgekv = await startEdgeKV({ seed: SEED });
  });
  afterAll(() => edgekv.stop());

  it("serves HTTPS on a free port of 127.0.0.1, with an .edgerc Akamai's own client signs with", async () => {
    expect(edgekv.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(edgekv.section).toBe("default");
    expect(edgekv.credentials.host).toBe(edgekv.url.slice("https://".length));
    const client = npmClient({ edgerc: edgekv.edgercPath, ca: readFileSync(edgekv.caPath, "utf8") });
    const listed = await client.request({ method: "GET", path: "/edgekv/v1/tokens" });
    expect(listed.status).toBe(200);
    expect(listed.data).toMatchObject({ tokens: [expect.objectContaining({ name: "edge-reader" })] });
  });

  it("applied the seed: the data plane answers its item to its token", async () => {
    const token = await edgekv.request<TokenAnswer>("GET", "/edgekv/v1/tokens/edge-reader");
    const item = await edgekv.fetch("/api/v1/namespaces/greetings/groups/en/items/hello", {
      headers: { "X-Akamai-EdgeDB-Auth": token.value },
    });
    expect(item.status).toBe(200);
    expect(await item.text()).toBe("Hello, world");
  });

  it("moves the server's clock: the token expires when the test says so", async () => {
    const token = await edgekv.request<TokenAnswer>("GET", "/edgekv/v1/tokens/edge-reader");
    const before = await edgekv.clock.now();
    const after = await edgekv.clock.advance("31d");
    expect(after.getTime() - before.getTime()).toBe(durationMs("31d"));
    expect(await edgekv.clock.now()).toEqual(after);
    const refused = await edgekv.fetch("/api/v1/namespaces/greetings/groups/en/items/hello", {
      headers: { "X-Akamai-EdgeDB-Auth": token.value },
    });
    expect(refused.status).toBe(401);
    const set = await edgekv.clock.set(new Date(after.getTime() + 3_600_000));
    expect(set.getTime() - after.getTime()).toBe(3_600_000);
    const real = Date.now();
    const reset = await edgekv.clock.reset();
    expect(Math.abs(reset.getTime() - real)).toBeLessThan(5_000);
  });

  it("rejects a move backwards, and a duration it cannot read, saying why", async () => {
    const error = await edgekv.clock.set("2000-01-01T00:00:00Z").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(EdgeKVRequestError);
    expect(error).toMatchObject({ status: 400, message: expect.stringMatching(/only moves forward/) });
    await expect(edgekv.clock.advance("soon")).rejects.toThrow(
      '"soon" is not a duration: give whole weeks, days, hours, minutes or seconds, largest first, e.g. 90s, 15m, 2h, 60d or 1d12h.',
    );
  });

  it("resets the account and seeds it again", async () => {
    const reset = await edgekv.reset({ reseed: true });
    expect(reset.accounts).toEqual(["default"]);
    // Both namespaces (default and greetings) and the item are on both networks, as a seed puts them
    // unless told otherwise; the reset leaves default in place again.
    expect(reset.deleted).toEqual({ tokens: 1, namespaces: 4, items: 2, clients: 0 });
    expect(reset.reseeded).toEqual({ accounts: 0, clients: 0, namespaces: 2, items: 2, tokens: 1 });
    const emptied = await edgekv.reset();
    expect(emptied.reseeded).toBeNull();
    await expect(edgekv.request("GET", "/edgekv/v1/tokens/edge-reader")).rejects.toMatchObject({
      status: 404,
    });
    expect(await edgekv.seed(SEED)).toEqual({ accounts: 0, clients: 0, namespaces: 2, items: 2, tokens: 1 });
  });
});

describe("startEdgeKV's stop", () => {
  it("closes the port and removes the temporary data directory", async () => {
    const edgekv = await startEdgeKV({ clock: "system" });
    const dir = dirname(edgekv.edgercPath);
    expect(existsSync(dir)).toBe(true);
    await expect(edgekv.clock.now()).rejects.toMatchObject({ status: 404 });
    await edgekv.stop();
    await edgekv.stop();
    expect(existsSync(dir)).toBe(false);
    await expect(edgekv.fetch("/_edgekv/v1/health")).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });
});

describe("durationMs", () => {
  it.each([
    ["90s", 90_000],
    ["2h", 7_200_000],
    ["60d", 5_184_000_000],
    ["1d12h", 129_600_000],
    ["1w", 604_800_000],
    [1500, 1500],
  ])("reads %j as %d ms", (text, ms) => expect(durationMs(text)).toBe(ms));

  it.each(["", "10", "1.5h", "-1d", "1y", "d", "12h1d"])("refuses %j", (text) => {
    expect(() => durationMs(text)).toThrow(RangeError);
  });
});
