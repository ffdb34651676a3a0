import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatTimestamp, signRequest } from "../../src/edgegrid/index.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness, TEST_HOST } from "../support/harness.ts";

describeEachDialect("the HTTP app", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const gatewayBody = (status: number, detail: string) => ({
    title: status === 400 ? "Bad request" : "Not authorized",
    status,
    detail,
    method: expect.any(String),
    requestId: expect.stringMatching(/^[0-9a-f]{16}$/),
    requestTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
    type: expect.stringMatching(/^https:\/\/problems\.edgekv\.test\/-\/pep-authn\/(deny|request-error)$/),
    instance: expect.stringMatching(/^https:\/\/edgekv\.test:8443\//),
    clientIp: expect.any(String),
    serverIp: expect.any(String),
  });

  describe("health", () => {
    it("answers without authentication", async () => {
      const response = await h.app.inject({ method: "GET", url: "/_edgekv/health" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: "ok" });
      expect(response.headers["x-trace-id"]).toMatch(/^[0-9a-f]{16}$/);
    });
  });

  describe("X-EdgeKV-Time", () => {
    it("gives the domain clock's time on every answer, errors too, while Date stays real time", async () => {
      h.clock.advance(60 * 86_400_000);
      const answers = [
        await h.app.inject({ method: "GET", url: "/_edgekv/health" }),
        await h.app.inject({ method: "GET", url: "/nowhere" }),
        await h.signed({ method: "GET", url: "/edgekv/v1/tokens/missing" }),
        // Refused before routing, by the error mapper alone.
        await h.app.inject({ method: "GET", url: "/edgekv/v1/networks/%FF/namespaces" }),
      ];
      expect(answers.map((response) => response.statusCode)).toEqual([200, 404, 404, 400]);
      for (const response of answers) {
        expect(response.headers["x-edgekv-time"]).toBe("2027-01-27T12:00:00.000Z");
        expect(Math.abs(Date.parse(String(response.headers.date)) - Date.now())).toBeLessThan(60_000);
      }
    });

    it("is the time after a move of the manual clock", async () => {
      const moved = await h.signed({
        method: "POST",
        url: "/_edgekv/v1/clock",
        body: JSON.stringify({ advanceSeconds: 90 }),
      });
      expect(moved.headers["x-edgekv-time"]).toBe("2026-11-28T12:01:30.000Z");
    });
  });

  describe("a signed request", () => {
    it("reads the account's initialization status", async () => {
      const response = await h.signed({ method: "GET", url: "/edgekv/v1/initialize" });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        accountStatus: "INITIALIZED",
        cpcode: expect.stringMatching(/^\d{7}$/),
        productionStatus: "INITIALIZED",
        stagingStatus: "INITIALIZED",
        dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
      });
    });

    it("verifies the request target as sent, query unsorted and still percent-encoded", async () => {
      const response = await h.signed({ method: "GET", url: "/edgekv/v1/initialize?b=2&a=%2F&c" });
      expect(response.statusCode).toBe(200);
    });

    it("acts on another account with accountSwitchKey when allowed", async () => {
      await h.services.initializer.ensureAccount("acme");
      const acme = (await h.store.accounts.get("acme"))?.cpcode;
      const switched = await h.signed({ method: "GET", url: "/edgekv/v1/initialize?accountSwitchKey=acme" });
      expect(switched.json().cpcode).toBe(acme);
      const plain = await h.addClient({ canSwitchAccounts: false });
      const refused = await h.signed({
        method: "GET",
        url: "/edgekv/v1/initialize?accountSwitchKey=acme",
        credentials: plain,
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ errorCode: "EKV_1000", status: 403 });
    });

    it("is refused with 403 EKV_1000 naming a missing capability", async () => {
      const viewer = await h.addClient({ capabilities: ["VIEW_TOKEN"] });
      const response = await h.signed({ method: "GET", url: "/edgekv/v1/initialize", credentials: viewer });
      expect(response.statusCode).toBe(403);
      expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
      expect(response.json()).toEqual({
        type: "/edgekv/error-types/edgekv-forbidden",
        title: "Forbidden",
        status: 403,
        detail: expect.stringContaining("VIEW_NAMESPACE"),
        instance: expect.stringMatching(/^\/edgekv\/error-instances\/[0-9a-f-]{36}$/),
        errorCode: "EKV_1000",
        additionalDetail: { requestId: response.headers["x-trace-id"] },
      });
    });
  });

  describe("bad input", () => {
    const sign = (input: {
      method: string;
      url: string;
      body?: string;
      secret?: string;
      at?: Date;
      nonce?: string;
    }) =>
      signRequest({
        credentials: {
          ...h.credentials,
          ...(input.secret === undefined ? {} : { clientSecret: input.secret }),
        },
        method: input.method,
        host: TEST_HOST,
        target: input.url,
        ...(input.body === undefined ? {} : { body: Buffer.from(input.body) }),
        timestamp: formatTimestamp(input.at ?? h.clock.now()),
        nonce: input.nonce ?? "fixed-nonce",
      });
    const send = (
      authorization: string | undefined,
      input: { method?: string; url?: string; body?: string } = {},
    ) =>
      h.app.inject({
        method: (input.method ?? "GET") as "GET",
        url: input.url ?? "/edgekv/v1/initialize",
        headers: { host: TEST_HOST, ...(authorization === undefined ? {} : { authorization }) },
        ...(input.body === undefined ? {} : { payload: input.body }),
      });
    const get = { method: "GET", url: "/edgekv/v1/initialize" };

    it.each([
      ["no Authorization header", () => send(undefined), 401, "Missing or malformed Authorization header"],
      [
        "a garbled Authorization header",
        () => send("EG1-HMAC-SHA256 garbage"),
        401,
        "Missing or malformed Authorization header",
      ],
      [
        "a Basic Authorization header",
        () => send("Basic dXNlcjpwYXNz"),
        401,
        "Missing or malformed Authorization header",
      ],
      [
        "a wrong secret",
        () => send(sign({ ...get, secret: "d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldC13cm9uZz0=" })),
        401,
        "The signature does not match",
      ],
      [
        "a timestamp 31 s old",
        () => send(sign({ ...get, at: new Date(h.clock.now().getTime() - 31_000) })),
        400,
        "Invalid timestamp",
      ],
      [
        "a timestamp 31 s ahead",
        () => send(sign({ ...get, at: new Date(h.clock.now().getTime() + 31_000) })),
        400,
        "Invalid timestamp",
      ],
      [
        "an unknown client token",
        () =>
          send(sign(get).replace(/client_token=[^;]+/, "client_token=akab-unknownunknown0-unknownunknown0")),
        400,
        "Invalid client token",
      ],
      [
        "a wrong access token",
        () =>
          send(sign(get).replace(/access_token=[^;]+/, "access_token=akab-wrongwrongwrong-wrongwrongwrong")),
        401,
        "Invalid access token",
      ],
      [
        "a body tampered after signing",
        () =>
          send(sign({ method: "POST", url: "/edgekv/v1/tokens", body: '{"name":"a"}' }), {
            method: "POST",
            url: "/edgekv/v1/tokens",
            body: '{"name":"b"}',
          }),
        401,
        "The signature does not match",
      ],
      [
        "a 12 KB nonce (it would be remembered for minutes)",
        () => send(sign({ ...get, nonce: "n".repeat(12_288) })),
        401,
        "Missing or malformed Authorization header",
      ],
      [
        "a path changed after signing",
        () => send(sign(get), { url: "/edgekv/v1/initialize?x=1" }),
        401,
        "The signature does not match",
      ],
    ])("%s gets %i %s", async (_case, act, status, detail) => {
      const response = await act();
      expect(response.statusCode).toBe(status);
      expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
      expect(response.json()).toEqual(gatewayBody(status, detail));
      if (detail === "The signature does not match") {
        expect(response.headers["www-authenticate"]).toBe(`EG1-HMAC-SHA256 realm="${TEST_HOST}"`);
      }
    });

    it("a disabled client gets 401 Inactive client token", async () => {
      await h.store.clients.setEnabled(h.credentials.clientToken, false);
      const response = await send(sign(get));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual(gatewayBody(401, "Inactive client token"));
    });

    it("two Authorization headers get 401, even when the first is valid", async () => {
      for (const pair of [
        [sign(get), "garbage"],
        ["garbage", sign({ ...get, nonce: "another" })],
      ]) {
        const headers: Record<string, string | string[]> = { host: TEST_HOST, authorization: pair };
        const response = await h.app.inject({ method: "GET", url: "/edgekv/v1/initialize", headers });
        expect(response.statusCode).toBe(401);
        expect(response.json()).toEqual(gatewayBody(401, "Missing or malformed Authorization header"));
      }
    });

    it("two Host headers get 400, whatever the signature", async () => {
      const headers: Record<string, string | string[]> = {
        host: [TEST_HOST, "evil.example:443"],
        authorization: sign(get),
      };
      const response = await h.app.inject({ method: "GET", url: "/edgekv/v1/initialize", headers });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        errorCode: "EKV_2000",
        detail: "The request has 2 Host headers; send one.",
      });
      expect(response.headers["x-trace-id"]).toMatch(/^[0-9a-f]{16}$/);
    });

    it("a replayed request gets 401 Nonce has already been used", async () => {
      const authorization = sign(get);
      expect((await send(authorization)).statusCode).toBe(200);
      const replay = await send(authorization);
      expect(replay.statusCode).toBe(401);
      expect(replay.json()).toEqual(gatewayBody(401, "Nonce has already been used"));
    });

    it("an oversized body gets 413 in the EdgeKV format", async () => {
      const small = await createHarness({ bodyLimit: 2048 });
      try {
        const body = "x".repeat(4096);
        const response = await small.signed({ method: "POST", url: "/edgekv/v1/tokens", body });
        expect(response.statusCode).toBe(413);
        expect(response.json()).toMatchObject({
          type: "/edgekv/error-types/edgekv-payload-too-large",
          status: 413,
          errorCode: "EKV_2000",
          detail: "The request body exceeds the limit of 2048 bytes.",
        });
      } finally {
        await small.close();
      }
    });

    it("a body over the default 1 MiB limit gets 413", async () => {
      const response = await h.signed({
        method: "POST",
        url: "/edgekv/v1/tokens",
        body: "x".repeat(1024 * 1024 + 1),
      });
      expect(response.statusCode).toBe(413);
      expect(response.json().detail).toBe("The request body exceeds the limit of 1048576 bytes.");
    });

    it.each([
      ["not JSON", "{nope"],
      ["duplicate keys", '{"dataAccessPolicy":{},"dataAccessPolicy":{}}'],
    ])("invalid JSON (%s) gets 422 EKV_2001", async (_case, body) => {
      const response = await h.signed({ method: "PUT", url: "/edgekv/v1/initialize", body });
      expect(response.statusCode).toBe(422);
      expect(response.json()).toMatchObject({
        type: "/edgekv/error-types/edgekv-unprocessable-entity",
        title: "Unprocessable Entity",
        status: 422,
        errorCode: "EKV_2001",
        detail: "The JSON request body contained a syntax error or duplicate attributes.",
      });
    });
  });

  describe("routing", () => {
    it("answers an unknown path under /edgekv/v1 with 404 after authentication", async () => {
      const response = await h.signed({ method: "GET", url: "/edgekv/v1/nothing-here" });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({
        status: 404,
        errorCode: "EKV_2000",
        type: "/edgekv/error-types/edgekv-not-found",
      });
      const unsigned = await h.app.inject({ method: "GET", url: "/edgekv/v1/nothing-here" });
      expect(unsigned.statusCode).toBe(401);
      // The router decodes the path, so an encoded prefix is the same prefix: no map without a credential.
      for (const url of ["/%65dgekv/v1/nothing-here", "/_%65dgekv/v1/nothing-here"]) {
        expect((await h.app.inject({ method: "GET", url })).statusCode).toBe(401);
      }
    });

    it("answers an unknown path elsewhere with 404", async () => {
      const response = await h.app.inject({ method: "GET", url: "/favicon.ico" });
      expect(response.statusCode).toBe(404);
      expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    });

    it("answers a wrong method with 405 and Allow", async () => {
      const response = await h.signed({ method: "DELETE", url: "/edgekv/v1/initialize" });
      expect(response.statusCode).toBe(405);
      expect(response.headers.allow).toBe("GET, PUT, HEAD");
      expect(response.json()).toMatchObject({
        status: 405,
        title: "Method Not Allowed",
        errorCode: "EKV_2000",
      });
    });

    it("answers a failure inside the server with 500 EKV_0000 and nothing internal", async () => {
      h.store.clients.get = async () => {
        throw new Error("SQLITE_CORRUPT: secret internals at /var/lib/x.db");
      };
      const response = await h.signed({ method: "GET", url: "/edgekv/v1/initialize" });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toMatchObject({
        status: 500,
        errorCode: "EKV_0000",
        title: "Internal Server Error",
        detail: "An internal error occurred.",
      });
      expect(response.body).not.toMatch(/SQLITE|internals|\/var\/lib/);
    });
  });

  describe("paths that are not valid percent-encoding", () => {
    it.each([
      "/edgekv/v1/tokens/%FF",
      "/edgekv/v1/tokens/%",
      "/api/v1/namespaces/default/groups/g/items/%E0%A4",
    ])("%s gets 400 in the EdgeKV format", async (url) => {
      const response = await h.app.inject({ method: "GET", url });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        status: 400,
        errorCode: "EKV_2000",
        detail: "The request path is not valid percent-encoded UTF-8.",
      });
      expect(response.headers["content-type"]).toBe("application/problem+json; charset=utf-8");
    });
  });
});
