import type { LightMyRequestResponse } from "fastify";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditAction, AuditEvent } from "../../src/audit/audit-event.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";

const GRANT = {
  allowOnStaging: true,
  allowOnProduction: true,
  namespacePermissions: { default: ["r", "w", "d"] },
};
const NAMESPACES = "/edgekv/v1/networks/staging/namespaces";
const NAMESPACE_BODY = { namespace: "audited", retentionInSeconds: 0, groupId: 0 };
const ADMIN_ITEM = "/edgekv/v1/networks/production/namespaces/default/groups/g/items/k";
const EDGE_ITEM = "/api/v1/namespaces/default/groups/g/items/k";

/** Every event recorded so far, newest first. */
async function recorded(h: Harness): Promise<AuditEvent[]> {
  await h.services.audit.flush();
  return h.store.audit.list({ limit: 500 });
}

const json = (value: unknown) => JSON.stringify(value);

describeEachDialect("the audit log records", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness({ settings: { activationDelaySeconds: 0 } });
  });
  afterEach(async () => {
    await h.close();
  });
  const signed = (method: string, url: string, body?: string) =>
    h.signed({ method, url, ...(body === undefined ? {} : { body }) });
  const createToken = (name: string) => signed("POST", "/edgekv/v1/tokens", json({ ...GRANT, name }));

  interface Case {
    readonly name: string;
    readonly before?: () => Promise<unknown>;
    readonly send: () => Promise<LightMyRequestResponse>;
    readonly action: AuditAction;
    readonly target: string;
    readonly status: number;
    readonly outcome: AuditEvent["outcome"];
    readonly errorCode?: string;
  }

  const cases: readonly Case[] = [
    {
      name: "a token created",
      send: () => createToken("t1"),
      action: "token.create",
      target: "tokens/t1",
      status: 200,
      outcome: "ok",
    },
    {
      name: "a token create refused as a duplicate",
      before: () => createToken("t1"),
      send: () => createToken("t1"),
      action: "token.create",
      target: "tokens/t1",
      status: 409,
      outcome: "failed",
      errorCode: "token_conflict",
    },
    {
      name: "a token create whose body is no JSON",
      send: () => signed("POST", "/edgekv/v1/tokens", "{nope"),
      action: "token.create",
      target: "tokens",
      status: 422,
      outcome: "failed",
      errorCode: "malformed_json",
    },
    {
      name: "a token refreshed",
      before: () => createToken("t1"),
      send: () => signed("POST", "/edgekv/v1/tokens/t1/refresh"),
      action: "token.refresh",
      target: "tokens/t1",
      status: 200,
      outcome: "ok",
    },
    {
      name: "a token revoked",
      before: () => createToken("t1"),
      send: () => signed("DELETE", "/edgekv/v1/tokens/t1"),
      action: "token.revoke",
      target: "tokens/t1",
      status: 200,
      outcome: "ok",
    },
    {
      name: "a revocation of a token that is not there",
      send: () => signed("DELETE", "/edgekv/v1/tokens/ghost"),
      action: "token.revoke",
      target: "tokens/ghost",
      status: 404,
      outcome: "failed",
      errorCode: "token_not_found",
    },
    {
      name: "the account initialized (again)",
      send: () => signed("PUT", "/edgekv/v1/initialize"),
      action: "account.initialize",
      target: "account",
      status: 200,
      outcome: "ok",
    },
    {
      name: "the data access policy",
      send: () =>
        signed("PUT", "/edgekv/v1/auth/database", json({ dataAccessPolicy: { restrictDataAccess: false } })),
      action: "database.policy",
      target: "database",
      status: 200,
      outcome: "ok",
    },
    {
      name: "a namespace created",
      send: () => signed("POST", NAMESPACES, json(NAMESPACE_BODY)),
      action: "namespace.create",
      target: "staging/namespaces/audited",
      status: 200,
      outcome: "ok",
    },
    {
      name: "a namespace updated",
      before: () => signed("POST", NAMESPACES, json(NAMESPACE_BODY)),
      send: () =>
        signed("PUT", `${NAMESPACES}/audited`, json({ ...NAMESPACE_BODY, retentionInSeconds: 86_400 })),
      action: "namespace.update",
      target: "staging/namespaces/audited",
      status: 200,
      outcome: "ok",
    },
    {
      name: "a namespace deleted",
      before: () => signed("POST", NAMESPACES, json(NAMESPACE_BODY)),
      send: () => signed("DELETE", `${NAMESPACES}/audited?sync=true`),
      action: "namespace.delete",
      target: "staging/namespaces/audited",
      status: 200,
      outcome: "ok",
    },
    {
      name: "a namespace reauthorized",
      send: () => signed("PUT", "/edgekv/v1/auth/namespaces/default", json({ groupId: 0 })),
      action: "namespace.reauthorize",
      target: "namespaces/default",
      status: 200,
      outcome: "ok",
    },
    {
      name: "an item written",
      send: () => signed("PUT", ADMIN_ITEM, '{"secret":"value"}'),
      action: "item.write",
      target: "production/namespaces/default/groups/g/items/k",
      status: 200,
      outcome: "ok",
    },
    {
      name: "a deletion of an item that is not there",
      send: () => signed("DELETE", ADMIN_ITEM),
      action: "item.delete",
      target: "production/namespaces/default/groups/g/items/k",
      status: 404,
      outcome: "failed",
      errorCode: "kv_not_found",
    },
    {
      name: "a path that cannot be, with what the database cannot store replaced",
      send: () => signed("DELETE", `${ADMIN_ITEM}%00`),
      action: "item.delete",
      target: "production/namespaces/default/groups/g/items/k\uFFFD",
      status: 400,
      outcome: "failed",
      errorCode: "kv_validation",
    },
    {
      name: "the clock moved",
      send: () => signed("POST", "/_edgekv/v1/clock", json({ advanceSeconds: 60 })),
      action: "clock.move",
      target: "clock",
      status: 200,
      outcome: "ok",
    },
    {
      name: "the clock reset to the real time",
      send: () => signed("POST", "/_edgekv/v1/clock", json({ reset: true })),
      action: "clock.move",
      target: "clock",
      status: 200,
      outcome: "ok",
    },
  ];

  it.each(cases)("$name", async (test) => {
    await test.before?.();
    const before = (await recorded(h)).length;
    const response = await test.send();
    expect(response.statusCode).toBe(test.status);
    const events = await recorded(h);
    expect(events).toHaveLength(before + 1);
    expect(events[0]).toEqual({
      id: expect.any(Number),
      at: h.clock.now(),
      action: test.action,
      target: test.target,
      status: test.status,
      outcome: test.outcome,
      accountId: "default",
      clientToken: h.credentials.clientToken,
      tokenUuid: null,
      traceId: response.headers["x-trace-id"],
      errorCode: test.errorCode ?? null,
      via: "api",
    });
  });

  it("a request its client may not make, as refused", async () => {
    const viewer = await h.addClient({ capabilities: ["VIEW_TOKEN"] });
    const response = await h.signed({
      method: "POST",
      url: "/edgekv/v1/tokens",
      body: json({ ...GRANT, name: "t1" }),
      credentials: viewer,
    });
    expect(response.statusCode).toBe(403);
    // Refused before its body was read: the body's token name is not known.
    expect((await recorded(h))[0]).toMatchObject({
      action: "token.create",
      target: "tokens",
      outcome: "refused",
      clientToken: viewer.clientToken,
      errorCode: "forbidden",
    });
  });

  it("a request that failed before authentication, naming nobody", async () => {
    const tooLarge = `"${"x".repeat(1024 * 1024)}"`;
    const response = await signed("PUT", ADMIN_ITEM, tooLarge);
    expect(response.statusCode).toBe(413);
    expect((await recorded(h))[0]).toMatchObject({
      action: "item.write",
      status: 413,
      outcome: "failed",
      accountId: null,
      clientToken: null,
      tokenUuid: null,
    });
  });

  it("the account a switch key acts on", async () => {
    await h.addClient({ accountId: "other" });
    const response = await signed("PUT", `${ADMIN_ITEM}?accountSwitchKey=other`, '"v"');
    expect(response.statusCode).toBe(200);
    expect((await recorded(h))[0]).toMatchObject({
      action: "item.write",
      accountId: "other",
      clientToken: h.credentials.clientToken,
    });
  });

  describe("on the data plane", () => {
    let reference = "";
    let uuid = "";
    beforeEach(async () => {
      const created = (await createToken("edge")).json();
      reference = created.uuid;
      uuid = created.uuid;
    });
    const edge = (method: "PUT" | "DELETE" | "GET", url: string, headers: Record<string, string>) =>
      h.app.inject({ method, url, headers, ...(method === "PUT" ? { payload: "value" } : {}) });

    it.each([
      ["PUT", EDGE_ITEM, "item.write", "production/namespaces/default/groups/g/items/k"],
      ["PUT", `/net/staging${EDGE_ITEM}`, "item.write", "staging/namespaces/default/groups/g/items/k"],
      ["PUT", `/net/staging/ew/42${EDGE_ITEM}`, "item.write", "staging/namespaces/default/groups/g/items/k"],
      ["DELETE", `/ew/42${EDGE_ITEM}`, "item.delete", "production/namespaces/default/groups/g/items/k"],
    ] as const)("%s %s with the token that did it", async (method, url, action, target) => {
      if (method === "DELETE") await edge("PUT", EDGE_ITEM, { "x-akamai-edgedb-auth-ref": reference });
      const response = await edge(method, url, { "x-akamai-edgedb-auth-ref": reference });
      expect(response.statusCode).toBe(200);
      expect((await recorded(h))[0]).toEqual({
        id: expect.any(Number),
        at: h.clock.now(),
        action,
        target,
        status: 200,
        outcome: "ok",
        accountId: "default",
        clientToken: null,
        tokenUuid: uuid,
        traceId: response.headers["x-trace-id"],
        errorCode: null,
        via: "api",
      });
    });

    it("a write the token does not allow, as refused", async () => {
      const response = await edge("PUT", "/api/v1/namespaces/other/groups/g/items/k", {
        "x-akamai-edgedb-auth-ref": reference,
      });
      expect(response.statusCode).toBe(403);
      expect((await recorded(h))[0]).toMatchObject({
        action: "item.write",
        target: "production/namespaces/other/groups/g/items/k",
        outcome: "refused",
        tokenUuid: uuid,
        errorCode: "dp_forbidden",
      });
    });

    it("no read", async () => {
      await edge("PUT", EDGE_ITEM, { "x-akamai-edgedb-auth-ref": reference });
      const before = await recorded(h);
      expect((await edge("GET", EDGE_ITEM, { "x-akamai-edgedb-auth-ref": reference })).statusCode).toBe(200);
      expect((await edge("GET", `${EDGE_ITEM}x`, { "x-akamai-edgedb-auth-ref": reference })).statusCode).toBe(
        404,
      );
      expect(await recorded(h)).toEqual(before);
    });
  });

  it("no read on the admin API, nor a check that changes nothing", async () => {
    await createToken("t1");
    await signed("PUT", ADMIN_ITEM, '"v"');
    const before = await recorded(h);
    const viewer = await h.addClient({ capabilities: ["VIEW_TOKEN"] });
    const reads = [
      await signed("GET", "/edgekv/v1/tokens"),
      await signed("GET", "/edgekv/v1/tokens/t1"),
      await signed("GET", "/edgekv/v1/tokens/ghost"),
      await signed("GET", ADMIN_ITEM),
      await signed("GET", "/edgekv/v1/networks/production/namespaces"),
      await signed("GET", "/_edgekv/v1/clock"),
      await signed("GET", "/_edgekv/v1/audit"),
      await signed("POST", "/_edgekv/v1/tokens/verify", json({ reference: "nothing" })),
      await h.signed({ method: "GET", url: "/edgekv/v1/initialize", credentials: viewer }),
      await h.app.inject({ method: "GET", url: "/_edgekv/health" }),
    ];
    expect(reads.map((response) => response.statusCode)).toEqual([
      200, 200, 404, 200, 200, 200, 200, 200, 403, 200,
    ]);
    expect(await recorded(h)).toEqual(before);
  });
});
