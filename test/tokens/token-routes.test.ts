import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { createNamespaceForTest } from "../support/namespaces.ts";
import { problem } from "../support/problem.ts";

describeEachDialect("token routes", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  const post = (body: unknown, h2: Harness = h) =>
    h2.signed({
      method: "POST",
      url: "/edgekv/v1/tokens",
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  const get = (url: string) => h.signed({ method: "GET", url });
  const basic = {
    name: "my_token",
    allowOnStaging: true,
    allowOnProduction: true,
    namespacePermissions: { default: ["r", "w", "d"] },
  };

  describe("POST /edgekv/v1/tokens", () => {
    it("creates an enhanced token, fields in Akamai's order", async () => {
      const response = await post({ ...basic, restrictToEdgeWorkerIds: ["1234", "5678"] });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^application\/json/);
      const body = response.json();
      expect(Object.keys(body)).toEqual([
        "name",
        "uuid",
        "allowOnProduction",
        "allowOnStaging",
        "cpcode",
        "expiry",
        "issueDate",
        "latestRefreshDate",
        "namespacePermissions",
        "nextScheduledRefreshDate",
        "restrictToEdgeWorkerIds",
        "tokenActivationStatus",
      ]);
      expect(body).toEqual({
        name: "my_token",
        uuid: expect.stringMatching(UUID),
        allowOnProduction: true,
        allowOnStaging: true,
        cpcode: (await h.store.accounts.get("default"))?.cpcode,
        expiry: "9999-12-31",
        issueDate: "2026-11-28",
        latestRefreshDate: null,
        namespacePermissions: { default: ["r", "w", "d"] },
        nextScheduledRefreshDate: "2027-01-27",
        restrictToEdgeWorkerIds: ["1234", "5678"],
        tokenActivationStatus: "IN_PROGRESS",
      });
    });

    it("omits restrictToEdgeWorkerIds when every EdgeWorker may use the token", async () => {
      for (const [index, ids] of [undefined, [], ["all"]].entries()) {
        const body = (
          await post({
            ...basic,
            name: `t${index}`,
            ...(ids === undefined ? {} : { restrictToEdgeWorkerIds: ids }),
          })
        ).json();
        expect(body).not.toHaveProperty("restrictToEdgeWorkerIds");
      }
    });

    it("accepts the seed's string booleans and the CLI's restrictToEwids alias and empty expiry", async () => {
      const response = await post({
        name: "cli_token",
        allowOnStaging: "true",
        allowOnProduction: "false",
        restrictToEwids: ["42"],
        expiry: "",
        namespacePermissions: { default: ["r"] },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        allowOnStaging: true,
        allowOnProduction: false,
        restrictToEdgeWorkerIds: ["42"],
      });
    });

    it("creates a legacy token with a JWT value when an expiry is given", async () => {
      const response = await post({ ...basic, name: "legacy", expiry: "2027-03-01" });
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(Object.keys(body)).toEqual(["expiry", "name", "uuid", "value"]);
      expect(body).toMatchObject({ expiry: "2027-03-01", name: "legacy", uuid: expect.stringMatching(UUID) });
      const claims = decodeJwt(body.value);
      expect(claims).toMatchObject({
        "namespace-default": ["r", "w", "d"],
        env: ["p", "s"],
        ewids: "all",
        cpc: expect.stringMatching(/^\d{7}$/),
        sub: "default",
        jti: body.uuid,
        exp: Date.parse("2027-03-01T23:59:59Z") / 1000,
        iat: Date.parse("2026-11-28T12:00:00Z") / 1000,
      });
      expect(decodeProtectedHeader(body.value)).toMatchObject({ alg: "ES256", kid: expect.any(String) });
    });

    it("takes the date part of the CLI's ISO timestamp expiry", async () => {
      const response = await post({ ...basic, name: "legacy", expiry: "2027-01-15T00:00:00Z" });
      expect(response.json().expiry).toBe("2027-01-15");
    });

    it("answers 409 for a name already stored, and names are case-sensitive", async () => {
      expect((await post(basic)).statusCode).toBe(200);
      const again = await post(basic);
      expect(again.statusCode).toBe(409);
      expect(again.json()).toEqual(problem(409, "EKV_3000", "Token with name my_token is already stored."));
      expect(again.json().type).toBe("/edgekv/error-types/edgekv-conflict");
      expect((await post({ ...basic, name: "MY_TOKEN" })).statusCode).toBe(200);
    });

    it("gives one 200 and one 409 for two creates of the same name at once", async () => {
      const results = await Promise.all([post(basic), post(basic), post(basic)]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
      expect((await get("/edgekv/v1/tokens")).json().tokens).toHaveLength(1);
    });

    it("enforces the account's token limit", async () => {
      const small = await createHarness({ settings: { tokenLimit: 2 } });
      try {
        expect((await post({ ...basic, name: "a" }, small)).statusCode).toBe(200);
        expect((await post({ ...basic, name: "b" }, small)).statusCode).toBe(200);
        const third = await post({ ...basic, name: "c" }, small);
        expect(third.statusCode).toBe(400);
        expect(third.json()).toEqual(problem(400, "EKV_2000", /already holds 2 access tokens, its limit/));
        await small.signed({ method: "DELETE", url: "/edgekv/v1/tokens/a" });
        expect((await post({ ...basic, name: "c" }, small)).statusCode).toBe(200);
      } finally {
        await small.close();
      }
    });

    const twenty = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`ns${i}`, ["r"]]));
    it.each([
      ["a missing name", { ...basic, name: undefined }, /name is required/],
      ["a numeric name", { ...basic, name: 7 }, /must be a string/],
      ["an empty name", { ...basic, name: "" }, /between 1 and 32/],
      ["a 33-char name", { ...basic, name: "a".repeat(33) }, /between 1 and 32/],
      ["a name with a space", { ...basic, name: "my token" }, /^Name contains invalid characters/],
      ["a name with a dot", { ...basic, name: "my.token" }, /^Name contains invalid characters/],
      ["a name with a slash", { ...basic, name: "a/b" }, /^Name contains invalid characters/],
      ["a non-ASCII name", { ...basic, name: "tökén" }, /^Name contains invalid characters/],
      ["a name starting with -", { ...basic, name: "-token" }, /must not start with '-'/],
      [
        "no namespacePermissions",
        { ...basic, namespacePermissions: undefined },
        /namespacePermissions is required/,
      ],
      [
        "namespacePermissions as an array",
        { ...basic, namespacePermissions: [["default", "r"]] },
        /must be an object/,
      ],
      [
        "namespacePermissions as a string",
        { ...basic, namespacePermissions: "default" },
        /must be an object/,
      ],
      ["no namespaces", { ...basic, namespacePermissions: {} }, /between 1 and 20 namespaces, not 0/],
      ["21 namespaces", { ...basic, namespacePermissions: twenty }, /between 1 and 20 namespaces, not 21/],
      [
        "an empty permission array",
        { ...basic, namespacePermissions: { default: [] } },
        /^Invalid permission/,
      ],
      [
        "four permissions",
        { ...basic, namespacePermissions: { default: ["r", "w", "d", "r"] } },
        /^Invalid permission/,
      ],
      [
        "a repeated permission",
        { ...basic, namespacePermissions: { default: ["r", "r"] } },
        /^Invalid permission/,
      ],
      [
        "an unknown permission",
        { ...basic, namespacePermissions: { default: ["x"] } },
        /^Invalid permission/,
      ],
      [
        "an upper-case permission",
        { ...basic, namespacePermissions: { default: ["R"] } },
        /^Invalid permission/,
      ],
      [
        "permissions as a string",
        { ...basic, namespacePermissions: { default: "rwd" } },
        /^Invalid permission/,
      ],
      [
        "an invalid namespace name",
        { ...basic, namespacePermissions: { "my ns": ["r"] } },
        /Invalid namespace name/,
      ],
      [
        "a missing namespace",
        { ...basic, namespacePermissions: { nowhere: ["r"] } },
        /Namespace nowhere does not exist on the staging network/,
      ],
      [
        "both networks false",
        { ...basic, allowOnStaging: false, allowOnProduction: false },
        /At least one of allowOnStaging or allowOnProduction/,
      ],
      [
        "both networks missing",
        { name: "x", namespacePermissions: { default: ["r"] } },
        /At least one of allowOnStaging or allowOnProduction/,
      ],
      ["allowOnStaging as a number", { ...basic, allowOnStaging: 1 }, /allowOnStaging must be true or false/],
      [
        'allowOnProduction as "yes"',
        { ...basic, allowOnProduction: "yes" },
        /allowOnProduction must be true or false/,
      ],
      [
        "9 EdgeWorker ids",
        { ...basic, restrictToEdgeWorkerIds: ["1", "2", "3", "4", "5", "6", "7", "8", "9"] },
        /at most 8 EdgeWorker ids, not 9/,
      ],
      [
        "a non-numeric EdgeWorker id",
        { ...basic, restrictToEdgeWorkerIds: ["12a"] },
        /numeric EdgeWorker ids/,
      ],
      [
        "an EdgeWorker id object",
        { ...basic, restrictToEdgeWorkerIds: [{ id: 1 }] },
        /numeric EdgeWorker ids/,
      ],
      ["all beside ids", { ...basic, restrictToEdgeWorkerIds: ["all", "1"] }, /numeric EdgeWorker ids/],
      ["EdgeWorker ids as a string", { ...basic, restrictToEdgeWorkerIds: "1234" }, /must be an array/],
      [
        "conflicting id fields",
        { ...basic, restrictToEdgeWorkerIds: ["1"], restrictToEwids: ["2"] },
        /not both/,
      ],
      [
        "an expiry in the past",
        { ...basic, expiry: "2026-11-01" },
        "Invalid expiration time. The expiry must be between 1 day and 6 months from today.",
      ],
      [
        "an expiry today",
        { ...basic, expiry: "2026-11-28" },
        "Invalid expiration time. The expiry must be between 1 day and 6 months from today.",
      ],
      [
        "an expiry 7 months out",
        { ...basic, expiry: "2027-06-28" },
        "Invalid expiration time. The expiry must be between 1 day and 6 months from today.",
      ],
      [
        "a garbled expiry",
        { ...basic, expiry: "next tuesday" },
        "Invalid expiration time. The time format should be provided as per ISO-8601.",
      ],
      [
        "an impossible date",
        { ...basic, expiry: "2027-02-30" },
        "Invalid expiration time. The time format should be provided as per ISO-8601.",
      ],
      [
        "an expiry as a number",
        { ...basic, expiry: 20270101 },
        "Invalid expiration time. The time format should be provided as per ISO-8601.",
      ],
      ["a JSON array body", [basic], /must be a JSON object/],
      ["a JSON string body", '"token"', /must be a JSON object/],
    ])("%s gets 400 EKV_2000", async (_case, body, detail) => {
      const response = await post(body);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(problem(400, "EKV_2000", detail));
      expect((await get("/edgekv/v1/tokens")).json().tokens).toEqual([]);
    });

    it("the expiry limits are inclusive: tomorrow and 183 days out", async () => {
      expect((await post({ ...basic, name: "a", expiry: "2026-11-29" })).statusCode).toBe(200);
      expect((await post({ ...basic, name: "b", expiry: "2027-05-30" })).statusCode).toBe(200);
      expect((await post({ ...basic, name: "c", expiry: "2027-05-31" })).statusCode).toBe(400);
    });

    it("refuses namespaces with different data-access policies", async () => {
      await createNamespaceForTest(h, { name: "restricted", restrictDataAccess: true });
      const response = await post({ ...basic, namespacePermissions: { default: ["r"], restricted: ["r"] } });
      expect(response.statusCode).toBe(400);
      expect(response.json().detail).toMatch(/same data access policy/);
    });

    it.each([
      ["not JSON", "{name: my_token}"],
      ["truncated JSON", '{"name":"my_token"'],
      ["an empty body", ""],
      [
        "duplicate keys",
        '{"name":"a","name":"b","allowOnStaging":true,"namespacePermissions":{"default":["r"]}}',
      ],
      [
        "nested duplicate keys",
        '{"name":"a","allowOnStaging":true,"namespacePermissions":{"default":["r"],"default":["w"]}}',
      ],
    ])("%s gets 422 EKV_2001", async (_case, body) => {
      const response = await post(body);
      expect(response.statusCode).toBe(422);
      expect(response.json()).toEqual(
        problem(422, "EKV_2001", "The JSON request body contained a syntax error or duplicate attributes."),
      );
    });

    it("ignores unknown fields", async () => {
      expect((await post({ ...basic, color: "blue" })).statusCode).toBe(200);
    });
  });

  describe("GET /edgekv/v1/tokens", () => {
    it("answers 200 with an empty list when there are none", async () => {
      const response = await get("/edgekv/v1/tokens");
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ tokens: [] });
    });

    it("lists tokens sorted by name with only the list fields", async () => {
      await post({ ...basic, name: "zeta" });
      await post({ ...basic, name: "alpha" });
      await post({ ...basic, name: "legacy", expiry: "2027-01-01" });
      const { tokens } = (await get("/edgekv/v1/tokens")).json();
      expect(tokens.map((t: { name: string }) => t.name)).toEqual(["alpha", "legacy", "zeta"]);
      expect(Object.keys(tokens[0])).toEqual([
        "expiry",
        "name",
        "uuid",
        "tokenActivationStatus",
        "issueDate",
        "latestRefreshDate",
        "nextScheduledRefreshDate",
      ]);
      expect(tokens[0]).toEqual({
        expiry: "9999-12-31",
        name: "alpha",
        uuid: expect.stringMatching(UUID),
        tokenActivationStatus: "IN_PROGRESS",
        issueDate: "2026-11-28",
        latestRefreshDate: null,
        nextScheduledRefreshDate: "2027-01-27",
      });
      expect(tokens[1]).toEqual({
        expiry: "2027-01-01",
        name: "legacy",
        uuid: expect.stringMatching(UUID),
        tokenActivationStatus: "COMPLETE",
        issueDate: "2026-11-28",
        latestRefreshDate: null,
      });
    });

    it.each(["maybe", "1"])("refuses includeExpired=%s", async (value) => {
      const response = await get(`/edgekv/v1/tokens?includeExpired=${value}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().detail).toBe("includeExpired must be true or false.");
    });
  });

  describe("GET /edgekv/v1/tokens/{tokenName}", () => {
    it("returns the full token in the order of Akamai's example", async () => {
      const created = (await post({ ...basic, restrictToEdgeWorkerIds: ["1234"] })).json();
      const response = await get("/edgekv/v1/tokens/my_token");
      expect(response.statusCode).toBe(200);
      expect(Object.keys(response.json())).toEqual([
        "name",
        "uuid",
        "expiry",
        "tokenActivationStatus",
        "issueDate",
        "latestRefreshDate",
        "nextScheduledRefreshDate",
        "cpcode",
        "restrictToEdgeWorkerIds",
        "allowOnProduction",
        "allowOnStaging",
        "namespacePermissions",
      ]);
      const { tokenActivationStatus: _status, ...rest } = response.json();
      const { tokenActivationStatus: _created, ...createdRest } = created;
      expect(rest).toEqual(createdRest);
    });

    it("returns a legacy token with its value", async () => {
      const created = (await post({ ...basic, expiry: "2027-01-01" })).json();
      expect((await get("/edgekv/v1/tokens/my_token")).json()).toEqual(created);
    });

    it("answers 404 for an unknown token", async () => {
      const response = await get("/edgekv/v1/tokens/nobody");
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual(problem(404, "EKV_3000", "Token with name nobody does not exist."));
      expect(response.json().type).toBe("/edgekv/error-types/edgekv-not-found");
    });

    it.each([
      ["a 33-char name", "a".repeat(33)],
      ["a name with a dot", "a.b"],
      ["a name starting with -", "-abc"],
      ["a percent-encoded space", "a%20b"],
    ])("answers 400 for %s", async (_case, name) => {
      const response = await get(`/edgekv/v1/tokens/${name}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().errorCode).toBe("EKV_2000");
    });
  });

  describe("POST /edgekv/v1/tokens/{tokenName}/refresh", () => {
    it("re-issues the credential and moves the dates", async () => {
      const created = (await post(basic)).json();
      h.clock.advance(10 * 86_400_000);
      const response = await h.signed({ method: "POST", url: "/edgekv/v1/tokens/my_token/refresh" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        name: "my_token",
        uuid: created.uuid,
        issueDate: "2026-11-28",
        latestRefreshDate: "2026-12-08",
        nextScheduledRefreshDate: "2027-02-06",
        tokenActivationStatus: "IN_PROGRESS",
      });
    });

    it("answers 400 for a legacy token, 404 for an unknown one", async () => {
      await post({ ...basic, expiry: "2027-01-01" });
      const legacy = await h.signed({ method: "POST", url: "/edgekv/v1/tokens/my_token/refresh" });
      expect(legacy.statusCode).toBe(400);
      expect(legacy.json().detail).toMatch(/cannot be refreshed/);
      const unknown = await h.signed({ method: "POST", url: "/edgekv/v1/tokens/nobody/refresh" });
      expect(unknown.statusCode).toBe(404);
    });
  });

  describe("DELETE /edgekv/v1/tokens/{tokenName}", () => {
    it("revokes, frees the name and answers name and uuid", async () => {
      const created = (await post(basic)).json();
      const response = await h.signed({ method: "DELETE", url: "/edgekv/v1/tokens/my_token" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ name: "my_token", uuid: created.uuid });
      expect((await get("/edgekv/v1/tokens/my_token")).statusCode).toBe(404);
      expect((await get("/edgekv/v1/tokens")).json().tokens).toEqual([]);
      expect((await h.signed({ method: "DELETE", url: "/edgekv/v1/tokens/my_token" })).statusCode).toBe(404);
      const again = (await post(basic)).json();
      expect(again.uuid).not.toBe(created.uuid);
    });

    it("leaves a consistent token when revoke races refresh", async () => {
      const daily = await createHarness({ settings: { refreshIntervalDays: 1 } });
      await h.close();
      h = daily;
      await post(basic);
      const [refresh, revoke] = await Promise.all([
        h.signed({ method: "POST", url: "/edgekv/v1/tokens/my_token/refresh" }),
        h.signed({ method: "DELETE", url: "/edgekv/v1/tokens/my_token" }),
      ]);
      expect(revoke.statusCode).toBe(200);
      expect([200, 404]).toContain(refresh.statusCode);
      const stored = await h.store.tokens.getByUuid(revoke.json().uuid);
      expect(stored?.revokedAt).not.toBeNull();
      const version = stored?.credentialVersion;
      h.clock.advance(2 * 86_400_000);
      expect(await h.services.scheduler.runNow()).toMatchObject({ refreshed: 0 });
      expect((await h.store.tokens.getByUuid(revoke.json().uuid))?.credentialVersion).toBe(version);
    });
  });

  describe("capabilities", () => {
    const staging = { ...basic, name: "staging_only", allowOnProduction: false };
    it.each([
      ["list", [], "GET", "/edgekv/v1/tokens", /VIEW_TOKEN or VIEW_STAGING_TOKEN/],
      ["create", ["VIEW_TOKEN"], "POST", "/edgekv/v1/tokens", /CREATE_TOKEN/],
      ["get", ["CREATE_TOKEN"], "GET", "/edgekv/v1/tokens/my_token", /VIEW_TOKEN/],
      ["refresh", ["VIEW_TOKEN"], "POST", "/edgekv/v1/tokens/my_token/refresh", /CREATE_TOKEN/],
      ["revoke", ["VIEW_TOKEN"], "DELETE", "/edgekv/v1/tokens/my_token", /REVOKE_TOKEN/],
    ] as const)(
      "%s without the capability gets 403 EKV_1000",
      async (_case, capabilities, method, url, detail) => {
        await post(basic);
        const credentials = await h.addClient({ capabilities });
        const response = await h.signed({
          method,
          url,
          credentials,
          ...(method === "POST" && url.endsWith("tokens")
            ? { body: JSON.stringify({ ...basic, name: "other" }) }
            : {}),
        });
        expect(response.statusCode).toBe(403);
        expect(response.json()).toEqual(problem(403, "EKV_1000", detail));
      },
    );

    it("staging-only capabilities act only on tokens not allowed on production", async () => {
      await post(basic);
      const credentials = await h.addClient({
        capabilities: ["VIEW_STAGING_TOKEN", "CREATE_STAGING_TOKEN", "REVOKE_STAGING_TOKEN"],
      });
      const as = (method: string, url: string, body?: unknown) =>
        h.signed({ method, url, credentials, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      expect((await as("POST", "/edgekv/v1/tokens", staging)).statusCode).toBe(200);
      expect((await as("POST", "/edgekv/v1/tokens", { ...basic, name: "prod" })).statusCode).toBe(403);
      expect(
        (await as("GET", "/edgekv/v1/tokens")).json().tokens.map((t: { name: string }) => t.name),
      ).toEqual(["staging_only"]);
      expect((await as("GET", "/edgekv/v1/tokens/my_token")).statusCode).toBe(403);
      expect((await as("GET", "/edgekv/v1/tokens/staging_only")).statusCode).toBe(200);
      expect((await as("POST", "/edgekv/v1/tokens/staging_only/refresh")).statusCode).toBe(200);
      expect((await as("DELETE", "/edgekv/v1/tokens/my_token")).statusCode).toBe(403);
      expect((await as("DELETE", "/edgekv/v1/tokens/staging_only")).statusCode).toBe(200);
    });

    it("accountSwitchKey acts on the other account's tokens", async () => {
      await h.services.initializer.ensureAccount("acme");
      await h.signed({
        method: "POST",
        url: "/edgekv/v1/tokens?accountSwitchKey=acme",
        body: JSON.stringify(basic),
      });
      expect((await get("/edgekv/v1/tokens")).json().tokens).toEqual([]);
      expect((await get("/edgekv/v1/tokens?accountSwitchKey=acme")).json().tokens).toHaveLength(1);
    });
  });

  describe("JWKS", () => {
    it("publishes the key that signs tokens", async () => {
      const value = (await post({ ...basic, expiry: "2027-01-01" })).json().value;
      const jwks = (await h.app.inject({ method: "GET", url: "/.well-known/jwks.json" })).json();
      const { kid } = decodeProtectedHeader(value);
      expect(jwks.keys.map((key: { kid: string }) => key.kid)).toContain(kid);
      expect(jwks.keys[0]).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
      expect(jwks.keys[0]).not.toHaveProperty("d");
    });
  });
});
