import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServeConfig } from "../../src/config.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { npmClient } from "../support/edgegrid-npm.ts";

const seed = JSON.parse(
  readFileSync(join(import.meta.dirname, "../fixtures/seed-examples.json"), "utf8"),
) as Record<"create" | "retrieve" | "refresh", Record<string, unknown>> & {
  list: { tokens: Array<Record<string, unknown>> };
};

/** Same fields with the same JSON types (values aside; null stands for "a date or null"). */
function expectSameShape(actual: unknown, example: Record<string, unknown>): void {
  expect(typeof actual).toBe("object");
  const fields = actual as Record<string, unknown>;
  expect(Object.keys(fields).sort()).toEqual(Object.keys(example).sort());
  for (const [key, value] of Object.entries(example)) {
    const got = fields[key];
    if (value === null || (typeof value === "string" && /^\d{4}-\d\d-\d\d$/.test(value))) {
      expect(got === null || (typeof got === "string" && /^\d{4}-\d\d-\d\d$/.test(got)), key).toBe(true);
    } else if (Array.isArray(value)) {
      expect(Array.isArray(got), key).toBe(true);
    } else {
      expect(typeof got, key).toBe(typeof value);
    }
  }
}

// The seed document's requests, replayed over real TLS with Akamai's npm client, and the responses
// compared field by field with the seed's example responses.
describe("the seed document's examples over TLS with akamai-edgegrid", () => {
  let dataDir: string;
  let server: RunningServer;
  let client: ReturnType<typeof npmClient>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "edgekv-seed-"));
    server = await startServer(
      parseServeConfig({ port: "0", dataDir, clock: "manual", activationDelaySeconds: "5" }),
      {
        logger: pino({ level: "silent" }),
      },
    );
    client = npmClient({ edgerc: server.edgercPath, ca: readFileSync(server.certPath ?? "", "utf8") });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const json = { "Content-Type": "application/json" };

  it("creates a token (the seed's HTTPie request sends string booleans)", async () => {
    const response = await client.request({
      method: "POST",
      path: "/edgekv/v1/tokens",
      headers: json,
      body: {
        name: "my_token",
        allowOnStaging: "true",
        allowOnProduction: "true",
        namespacePermissions: { default: ["r", "w", "d"] },
        restrictToEdgeWorkerIds: ["1234", "5678"],
      },
    });
    expect(response.status).toBe(200);
    const { latestRefreshDate, ...rest } = response.data as Record<string, unknown>;
    // The seed's create example predates latestRefreshDate; the contract adds it (null until a refresh).
    expect(latestRefreshDate).toBeNull();
    expectSameShape(rest, seed.create);
    expect(rest).toMatchObject({
      name: "my_token",
      expiry: "9999-12-31",
      tokenActivationStatus: "IN_PROGRESS",
    });
  });

  it("lists tokens with includeExpired=true", async () => {
    await client.request({
      method: "POST",
      path: "/edgekv/v1/tokens",
      headers: json,
      body: {
        name: "token1",
        allowOnStaging: true,
        allowOnProduction: true,
        namespacePermissions: { default: ["r", "w", "d"] },
        restrictToEdgeWorkerIds: ["1234", "5678"],
      },
    });
    const response = await client.request({ method: "GET", path: "/edgekv/v1/tokens?includeExpired=true" });
    expect(response.status).toBe(200);
    const { tokens } = response.data as { tokens: Array<Record<string, unknown>> };
    expect(tokens.map((token) => token.name)).toEqual(["my_token", "token1"]);
    for (const token of tokens) expectSameShape(token, seed.list.tokens[1] ?? {});
    expect(Object.keys(tokens[0] ?? {})).toEqual(Object.keys(seed.list.tokens[0] ?? {}));
  });

  it("retrieves token1 in the seed's field order", async () => {
    const response = await client.request({ method: "GET", path: "/edgekv/v1/tokens/token1" });
    expect(response.status).toBe(200);
    expectSameShape(response.data, seed.retrieve);
    expect(Object.keys(response.data as object)).toEqual(Object.keys(seed.retrieve));
  });

  it("refreshes token1 (no body) and answers like the seed's refresh example", async () => {
    const response = await client.request({ method: "POST", path: "/edgekv/v1/tokens/token1/refresh" });
    expect(response.status).toBe(200);
    expectSameShape(response.data, seed.refresh);
    expect(Object.keys(response.data as object)).toEqual(Object.keys(seed.refresh));
    expect(response.data).toMatchObject({
      tokenActivationStatus: "IN_PROGRESS",
      latestRefreshDate: expect.any(String),
    });
  });

  it("moves the manual clock over TLS and the refresh completes", async () => {
    const moved = await client.request({
      method: "POST",
      path: "/_edgekv/v1/clock",
      headers: json,
      body: { advanceSeconds: 5 },
    });
    expect(moved.status).toBe(200);
    const response = await client.request({ method: "GET", path: "/edgekv/v1/tokens/token1" });
    expect((response.data as Record<string, unknown>).tokenActivationStatus).toBe("COMPLETE");
  });

  it("revokes and answers name and uuid", async () => {
    const response = await client.request({ method: "DELETE", path: "/edgekv/v1/tokens/my_token" });
    expect(response.status).toBe(200);
    expect(Object.keys(response.data as object)).toEqual(["name", "uuid"]);
  });
});
