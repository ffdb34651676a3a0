import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientCredentials, sendSigned } from "../../src/cli/edgegrid-client.ts";
import { parseServeConfig } from "../../src/config.ts";
import { readEdgercSection } from "../../src/edgegrid/index.ts";
import { type RunningServer, startServer } from "../../src/server.ts";
import { edgeClient, type TokenEntry } from "../support/edge-client.ts";
import { checkAgainstDocument } from "../support/openapi-check.ts";

// The data plane over real TLS, driven the way edgekv.js drives it, with tokens taken from the
// edgekv_tokens.js file the server renders.
describe("the data plane over TLS", () => {
  let dataDir: string;
  let server: RunningServer;
  let ca: string;
  let credentials: ClientCredentials;

  const admin = async (method: string, target: string, body?: unknown) => {
    const response = await sendSigned({
      credentials,
      method,
      target,
      ca,
      ...(body === undefined
        ? {}
        : { body: Buffer.from(JSON.stringify(body)), headers: { "Content-Type": "application/json" } }),
    });
    // Real responses over TLS must match the API document too.
    await checkAgainstDocument({ method, url: target, ...response });
    return {
      status: response.status,
      body: response.body,
      json: () => JSON.parse(response.body) as Record<string, unknown>,
    };
  };
  const advance = (seconds: number) => admin("POST", "/_edgekv/v1/clock", { advanceSeconds: seconds });

  /** Creates a token and returns its entry for `namespace` from the server's edgekv_tokens.js, imported as a module. */
  async function tokenEntry(body: Record<string, unknown>, namespace = "default"): Promise<TokenEntry> {
    const created = await admin("POST", "/edgekv/v1/tokens", {
      allowOnStaging: true,
      allowOnProduction: true,
      ...body,
    });
    expect(created.status, created.body).toBe(200);
    const file = await admin("GET", `/_edgekv/v1/tokens/${String(body.name)}/edgekv_tokens.js`);
    expect(file.status).toBe(200);
    const path = join(dataDir, `${String(body.name)}.mjs`);
    writeFileSync(path, file.body);
    const module = (await import(pathToFileURL(path).href)) as {
      edgekv_access_tokens: Record<string, TokenEntry>;
    };
    const entry = module.edgekv_access_tokens[`namespace-${namespace}`];
    if (entry === undefined) throw new Error(`no entry for ${namespace}`);
    return entry;
  }

  const client = (token: TokenEntry, prefix = "") =>
    edgeClient({ edgekvUri: `${server.url}${prefix}`, namespace: "default", group: "g", token, ca });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "edgekv-dataplane-"));
    server = await startServer(
      parseServeConfig({ port: "0", dataDir, clock: "manual", activationDelaySeconds: "5" }),
      {
        logger: pino({ level: "silent" }),
      },
    );
    ca = readFileSync(server.certPath ?? "", "utf8");
    credentials = readEdgercSection({ text: readFileSync(server.edgercPath, "utf8"), section: "default" });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("a reference token is refused while IN_PROGRESS, then reads, writes and deletes like edgekv.js", async () => {
    const token = await tokenEntry({ name: "ref_token", namespacePermissions: { default: ["r", "w", "d"] } });
    expect(token).toEqual({ name: "ref_token", reference: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    const edge = client(token);
    await expect(edge.putText("greeting", "hello")).rejects.toMatchObject({ status: 401 });
    await advance(5);
    expect(await edge.putText("greeting", "hello")).toBe("OK");
    expect(await edge.getText("greeting")).toBe("hello");
    await edge.putJson("config", { colour: "blue", sizes: [1, 2] });
    expect(await edge.getJson("config")).toEqual({ colour: "blue", sizes: [1, 2] });
    expect(await edge.getText("missing", "fallback")).toBe("fallback");
    expect(await edge.delete("greeting")).toBe(true);
    expect(await edge.getText("greeting")).toBeNull();
    // The data plane and the admin API see the same items.
    const viaAdmin = await admin(
      "GET",
      "/edgekv/v1/networks/production/namespaces/default/groups/g/items/config",
    );
    expect(JSON.parse(viaAdmin.body)).toEqual({ colour: "blue", sizes: [1, 2] });
  });

  it("a legacy value token works, and revoking makes both kinds 401", async () => {
    const legacy = await tokenEntry({
      name: "value_token",
      expiry: "2027-03-01",
      namespacePermissions: { default: ["r", "w"] },
    });
    expect(legacy.value).toMatch(/^ey/);
    const reference = await tokenEntry({ name: "ref2", namespacePermissions: { default: ["r"] } });
    await advance(5);
    await client(legacy).putText("k", "v");
    expect(await client(legacy).getText("k")).toBe("v");
    expect(await client(reference).getText("k")).toBe("v");
    await admin("DELETE", "/edgekv/v1/tokens/value_token");
    await admin("DELETE", "/edgekv/v1/tokens/ref2");
    await expect(client(legacy).getText("k")).rejects.toMatchObject({ status: 401 });
    await expect(client(reference).getText("k")).rejects.toMatchObject({ status: 401 });
  });

  it("refuses with 403 what a valid token does not grant", async () => {
    const readOnly = await tokenEntry({ name: "reader", namespacePermissions: { default: ["r"] } });
    const stagingOnly = await tokenEntry({
      name: "staging",
      allowOnProduction: false,
      namespacePermissions: { default: ["r", "w"] },
    });
    const pinned = await tokenEntry({
      name: "pinned",
      restrictToEdgeWorkerIds: ["1234"],
      namespacePermissions: { default: ["r", "w"] },
    });
    await advance(5);
    await expect(client(readOnly).putText("x", "1")).rejects.toMatchObject({ status: 403 });
    await expect(client(readOnly).delete("x")).rejects.toMatchObject({ status: 403 });
    await expect(client(stagingOnly).putText("x", "1")).rejects.toMatchObject({ status: 403 });
    expect(await client(stagingOnly, "/net/staging").putText("x", "staging value")).toBe("OK");
    expect(await client(stagingOnly, "/net/staging").getText("x")).toBe("staging value");
    await expect(client(pinned, "/ew/999").putText("x", "1")).rejects.toMatchObject({ status: 403 });
    await expect(client(pinned).putText("x", "1")).rejects.toMatchObject({ status: 403 });
    expect(await client(pinned, "/ew/1234").putText("x", "production value")).toBe("OK");
    expect(await client(pinned, "/net/production/ew/1234").getText("x")).toBe("production value");
    // Staging and production hold separate items.
    expect(await client(stagingOnly, "/net/staging").getText("x")).toBe("staging value");
    const other = edgeClient({ edgekvUri: server.url, namespace: "other", group: "g", token: readOnly, ca });
    await expect(other.getText("x")).rejects.toMatchObject({ status: 403 });
  });

  it("keeps working during a refresh and after the new credential is active", async () => {
    const token = await tokenEntry({ name: "refreshing", namespacePermissions: { default: ["r", "w"] } });
    await advance(5);
    await client(token).putText("r", "1");
    expect((await admin("POST", "/edgekv/v1/tokens/refreshing/refresh")).json().tokenActivationStatus).toBe(
      "IN_PROGRESS",
    );
    expect(await client(token).getText("r")).toBe("1");
    await advance(5);
    expect(await client(token).getText("r")).toBe("1");
    // 70 days on, the scheduled refresh has happened and the token still works.
    await advance(70 * 86_400);
    expect(await client(token).getText("r")).toBe("1");
  });

  it("answers bad input with the right status", async () => {
    const token = await tokenEntry({
      name: "badinput",
      expiry: "2027-03-01",
      namespacePermissions: { default: ["r", "w"] },
    });
    const edge = client(token);
    const jwt = token.value ?? "";
    const [header, payload, signature] = jwt.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString()) as Record<string, unknown>;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, "namespace-other": ["r"] })).toString("base64url")}.${signature}`;
    const expired = JSON.stringify({ ...claims, exp: 1 });
    const withHeaders = (headers: Record<string, string>, item = "k") =>
      edgeClient({
        edgekvUri: server.url,
        namespace: "default",
        group: "g",
        token: { name: "x", ...headers },
        ca,
      }).send("GET", item);
    const foreign = await startServer(parseServeConfig({ port: "0", dataDir: join(dataDir, "foreign") }), {
      logger: pino({ level: "silent" }),
    });
    let foreignJwt: string;
    try {
      const foreignCredentials = readEdgercSection({
        text: readFileSync(foreign.edgercPath, "utf8"),
        section: "default",
      });
      const created = await sendSigned({
        credentials: foreignCredentials,
        method: "POST",
        target: "/edgekv/v1/tokens",
        ca: readFileSync(foreign.certPath ?? "", "utf8"),
        body: Buffer.from(
          JSON.stringify({
            name: "badinput",
            allowOnStaging: true,
            allowOnProduction: true,
            expiry: "2027-03-01",
            namespacePermissions: { default: ["r"] },
          }),
        ),
      });
      foreignJwt = (JSON.parse(created.body) as { value: string }).value;
    } finally {
      await foreign.close();
    }
    const cases: Array<[string, () => Promise<{ status: number }>, number]> = [
      ["no token header", () => withHeaders({}), 401],
      ["a malformed JWT", () => withHeaders({ value: "not-a-jwt" }), 401],
      ["a JWT signed by another server's key", () => withHeaders({ value: foreignJwt }), 401],
      ["a tampered payload", () => withHeaders({ value: tampered }), 401],
      [
        "a JWT with a changed exp",
        () => withHeaders({ value: `${header}.${Buffer.from(expired).toString("base64url")}.${signature}` }),
        401,
      ],
      ["an unknown reference", () => withHeaders({ reference: "00000000-0000-4000-8000-000000000000" }), 401],
      ["a malformed reference", () => withHeaders({ reference: "../../etc" }), 401],
      [
        "an invalid namespace name",
        () =>
          edgeClient({ edgekvUri: server.url, namespace: "bad.ns", group: "g", token, ca }).send("GET", "k"),
        400,
      ],
      [
        "an invalid group name",
        () =>
          edgeClient({ edgekvUri: server.url, namespace: "default", group: "g!", token, ca }).send(
            "GET",
            "k",
          ),
        400,
      ],
      ["an invalid item name", () => edge.send("GET", "k.v"), 400],
      ["a 513-char item name", () => edge.send("GET", "k".repeat(513)), 400],
      ["an unknown network", () => client(token, "/net/moon").send("GET", "k"), 400],
      ["an oversized value", () => edge.send("PUT", "big", "x".repeat(262_145)), 413],
      ["a missing item", () => edge.send("GET", "nothing-here"), 404],
      [
        "a missing namespace",
        () =>
          edgeClient({
            edgekvUri: server.url,
            namespace: "nowhere",
            group: "g",
            token: { name: "x", value: jwt },
            ca,
          }).send("GET", "k"),
        403,
      ],
    ];
    for (const [name, act, status] of cases) {
      const response = await act();
      expect(response.status, name).toBe(status);
    }
    expect((await edge.send("PUT", "max", "x".repeat(262_144))).status).toBe(200);
    // Once the legacy token's expiry has passed it is refused.
    await admin("POST", "/_edgekv/v1/clock", { set: "2027-03-02T00:00:00Z" });
    expect((await edge.send("GET", "max")).status).toBe(401);
  });

  it("verify says why a credential fails and what it grants", async () => {
    const token = await tokenEntry({
      name: "inspect",
      allowOnProduction: false,
      namespacePermissions: { default: ["r"] },
    });
    const pending = (await admin("POST", "/_edgekv/v1/tokens/verify", { reference: token.reference })).json();
    expect(pending).toMatchObject({
      valid: false,
      reason: "not-active",
      token: { name: "inspect", tokenActivationStatus: "IN_PROGRESS" },
    });
    await advance(5);
    const check = await admin("POST", "/_edgekv/v1/tokens/verify", {
      reference: token.reference,
      network: "production",
      namespace: "default",
      operation: "read",
    });
    expect(check.json()).toMatchObject({
      valid: true,
      credential: "current",
      token: {
        name: "inspect",
        allowOnStaging: true,
        allowOnProduction: false,
        namespacePermissions: { default: ["r"] },
      },
      access: { allowed: false, reason: expect.stringMatching(/not allowed on the production network/) },
    });
    const unknown = (await admin("POST", "/_edgekv/v1/tokens/verify", { token: "x.y.z" })).json();
    expect(unknown).toMatchObject({ valid: false, reason: "malformed", token: null });
    expect((await admin("POST", "/_edgekv/v1/tokens/verify", { nothing: 1 })).status).toBe(400);
  });
});
