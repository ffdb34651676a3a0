import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiDocument } from "../../src/server.ts";
import { appWithMetricsToken } from "../metrics/token-app.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { checkAgainstDocument, seen } from "../support/openapi-check.ts";

describeEachDialect("the wire", () => {
  // Every operation answers at least once with success and once with a client error; the harness
  // checks each response against the API document as it is sent, and the last test checks that every
  // operation and status family was seen. So the document cannot drift from the wire.
  describe("every operation against the API document", () => {
    let h: Harness;
    let uuid = "";
    let legacyJwt = "";
    const signed = (method: string, url: string, body?: unknown) =>
      h.signed({
        method,
        url,
        ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      });
    const edge = (method: string, url: string, headers: Record<string, string>, payload?: string) =>
      h.app.inject({ method: method as "GET", url, headers, ...(payload === undefined ? {} : { payload }) });
    const token = {
      allowOnStaging: true,
      allowOnProduction: true,
      namespacePermissions: { default: ["r", "w", "d"] },
    };
    const ITEM = "/api/v1/namespaces/default/groups/g/items/k";

    beforeAll(async () => {
      h = await createHarness({ settings: { activationDelaySeconds: 0 } });
      uuid = (await signed("POST", "/edgekv/v1/tokens", { ...token, name: "enhanced" })).json().uuid;
      legacyJwt = (
        await signed("POST", "/edgekv/v1/tokens", { ...token, name: "legacy", expiry: "2027-01-01" })
      ).json().value;
    });
    afterAll(async () => {
      await h.close();
    });

    it.each([
      [
        "public routes",
        async () => {
          expect((await h.app.inject({ method: "GET", url: "/_edgekv/health" })).statusCode).toBe(200);
          expect((await h.app.inject({ method: "GET", url: "/.well-known/jwks.json" })).statusCode).toBe(200);
          expect((await h.app.inject({ method: "GET", url: "/_edgekv/openapi.json" })).statusCode).toBe(200);
          // Even routes without input can be refused: two Host headers are ambiguous everywhere.
          const twoHosts: Record<string, string[]> = { host: ["a.example", "b.example"] };
          for (const url of ["/_edgekv/health", "/.well-known/jwks.json", "/_edgekv/openapi.json"]) {
            expect((await h.app.inject({ method: "GET", url, headers: twoHosts })).statusCode).toBe(400);
          }
        },
      ],
      [
        "metrics, open and behind a token",
        async () => {
          expect((await h.app.inject({ method: "GET", url: "/metrics" })).statusCode).toBe(200);
          // The harness's app has no metrics token; one that has refuses a scrape without it.
          const guarded = await appWithMetricsToken({ metricsToken: "wire-token" });
          try {
            const refused = await guarded.app.inject({ method: "GET", url: "/metrics" });
            expect(refused.statusCode).toBe(401);
            await checkAgainstDocument({
              method: "GET",
              url: "/metrics",
              status: refused.statusCode,
              headers: refused.headers,
              body: refused.body,
            });
          } finally {
            await guarded.close();
          }
        },
      ],
      [
        "initialization",
        async () => {
          expect((await signed("GET", "/edgekv/v1/initialize")).statusCode).toBe(200);
          expect((await signed("PUT", "/edgekv/v1/initialize")).statusCode).toBe(200);
          expect((await signed("PUT", "/edgekv/v1/initialize", "[1]")).statusCode).toBe(400);
          const viewer = await h.addClient({ capabilities: ["VIEW_TOKEN"] });
          expect(
            (await h.signed({ method: "GET", url: "/edgekv/v1/initialize", credentials: viewer })).statusCode,
          ).toBe(403);
          await h.store.accounts.create({
            id: "fresh",
            cpcode: null,
            initializedAt: null,
            dataAccessPolicy: { restrictDataAccess: false, allowNamespacePolicyOverride: true },
            createdAt: h.clock.now(),
          });
          expect((await signed("GET", "/edgekv/v1/initialize?accountSwitchKey=fresh")).statusCode).toBe(404);
          expect((await signed("PUT", "/edgekv/v1/initialize?accountSwitchKey=fresh", {})).statusCode).toBe(
            201,
          );
        },
      ],
      [
        "tokens",
        async () => {
          expect((await signed("GET", "/edgekv/v1/tokens")).statusCode).toBe(200);
          expect((await signed("GET", "/edgekv/v1/tokens?includeExpired=maybe")).statusCode).toBe(400);
          expect((await signed("POST", "/edgekv/v1/tokens", { ...token, name: "enhanced" })).statusCode).toBe(
            409,
          );
          expect((await signed("POST", "/edgekv/v1/tokens", "{nope")).statusCode).toBe(422);
          expect((await signed("GET", "/edgekv/v1/tokens/enhanced")).statusCode).toBe(200);
          expect((await signed("GET", "/edgekv/v1/tokens/legacy")).statusCode).toBe(200);
          expect((await signed("GET", "/edgekv/v1/tokens/nobody")).statusCode).toBe(404);
          expect((await signed("POST", "/edgekv/v1/tokens/enhanced/refresh")).statusCode).toBe(200);
          expect((await signed("POST", "/edgekv/v1/tokens/legacy/refresh")).statusCode).toBe(400);
          expect((await signed("POST", "/edgekv/v1/tokens", { ...token, name: "doomed" })).statusCode).toBe(
            200,
          );
          expect((await signed("DELETE", "/edgekv/v1/tokens/doomed")).statusCode).toBe(200);
          expect((await signed("DELETE", "/edgekv/v1/tokens/doomed")).statusCode).toBe(404);
        },
      ],
      [
        "edgekv-server's token endpoints",
        async () => {
          expect((await signed("GET", "/_edgekv/v1/tokens/enhanced/edgekv_tokens.js")).statusCode).toBe(200);
          expect((await signed("GET", "/_edgekv/v1/tokens/a.b/edgekv_tokens.js")).statusCode).toBe(400);
          expect((await signed("POST", "/_edgekv/v1/tokens/verify", { reference: uuid })).statusCode).toBe(
            200,
          );
          expect(
            (
              await signed("POST", "/_edgekv/v1/tokens/verify", {
                token: legacyJwt,
                network: "staging",
                namespace: "default",
                operation: "read",
              })
            ).statusCode,
          ).toBe(200);
          expect(
            (await signed("POST", "/_edgekv/v1/tokens/verify", { operation: "constructor" })).statusCode,
          ).toBe(400);
        },
      ],
      [
        "the clock",
        async () => {
          expect((await signed("GET", "/_edgekv/v1/clock")).statusCode).toBe(200);
          expect((await signed("POST", "/_edgekv/v1/clock", { advanceSeconds: 1 })).statusCode).toBe(200);
          expect(
            (await signed("POST", "/_edgekv/v1/clock", { set: "2020-01-01T00:00:00Z" })).statusCode,
          ).toBe(400);
          expect((await h.app.inject({ method: "GET", url: "/_edgekv/v1/clock" })).statusCode).toBe(401);
        },
      ],
      [
        "the audit log",
        async () => {
          expect((await signed("GET", "/_edgekv/v1/audit?action=token.&limit=2")).statusCode).toBe(200);
          expect((await signed("GET", "/_edgekv/v1/audit?since=yesterday")).statusCode).toBe(400);
          const ordinary = await h.addClient();
          expect(
            (await h.signed({ method: "GET", url: "/_edgekv/v1/audit", credentials: ordinary })).statusCode,
          ).toBe(403);
          expect((await h.app.inject({ method: "GET", url: "/_edgekv/v1/audit" })).statusCode).toBe(401);
        },
      ],
      [
        "namespaces",
        async () => {
          const namespaces = "/edgekv/v1/networks/staging/namespaces";
          const body = { namespace: "wire", retentionInSeconds: 0, groupId: 0 };
          expect((await signed("GET", `${namespaces}?details=on`)).statusCode).toBe(200);
          expect((await signed("GET", "/edgekv/v1/networks/moon/namespaces")).statusCode).toBe(400);
          expect((await signed("POST", namespaces, body)).statusCode).toBe(200);
          expect((await signed("POST", namespaces, { ...body, groupId: 5 })).statusCode).toBe(409);
          expect((await signed("GET", `${namespaces}/wire`)).statusCode).toBe(200);
          expect((await signed("GET", `${namespaces}/nope`)).statusCode).toBe(400);
          expect(
            (await signed("PUT", `${namespaces}/wire`, { ...body, retentionInSeconds: 86_400 })).statusCode,
          ).toBe(200);
          expect(
            (await signed("PUT", `${namespaces}/wire`, { ...body, retentionInSeconds: 5 })).statusCode,
          ).toBe(400);
          expect((await signed("DELETE", `${namespaces}/wire`)).statusCode).toBe(202);
          expect((await signed("DELETE", `${namespaces}/wire?sync=true`)).statusCode).toBe(200);
          expect((await signed("DELETE", `${namespaces}/default`)).statusCode).toBe(400);
        },
      ],
      [
        "permission groups and policies",
        async () => {
          expect((await signed("GET", "/edgekv/v1/auth/groups")).statusCode).toBe(200);
          expect((await signed("GET", "/edgekv/v1/auth/groups?accountSwitchKey=nobody")).statusCode).toBe(
            403,
          );
          expect((await signed("GET", "/edgekv/v1/auth/groups/0")).statusCode).toBe(200);
          expect((await signed("GET", "/edgekv/v1/auth/groups/77")).statusCode).toBe(403);
          expect((await signed("PUT", "/edgekv/v1/auth/namespaces/default", { groupId: 0 })).statusCode).toBe(
            200,
          );
          expect((await signed("PUT", "/edgekv/v1/auth/namespaces/nope", { groupId: 1 })).statusCode).toBe(
            400,
          );
          const policy = { dataAccessPolicy: { allowNamespacePolicyOverride: true } };
          expect((await signed("PUT", "/edgekv/v1/auth/database", policy)).statusCode).toBe(200);
          expect((await signed("PUT", "/edgekv/v1/auth/database", [])).statusCode).toBe(400);
        },
      ],
      [
        "items on the admin API",
        async () => {
          const group = "/edgekv/v1/networks/production/namespaces/default/groups/g";
          expect(
            (await h.signed({ method: "PUT", url: `${group}/items/k`, body: '{"a":1}' })).statusCode,
          ).toBe(200);
          expect(
            (
              await h.signed({
                method: "PUT",
                url: `${group}/items/t`,
                body: "text",
                headers: { "content-type": "text/plain" },
              })
            ).statusCode,
          ).toBe(200);
          expect((await signed("PUT", `${group}/items/bad`, "{nope")).statusCode).toBe(400);
          expect((await signed("GET", `${group}/items/k`)).statusCode).toBe(200);
          expect((await signed("GET", `${group}/items/t`)).statusCode).toBe(200);
          expect((await signed("GET", `${group}/items/missing`)).statusCode).toBe(404);
          expect((await signed("GET", group)).statusCode).toBe(200);
          expect((await signed("GET", `${group}?maxItems=0`)).statusCode).toBe(400);
          expect(
            (await signed("GET", "/edgekv/v1/networks/production/namespaces/default/groups")).statusCode,
          ).toBe(200);
          expect(
            (await signed("GET", "/edgekv/v1/networks/production/namespaces/nope/groups")).statusCode,
          ).toBe(400);
          expect((await signed("DELETE", `${group}/items/t`)).statusCode).toBe(200);
          expect((await signed("DELETE", `${group}/items/t`)).statusCode).toBe(404);
        },
      ],
      [
        "the data plane under every prefix",
        async () => {
          const byReference = { "x-akamai-edgedb-auth-ref": uuid };
          const byJwt = { "x-akamai-edgedb-auth": legacyJwt };
          for (const prefix of ["", "/net/staging", "/ew/42", "/net/production/ew/42"]) {
            expect((await edge("PUT", `${prefix}${ITEM}`, byReference, "v")).statusCode).toBe(200);
            expect((await edge("GET", `${prefix}${ITEM}`, byJwt)).statusCode).toBe(200);
            expect((await edge("DELETE", `${prefix}${ITEM}`, byReference)).statusCode).toBe(200);
            expect((await edge("GET", `${prefix}${ITEM}`, byReference)).statusCode).toBe(404);
            expect((await edge("PUT", `${prefix}${ITEM}`, {}, "v")).statusCode).toBe(401);
            expect((await edge("DELETE", `${prefix}${ITEM}`, {})).statusCode).toBe(401);
          }
          expect(
            (await edge("GET", "/net/moon/api/v1/namespaces/default/groups/g/items/k", byReference))
              .statusCode,
          ).toBe(400);
        },
      ],
      [
        "a web console login key, for SERVER_ADMIN only",
        async () => {
          expect((await signed("POST", "/_edgekv/v1/console/keys")).statusCode).toBe(201);
          const viewer = await h.addClient({ capabilities: ["VIEW_TOKEN"] });
          const refused = await h.signed({
            method: "POST",
            url: "/_edgekv/v1/console/keys",
            credentials: viewer,
          });
          expect(refused.statusCode).toBe(403);
        },
      ],
      [
        "seeding and resetting",
        async () => {
          const seed = { accounts: [{ id: "wire-seed", namespaces: [{ name: "seeded" }] }] };
          expect((await signed("POST", "/_edgekv/v1/seed", seed)).statusCode).toBe(200);
          expect((await signed("POST", "/_edgekv/v1/seed", { accounts: [{ id: "" }] })).statusCode).toBe(400);
          expect((await signed("POST", "/_edgekv/v1/reset", { account: "wire-seed" })).statusCode).toBe(200);
          expect((await signed("POST", "/_edgekv/v1/reset", { all: false })).statusCode).toBe(400);
        },
      ],
    ])("%s", async (_case, act) => {
      await act();
    });

    it("saw success and a client error from every operation that can give one", async () => {
      const document = await apiDocument();
      const missing: string[] = [];
      let declared = 0;
      for (const item of Object.values(
        document.paths as Record<
          string,
          Record<string, { operationId: string; responses: Record<string, unknown> }>
        >,
      )) {
        for (const operation of Object.values(item)) {
          for (const family of ["2", "4"]) {
            const declares = Object.keys(operation.responses).some((status) => status.startsWith(family));
            if (declares) declared += 1;
            if (declares && !seen.has(`${operation.operationId} ${family}xx`))
              missing.push(`${operation.operationId} ${family}xx`);
          }
        }
      }
      expect(missing).toEqual([]);
      // Other test files in this worker may have added to `seen`, but only pairs the document declares.
      expect([...seen].filter((pair) => /[24]xx$/.test(pair))).toHaveLength(declared);
    });
  });
});
