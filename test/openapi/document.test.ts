import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiDocument } from "../../src/server.ts";
import { createHarness, type Harness } from "../support/harness.ts";
import { checkAgainstDocument } from "../support/openapi-check.ts";

const COMMITTED = join(import.meta.dirname, "..", "..", "docs", "openapi.json");

type Json = Record<string, unknown>;
const operationsOf = (document: Json) =>
  Object.entries(document.paths as Record<string, Record<string, Json>>).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({ path, method, operation })),
  );

describe("the OpenAPI document", () => {
  it("is committed as generated: run `npm run openapi` after changing a route", async () => {
    const generated = `${JSON.stringify(await apiDocument(), null, 2)}\n`;
    expect(readFileSync(COMMITTED, "utf8"), "docs/openapi.json is stale: run npm run openapi").toBe(
      generated,
    );
  });

  it("validates as OpenAPI 3.1", async () => {
    const validator = new Validator();
    const result = await validator.validate(await apiDocument());
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe("3.1");
  });

  it("holds only schemas that compile as JSON Schema 2020-12", async () => {
    const document = await apiDocument();
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    ajv.addSchema(document, "openapi.json");
    let compiled = 0;
    for (const { path, method, operation } of operationsOf(document)) {
      for (const [status, response] of Object.entries(operation.responses as Record<string, Json>)) {
        for (const mediaType of Object.keys((response.content as Json | undefined) ?? {})) {
          const pointer = ["paths", path, method, "responses", status, "content", mediaType, "schema"]
            .map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1"))
            .join("/");
          expect(() => ajv.compile({ $ref: `openapi.json#/${pointer}` }), pointer).not.toThrow();
          compiled += 1;
        }
      }
    }
    expect(compiled).toBeGreaterThan(100);
  });

  it("covers every route: the admin API, the data plane with its four prefixes, /_edgekv and the JWKS", async () => {
    const document = await apiDocument();
    const ids = operationsOf(document).map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining([
        "listTokens",
        "createToken",
        "getToken",
        "revokeToken",
        "refreshToken",
        "getInitializationStatus",
        "initialize",
        "listNamespaces",
        "createNamespace",
        "getNamespace",
        "updateNamespace",
        "deleteNamespace",
        "listGroups",
        "listItemKeys",
        "readItem",
        "writeItem",
        "deleteItem",
        "verifyToken",
        "downloadTokensFile",
        "getClock",
        "moveClock",
        "health",
        "jwks",
        "openApiDocument",
      ]),
    );
    expect(ids.filter((id) => String(id).startsWith("edge"))).toHaveLength(12);
    expect(Object.keys(document.paths as Json)).toEqual(
      expect.arrayContaining([
        "/api/v1/namespaces/{namespace}/groups/{group}/items/{item}",
        "/net/{network}/ew/{ewid}/api/v1/namespaces/{namespace}/groups/{group}/items/{item}",
      ]),
    );
  });

  it("names the EdgeGrid scheme and the data plane's two token headers", async () => {
    const components = (await apiDocument()).components as { securitySchemes: Record<string, Json> };
    expect(components.securitySchemes.EdgeGrid).toMatchObject({
      type: "apiKey",
      in: "header",
      name: "Authorization",
    });
    expect(components.securitySchemes.EdgeKvTokenJwt).toMatchObject({
      in: "header",
      name: "X-Akamai-EdgeDB-Auth",
    });
    expect(components.securitySchemes.EdgeKvTokenReference).toMatchObject({
      in: "header",
      name: "X-Akamai-EdgeDB-Auth-Ref",
    });
    const document = await apiDocument();
    for (const { operation } of operationsOf(document)) {
      const security = JSON.stringify(operation.security);
      if (String(operation.operationId).startsWith("edge")) {
        expect(security).toBe('[{"EdgeKvTokenJwt":[]},{"EdgeKvTokenReference":[]}]');
      }
    }
  });
});

describe("GET /_edgekv/openapi.json", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it("serves the document without authentication", async () => {
    const response = await h.app.inject({ method: "GET", url: "/_edgekv/openapi.json" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.json()).toEqual(JSON.parse(readFileSync(COMMITTED, "utf8")));
  });
});

describe("the response checker", () => {
  const ok = {
    "x-trace-id": "0123456789abcdef",
    "x-edgekv-time": "2026-11-28T12:00:00.000Z",
    "content-type": "application/json; charset=utf-8",
  };
  it.each([
    [
      "an undeclared status",
      { method: "GET", url: "/edgekv/v1/tokens", status: 201, headers: ok, body: "{}" },
      /does not declare status 201/,
    ],
    [
      "a body that lacks a field",
      { method: "GET", url: "/edgekv/v1/tokens", status: 200, headers: ok, body: '{"token":[]}' },
      /does not match listTokens/,
    ],
    [
      "a field the schema does not have",
      {
        method: "DELETE",
        url: "/edgekv/v1/tokens/a",
        status: 200,
        headers: ok,
        body: '{"name":"a","uuid":"0b7c2c59-6f2f-4a56-9e0e-a7d2d1a2b4c5","extra":1}',
      },
      /does not match revokeToken/,
    ],
    [
      "an undeclared media type",
      {
        method: "GET",
        url: "/edgekv/v1/tokens",
        status: 200,
        headers: { ...ok, "content-type": "text/html" },
        body: "<p>",
      },
      /media type text\/html is not declared/,
    ],
    [
      "no trace id",
      {
        method: "GET",
        url: "/_edgekv/health",
        status: 200,
        headers: { "content-type": "application/json" },
        body: '{"status":"ok"}',
      },
      /no X-Trace-Id/,
    ],
    [
      "no server time",
      {
        method: "GET",
        url: "/_edgekv/health",
        status: 200,
        headers: { "x-trace-id": "0123456789abcdef", "content-type": "application/json" },
        body: '{"status":"ok"}',
      },
      /no X-EdgeKV-Time/,
    ],
    [
      "an error body that is not a problem",
      { method: "GET", url: "/nowhere", status: 404, headers: ok, body: '{"error":"Not Found"}' },
      /not a problem/,
    ],
  ])("refuses %s", async (_case, response, message) => {
    await expect(checkAgainstDocument(response)).rejects.toThrow(message);
  });

  it("accepts a response as the document declares it", async () => {
    await expect(
      checkAgainstDocument({
        method: "GET",
        url: "/_edgekv/health",
        status: 200,
        headers: ok,
        body: '{"status":"ok"}',
      }),
    ).resolves.toBeUndefined();
  });
});
