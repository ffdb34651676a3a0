import { randomBytes } from "node:crypto";
import type { LightMyRequestResponse } from "fastify";
import { afterEach, beforeEach, expect, it } from "vitest";
import type { AuditEvent } from "../../src/audit/audit-event.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness, TEST_HOST } from "../support/harness.ts";

async function recorded(h: Harness): Promise<AuditEvent[]> {
  await h.services.audit.flush();
  return h.store.audit.list({ limit: 500 });
}

describeEachDialect("refused authentications in the audit log", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ settings: { activationDelaySeconds: 0 } });
  });
  afterEach(async () => {
    await h.close();
  });

  const refusal = (response: LightMyRequestResponse, target: string, clientToken: string | null) => ({
    id: expect.any(Number),
    at: h.clock.now(),
    action: "auth.refused",
    target,
    status: response.statusCode,
    outcome: "refused",
    accountId: null,
    clientToken,
    tokenUuid: null,
    traceId: response.headers["x-trace-id"],
    errorCode: expect.stringMatching(/^(auth_|dp_unauthorized$)/),
    via: "api",
  });

  it.each([
    ["a wrong signature", "auth_signature", 401, { clientSecret: randomBytes(32).toString("base64") }],
    ["an unknown client", "auth_unknown_client", 400, { clientToken: "akab-nobody-knows-this-client" }],
    ["a wrong access token", "auth_access_token", 401, { accessToken: "akab-not-the-access-token" }],
  ] as const)("%s: once, naming the client, without its secrets", async (_case, code, status, wrong) => {
    const credentials = { ...h.credentials, ...wrong };
    const body = JSON.stringify({
      name: "t1",
      allowOnStaging: true,
      namespacePermissions: { default: ["r"] },
    });
    const response = await h.signed({ method: "POST", url: "/edgekv/v1/tokens?x=1", body, credentials });
    expect(response.statusCode).toBe(status);
    const events = await recorded(h);
    expect(events).toEqual([
      { ...refusal(response, "POST /edgekv/v1/tokens", credentials.clientToken), errorCode: code },
    ]);
    const stored = JSON.stringify(events);
    for (const secret of [
      credentials.clientSecret,
      credentials.accessToken,
      h.credentials.clientSecret,
      "t1",
    ]) {
      expect(stored).not.toContain(secret);
    }
  });

  it("a reused nonce", async () => {
    const nonce = "a-nonce-used-twice";
    expect((await h.signed({ method: "DELETE", url: "/edgekv/v1/tokens/x", nonce })).statusCode).toBe(404);
    const again = await h.signed({ method: "DELETE", url: "/edgekv/v1/tokens/x", nonce });
    expect(again.statusCode).toBe(401);
    const [latest] = await recorded(h);
    expect(latest).toEqual({
      ...refusal(again, "DELETE /edgekv/v1/tokens/x", h.credentials.clientToken),
      errorCode: "auth_nonce_reused",
    });
  });

  it("a stale timestamp", async () => {
    const stale = new Date(h.clock.now().getTime() - 3_600_000);
    const response = await h.signed({ method: "PUT", url: "/edgekv/v1/initialize", at: stale });
    expect(response.statusCode).toBe(400);
    expect(await recorded(h)).toEqual([
      {
        ...refusal(response, "PUT /edgekv/v1/initialize", h.credentials.clientToken),
        errorCode: "auth_timestamp",
      },
    ]);
  });

  it("a disabled client", async () => {
    await h.store.clients.setEnabled(h.credentials.clientToken, false);
    const response = await h.signed({ method: "GET", url: "/edgekv/v1/tokens" });
    expect(response.statusCode).toBe(401);
    expect((await recorded(h))[0]).toMatchObject({
      action: "auth.refused",
      clientToken: h.credentials.clientToken,
      errorCode: "auth_inactive_client",
    });
  });

  it.each([
    ["no Authorization on a read", "GET", "/edgekv/v1/tokens", {}, null],
    ["no Authorization on an unknown path", "GET", "/_edgekv/v1/nothing/here", {}, null],
    ["another scheme", "PUT", "/edgekv/v1/initialize", { authorization: "Basic dXNlcjpwYXNz" }, null],
    [
      "a malformed EdgeGrid header, still naming its client",
      "POST",
      "/edgekv/v1/tokens",
      { authorization: "EG1-HMAC-SHA256 client_token=akab-named;signature=c2lnbmF0dXJl" },
      "akab-named",
    ],
  ] as const)("%s", async (_case, method, url, headers, clientToken) => {
    const response = await h.app.inject({ method, url, headers: { host: TEST_HOST, ...headers } });
    expect(response.statusCode).toBe(401);
    const events = await recorded(h);
    expect(events).toEqual([
      { ...refusal(response, `${method} ${url}`, clientToken), errorCode: "auth_missing" },
    ]);
    expect(JSON.stringify(events)).not.toContain("c2lnbmF0dXJl");
    expect(JSON.stringify(events)).not.toContain("dXNlcjpwYXNz");
  });

  it.each([
    ["no access token", {}],
    ["a JWT that is not one", { "x-akamai-edgedb-auth": "eyJhbGciOiJub25lIn0.e30.forged-jwt" }],
    ["an unknown reference", { "x-akamai-edgedb-auth-ref": "0b7c2c59-6f2f-4a56-9e0e-a7d2d1a2b4c5" }],
  ])("a data-plane request with %s, without what it presented", async (_case, headers) => {
    const url = "/net/staging/api/v1/namespaces/default/groups/g/items/k";
    const response = await h.app.inject({ method: "PUT", url, headers, payload: "value" });
    expect(response.statusCode).toBe(401);
    const events = await recorded(h);
    expect(events).toEqual([{ ...refusal(response, `PUT ${url}`, null), errorCode: "dp_unauthorized" }]);
    for (const presented of Object.values(headers)) expect(JSON.stringify(events)).not.toContain(presented);
  });
});
