import { afterEach, beforeEach, expect, it } from "vitest";
import { CAPABILITIES } from "../../src/accounts/model.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { type Credentials, createHarness, type Harness } from "../support/harness.ts";
import { problem } from "../support/problem.ts";
import { at, clientOf, EXAMPLE, example, type Json } from "./seed-support.ts";

describeEachDialect("POST /_edgekv/v1/seed", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    // The first request stores the manual clock's time; what a seed writes is compared after it.
    await h.signed({ method: "GET", url: "/_edgekv/v1/clock" });
  });
  afterEach(async () => {
    await h.close();
  });
  const seed = (body: unknown, credentials?: Credentials) =>
    h.signed({
      method: "POST",
      url: "/_edgekv/v1/seed",
      body: typeof body === "string" ? body : JSON.stringify(body),
      ...(credentials === undefined ? {} : { credentials }),
    });

  it("applies the example seed, and applying it again changes nothing", async () => {
    const first = await seed(EXAMPLE);
    expect(first.statusCode, first.body).toBe(200);
    // The harness's account `default` exists already; acme is new.
    expect(first.json()).toEqual({ added: { accounts: 1, clients: 2, namespaces: 6, tokens: 3, items: 6 } });
    const after = await h.store.state.read();
    h.clock.advance(60_000);
    const second = await seed(EXAMPLE);
    expect(second.json()).toEqual({ added: { accounts: 0, clients: 0, namespaces: 0, tokens: 0, items: 0 } });
    expect(await h.store.state.read()).toEqual(after);
  });

  it("gives clients that sign with their fixed credentials, and tokens that work on the data plane", async () => {
    await seed(EXAMPLE);
    const admin = clientOf(example(), 0);
    const token = await h.signed({ method: "GET", url: "/edgekv/v1/tokens/ci-token", credentials: admin });
    expect(token.statusCode, token.body).toBe(200);
    expect(token.json()).toMatchObject({ tokenActivationStatus: "COMPLETE", allowOnStaging: true });
    const item = await h.app.inject({
      method: "GET",
      url: "/net/staging/api/v1/namespaces/catalog/groups/products/items/sku-1",
      headers: { "x-akamai-edgedb-auth-ref": token.json().uuid },
    });
    expect(item.statusCode, item.body).toBe(200);
    expect(item.body).toBe('{"name":"Widget","price":9.99}');
    const reader = clientOf(example(), 1);
    const listed = await h.signed({ method: "GET", url: "/edgekv/v1/tokens", credentials: reader });
    expect(listed.json().tokens.map((t: Json) => t.name)).toEqual(["edge-reader"]);
    const legacy = await h.signed({ method: "GET", url: "/edgekv/v1/tokens/ci-legacy", credentials: admin });
    expect(legacy.json().expiry).toBe(
      new Date(h.clock.now().getTime() + 30 * 86_400_000).toISOString().slice(0, 10),
    );
    const inventory = await h.signed({
      method: "GET",
      url: "/edgekv/v1/networks/production/namespaces/inventory",
      credentials: reader,
    });
    expect(inventory.json()).toMatchObject({ geoLocation: "EU", retentionInSeconds: 0 });
    expect((await h.store.accounts.get("acme"))?.cpcode).toBe("1234567");
  });

  it("writes an item again only when it differs from the seed", async () => {
    await seed(EXAMPLE);
    const url = "/edgekv/v1/networks/production/namespaces/catalog/groups/products/items/sku-1";
    await h.signed({ method: "PUT", url, body: '{"changed":true}' });
    const again = await seed(EXAMPLE);
    expect(again.json().added).toEqual({ accounts: 0, clients: 0, namespaces: 0, tokens: 0, items: 1 });
    expect((await h.signed({ method: "GET", url })).body).toBe('{"name":"Widget","price":9.99}');
  });

  it.each<[string, (seed: { accounts: Json[] }) => unknown, string]>([
    ["not an object", () => "[]", "the seed: must be an object"],
    [
      "a secret too short",
      (s) => {
        at(s, "accounts", 1, "clients", 0).clientSecret = "short";
        return s;
      },
      "accounts[1].clients[0].clientSecret: must be 16 to 128 letters, digits or + / = _ - (base64 of 32 random bytes is usual)",
    ],
    [
      "a misspelt field",
      (s) => {
        at(s, "accounts", 1).namespace = [];
        return s;
      },
      "accounts[1].namespace: is not a known field (a typo?)",
    ],
    [
      "an unknown capability",
      (s) => {
        at(s, "accounts", 1, "clients", 0).capabilities = ["READ_DATA", "FLY"];
        return s;
      },
      `accounts[1].clients[0].capabilities[1]: must be "all" (every EdgeKV capability) or one of ${["VIEW_TOKEN", ...CAPABILITIES.slice(1)].join(", ")}, SERVER_ADMIN`,
    ],
    [
      "an account listed twice",
      (s) => ({ accounts: [...s.accounts, { id: "acme" }] }),
      "accounts[2].id: account acme is listed twice (also accounts[1].id)",
    ],
    [
      "a token on a namespace missing on one of its networks",
      (s) => {
        at(s, "accounts", 0, "tokens", 1).allowOnProduction = true;
        return s;
      },
      "accounts[0].tokens[1].namespacePermissions.sessions: namespace sessions is not on the production network: list it in the account's namespaces, or do not allow the token on production",
    ],
    [
      "an expiry too far ahead",
      (s) => {
        const token = at(s, "accounts", 0, "tokens", 1);
        delete token.expiresInDays;
        token.expiry = "2099-01-01";
        return s;
      },
      "accounts[0].tokens[1].expiry: must be from 2026-11-29 to 2027-05-30 (1 day to 6 months ahead), or use expiresInDays",
    ],
    [
      "an item on a network its namespace is not on",
      (s) => {
        at(s, "accounts", 0, "namespaces", 2).items = [
          { group: "g", key: "k", text: "x", networks: ["production"] },
        ];
        return s;
      },
      "accounts[0].namespaces[2].items[0].networks: the namespace is not on the production network",
    ],
    [
      "an item with both text and json",
      (s) => {
        at(s, "accounts", 0, "namespaces", 0).items = [{ group: "g", key: "k", text: "x", json: 1 }];
        return s;
      },
      'accounts[0].namespaces[0].items[0]: needs exactly one of "text" and "json"',
    ],
  ])(
    "refuses %s whole (400), naming the first wrong field, and writes nothing",
    async (_case, change, detail) => {
      const before = await h.store.state.read();
      const response = await seed(change(example()));
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_2000", detail));
      expect(await h.store.state.read()).toEqual(before);
    },
  );

  it("refuses a seed that contradicts what is stored (409), naming the field, and writes nothing", async () => {
    await seed(EXAMPLE);
    const changed = example();
    at(changed, "accounts", 0, "clients", 0).clientSecret = "c29tZS1vdGhlci1zZWNyZXQtMTIzNDU2Nzg=";
    changed.accounts.push({ id: "newcomer" });
    const before = await h.store.state.read();
    const response = await seed(changed);
    expect(response.statusCode).toBe(409);
    expect(response.json().detail).toBe(
      "accounts[0].clients[0].clientSecret: API client akab-ci-admin-00000000-000000000001 exists with another secret",
    );
    expect(await h.store.state.read()).toEqual(before);
    const cpcode = { accounts: [{ id: "acme", cpcode: "7654321" }] };
    expect((await seed(cpcode)).json().detail).toBe(
      "accounts[0].cpcode: account acme exists with CP code 1234567",
    );
  });

  it("takes SERVER_ADMIN (403 without it)", async () => {
    const viewer = await h.addClient({ capabilities: CAPABILITIES });
    const response = await seed(EXAMPLE, viewer);
    expect(response.statusCode).toBe(403);
    expect(response.json().detail).toMatch(/lacks the SERVER_ADMIN capability/);
    expect(await h.store.accounts.get("acme")).toBeNull();
  });
});
