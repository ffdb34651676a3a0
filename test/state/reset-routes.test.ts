import { afterEach, beforeEach, expect, it } from "vitest";
import { CAPABILITIES } from "../../src/accounts/model.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { type Credentials, createHarness, type Harness } from "../support/harness.ts";
import { problem } from "../support/problem.ts";
import { clientOf, EXAMPLE, example } from "./seed-support.ts";

describeEachDialect("POST /_edgekv/v1/reset", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
    const seeded = await h.signed({ method: "POST", url: "/_edgekv/v1/seed", body: EXAMPLE });
    expect(seeded.statusCode).toBe(200);
  });
  afterEach(async () => {
    await h.close();
  });
  const reset = (body?: unknown, credentials?: Credentials) =>
    h.signed({
      method: "POST",
      url: "/_edgekv/v1/reset",
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(credentials === undefined ? {} : { credentials }),
    });
  const namespacesOf = async (accountId: string) =>
    (await h.store.state.read()).namespaces
      .filter((namespace) => namespace.accountId === accountId)
      .map((namespace) => `${namespace.network}/${namespace.name}`);
  const countOf = async (accountId: string) => {
    const state = await h.store.state.read();
    const mine = (row: { accountId: string }) => row.accountId === accountId;
    return {
      tokens: state.tokens.filter(mine).length,
      items: state.items.filter(mine).length,
      clients: state.clients.filter(mine).length,
    };
  };

  it("empties the account the request acts on, leaves it initialized, keeps its clients and other accounts", async () => {
    const acme = await h.store.state.read();
    const response = await reset();
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      accounts: ["default"],
      deleted: { tokens: 2, namespaces: 5, items: 5, clients: 0 },
      reseeded: null,
    });
    expect(await namespacesOf("default")).toEqual(["production/default", "staging/default"]);
    expect(await countOf("default")).toEqual({ tokens: 0, items: 0, clients: 2 });
    const after = await h.store.state.read();
    const isAcme = (row: { accountId: string }) => row.accountId === "acme";
    expect(after.tokens.filter(isAcme)).toEqual(acme.tokens.filter(isAcme));
    expect(after.items.filter(isAcme)).toEqual(acme.items.filter(isAcme));
    // The seeded admin still signs, and the account still works.
    const admin = clientOf(example(), 0);
    expect((await h.signed({ method: "GET", url: "/edgekv/v1/tokens", credentials: admin })).json()).toEqual({
      tokens: [],
    });
  });

  it("empties the account named, or every account with all", async () => {
    expect((await reset({ account: "acme" })).json().accounts).toEqual(["acme"]);
    expect(await countOf("acme")).toEqual({ tokens: 0, items: 0, clients: 1 });
    expect(await countOf("default")).toMatchObject({ tokens: 2, items: 5 });
    expect((await reset({ all: true })).json().accounts).toEqual(["acme", "default"]);
    expect(await countOf("default")).toMatchObject({ tokens: 0, items: 0 });
  });

  it("removes API clients with credentials, but the caller's own", async () => {
    const response = await reset({ all: true, credentials: true });
    expect(response.json().deleted.clients).toBe(2);
    expect((await h.store.clients.list()).map((client) => client.clientToken)).toEqual([
      h.credentials.clientToken,
    ]);
    const admin = clientOf(example(), 0);
    expect((await h.signed({ method: "GET", url: "/edgekv/v1/tokens", credentials: admin })).statusCode).toBe(
      400,
    );
  });

  it.each<[string, unknown, string]>([
    [
      "reseed on a server started without a seed",
      { reseed: true },
      "reseed: this server was started without --seed, so there is no seed to apply again. Start it with --seed FILE, or apply one with POST /_edgekv/v1/seed.",
    ],
    ["an account and all at once", { account: "acme", all: true }, 'Give "account" or "all", not both.'],
    ["all as false", { all: false }, "all must be true, or left out."],
  ])("refuses %s (400) and empties nothing", async (_case, body, detail) => {
    const before = await h.store.state.read();
    const response = await reset(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(problem(400, "EKV_2000", detail));
    expect(await h.store.state.read()).toEqual(before);
  });

  it("finds an account that does not exist empty already", async () => {
    const before = await h.store.state.read();
    const response = await reset({ account: "ghost" });
    expect(response.json()).toEqual({
      accounts: [],
      deleted: { tokens: 0, namespaces: 0, items: 0, clients: 0 },
      reseeded: null,
    });
    expect(await h.store.state.read()).toEqual(before);
  });

  it("takes SERVER_ADMIN (403 without it)", async () => {
    const viewer = await h.addClient({ capabilities: CAPABILITIES });
    const response = await reset({ all: true }, viewer);
    expect(response.statusCode).toBe(403);
    expect(await countOf("default")).toMatchObject({ tokens: 2 });
  });
});
