import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { httpsTransport } from "../../src/cli/https-transport.ts";
import { runEdgekv } from "../cli/in-process.ts";
import { DIALECTS } from "../support/dialects.ts";
import { npmClient } from "../support/edgegrid-npm.ts";
import { type ConsoleServer, startConsoleServer } from "./console-server.ts";
import { openEventStream } from "./event-stream.ts";

const API = "/_edgekv/console/api";
const SESSION = `${API}/session`;
const NO_SESSION = "No console session: open the console with the URL `edgekv console` prints.";
const BAD_KEY = "This login key is unknown, used or expired: get a new one with `edgekv console`.";
const COOKIE =
  /^edgekv_console=[A-Za-z0-9_-]{43}; Path=\/_edgekv\/console; HttpOnly; Secure; SameSite=Strict$/;
const ITEM = "/edgekv/v1/networks/staging/namespaces/default/groups/g/items/k";
const token = (name: string) => ({
  name,
  allowOnStaging: true,
  allowOnProduction: true,
  namespacePermissions: { default: ["r", "w", "d"] },
});

/** The console's problem: EdgeKV's shape, the console's code as errorCode. */
const consoleProblem = (
  status: number,
  errorCode: string,
  detail: string | RegExp,
  extra: Record<string, unknown> = {},
) =>
  expect.objectContaining({
    type: expect.stringMatching(/^\/edgekv\/error-types\/edgekv-/),
    status,
    errorCode,
    detail: typeof detail === "string" ? detail : expect.stringMatching(detail),
    ...extra,
  });

describe.each(DIALECTS)("the web console's API over TLS [%s]", (dialect) => {
  let c: ConsoleServer;
  let cookie = "";
  beforeAll(async () => {
    c = await startConsoleServer(dialect);
    cookie = await c.login();
  });
  afterAll(async () => {
    await c?.close();
  });

  describe("logging in", () => {
    it("takes the banner's key once, then refuses it as used", async () => {
      const first = await c.send("POST", SESSION, { body: { key: c.bannerKey } });
      expect(first.status).toBe(200);
      expect(first.json()).toEqual({
        account: "default",
        clientToken: expect.stringMatching(/^akab-/),
        idleSeconds: 1800,
      });
      expect(first.headers["set-cookie"]).toEqual([expect.stringMatching(COOKIE)]);
      const again = await c.send("POST", SESSION, { body: { key: c.bannerKey } });
      expect(again.status).toBe(401);
      expect(again.json()).toEqual(consoleProblem(401, "console_login", BAD_KEY));
      const { data } = await c.signed("GET", "/_edgekv/v1/audit?limit=20");
      const events = (data as { events: Array<Record<string, unknown>> }).events;
      expect(events.find((event) => event.traceId === first.headers["x-trace-id"])).toMatchObject({
        action: "console.login",
        target: "session",
        outcome: "ok",
        accountId: "default",
        clientToken: first.json().clientToken,
        via: "console",
      });
      expect(events.find((event) => event.traceId === again.headers["x-trace-id"])).toMatchObject({
        action: "auth.refused",
        target: "POST /_edgekv/console/api/session",
        outcome: "refused",
        errorCode: "console_login",
        via: "console",
      });
    });

    it("refuses an unknown key and a body without one", async () => {
      const unknown = await c.send("POST", SESSION, { body: { key: "nope" } });
      expect(unknown.status).toBe(401);
      expect(unknown.json()).toEqual(consoleProblem(401, "console_login", BAD_KEY));
      const empty = await c.send("POST", SESSION, { body: {} });
      expect(empty.status).toBe(400);
      expect(empty.json()).toEqual(consoleProblem(400, "EKV_2000", "key is required.", { field: "key" }));
    });

    it("takes a key from `edgekv console` once, and a login from another origin not at all", async () => {
      const run = await runEdgekv(
        ["console", "--edgerc", c.server.edgercPath, "--ca-cert", c.server.certPath ?? ""],
        { transport: httpsTransport },
      );
      expect(run.code).toBe(0);
      const url = run.stdout.split("\n")[0] ?? "";
      expect(url).toMatch(new RegExp(`^${c.origin}/_edgekv/console/#key=[A-Za-z0-9_-]{43}$`));
      const key = new URL(url).hash.slice("#key=".length);
      const foreign = await c.send("POST", SESSION, { body: { key }, origin: "https://evil.example" });
      expect(foreign.status).toBe(403);
      expect(foreign.json()).toEqual(
        consoleProblem(
          403,
          "console_origin",
          /^This request's Origin https:\/\/evil\.example is not this server's/,
        ),
      );
      expect((await c.send("POST", SESSION, { body: { key } })).status).toBe(200);
      expect((await c.send("POST", SESSION, { body: { key } })).status).toBe(401);
    });

    it("prints the key endpoint's answer with `edgekv console --json`, and explains itself in --help", async () => {
      const args = ["console", "--edgerc", c.server.edgercPath, "--ca-cert", c.server.certPath ?? ""];
      const run = await runEdgekv([...args, "--json"], { transport: httpsTransport });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toEqual({
        key: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        url: expect.stringMatching(new RegExp(`^${c.origin}/_edgekv/console/#key=`)),
        expiresAt: expect.any(String),
      });
      const help = await runEdgekv(["console", "--help"]);
      expect(help.stdout).toMatch(/valid once and for 24 hours/);
      expect(help.stdout).toMatch(/SERVER_ADMIN/);
      expect(help.stdout).toMatch(/\$ edgekv console --json/);
    });

    it("answers the key endpoint only to SERVER_ADMIN", async () => {
      const created = await c.send("POST", `${API}/clients`, {
        cookie,
        body: { account: "default", capabilities: ["VIEW_TOKEN"] },
      });
      expect(created.status).toBe(201);
      const edgerc = join(c.server.edgercPath, "..", "limited-edgerc");
      await writeFile(edgerc, String(created.json().edgerc));
      const limited = npmClient({ edgerc, section: "default", ca: c.ca });
      const refused = await limited.request({ method: "POST", path: "/_edgekv/v1/console/keys" });
      expect(refused.status).toBe(403);
      expect(refused.data).toMatchObject({
        errorCode: "EKV_1000",
        detail: expect.stringMatching(/lacks the SERVER_ADMIN/),
      });
      // The same client's own requests are signed with the section the console gave.
      expect((await limited.request({ method: "GET", path: "/edgekv/v1/tokens" })).status).toBe(200);
    });
  });

  describe("the session", () => {
    it("says who it acts as, the server's version, clock and accounts", async () => {
      const answer = await c.send("GET", SESSION, { cookie });
      expect(answer.status).toBe(200);
      expect(answer.json()).toEqual({
        account: "default",
        clientToken: expect.stringMatching(/^akab-/),
        version: expect.any(String),
        clock: "system",
        now: expect.any(String),
        accounts: expect.arrayContaining([
          { id: "default", cpcode: expect.stringMatching(/^\d+$/), initialized: true },
        ]),
      });
      expect(Date.parse(String(answer.headers["x-edgekv-time"]))).not.toBeNaN();
    });

    it("ends with DELETE, which clears the cookie", async () => {
      const own = await c.login();
      const ended = await c.send("DELETE", SESSION, { cookie: own });
      expect(ended.status).toBe(204);
      expect(ended.headers["set-cookie"]).toEqual([
        "edgekv_console=; Path=/_edgekv/console; HttpOnly; Secure; SameSite=Strict; Max-Age=0",
      ]);
      const after = await c.send("GET", SESSION, { cookie: own });
      expect(after.status).toBe(401);
      expect(after.json()).toEqual(consoleProblem(401, "console_session", NO_SESSION));
    });

    it.each([
      ["GET", SESSION],
      ["DELETE", SESSION],
      ["GET", `${API}/accounts`],
      ["GET", `${API}/clients`],
      ["POST", `${API}/clients/akab-x/revoke`],
      ["GET", `${API}/events`],
      ["GET", `${API}/edgekv/v1/tokens`],
      ["POST", `${API}/edgekv/v1/tokens`],
      ["PUT", `${API}${ITEM}`],
      ["GET", `${API}/_edgekv/v1/audit`],
      ["GET", `${API}/no/such/path`],
      ["PATCH", `${API}/edgekv/v1/tokens`],
      ["PUT", SESSION],
    ])("is required by %s %s", async (method, path) => {
      for (const sent of [undefined, "edgekv_console=forged"]) {
        const answer = await c.send(method, path, sent === undefined ? {} : { cookie: sent });
        expect(answer.status).toBe(401);
        expect(answer.json()).toEqual(consoleProblem(401, "console_session", NO_SESSION));
        expect(Date.parse(String(answer.headers["x-edgekv-time"]))).not.toBeNaN();
      }
    });

    it("answers an unknown path 404 once there is a session", async () => {
      const answer = await c.send("GET", `${API}/no/such/path`, { cookie });
      expect(answer.status).toBe(404);
      expect(answer.json()).toEqual(consoleProblem(404, "EKV_2000", /^No resource at GET/));
    });

    it.each([
      [
        "another origin",
        "https://evil.example",
        /^This request's Origin https:\/\/evil\.example is not this server's/,
      ],
      ["plain http", "http://127.0.0.1", /is not this server's/],
      ["no origin", null, /has no Origin header/],
    ])("refuses a change from %s", async (_case, origin, detail) => {
      const answer = await c.send("POST", `${API}/edgekv/v1/tokens`, {
        cookie,
        origin,
        body: token("refused"),
      });
      expect(answer.status).toBe(403);
      expect(answer.json()).toEqual(consoleProblem(403, "console_origin", detail));
    });
  });

  describe("the admin API's twins", () => {
    it("create, list, read and revoke tokens as the admin API does", async () => {
      const created = await c.send("POST", `${API}/edgekv/v1/tokens`, { cookie, body: token("twin") });
      expect(created.status).toBe(200);
      expect(created.json()).toMatchObject({ name: "twin", uuid: expect.any(String) });
      const listed = await c.send("GET", `${API}/edgekv/v1/tokens`, { cookie });
      const signed = await c.signed("GET", "/edgekv/v1/tokens");
      expect(listed.json()).toEqual(signed.data);
      expect(listed.json().tokens).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: "twin" })]),
      );
      const revoked = await c.send("DELETE", `${API}/edgekv/v1/tokens/twin`, { cookie });
      expect(revoked.status).toBe(200);
    });

    it("write, read and delete an item", async () => {
      const written = await c.send("PUT", `${API}${ITEM}`, { cookie, body: { hello: "world" } });
      expect(written.status).toBe(200);
      const read = await c.send("GET", `${API}${ITEM}`, { cookie });
      expect(read.status).toBe(200);
      expect(JSON.parse(read.text)).toEqual({ hello: "world" });
      expect((await c.signed("GET", ITEM)).data).toEqual({ hello: "world" });
      expect((await c.send("DELETE", `${API}${ITEM}`, { cookie })).status).toBe(200);
      expect((await c.send("GET", `${API}${ITEM}`, { cookie })).status).toBe(404);
    });

    it("act on another account with accountSwitchKey", async () => {
      await c.send("POST", `${API}/clients`, { cookie, body: { account: "acme", capabilities: ["all"] } });
      const path = "/edgekv/v1/initialize?accountSwitchKey=acme";
      const twin = await c.send("GET", `${API}${path}`, { cookie });
      const signed = await c.signed("GET", path);
      expect(twin.status).toBe(200);
      expect(twin.json()).toEqual(signed.data);
      const own = await c.send("GET", `${API}/edgekv/v1/initialize`, { cookie });
      expect(own.json().cpcode).not.toBe(twin.json().cpcode);
      const unknown = await c.send("GET", `${API}/edgekv/v1/tokens?accountSwitchKey=nobody`, { cookie });
      expect(unknown.status).toBe(403);
      expect(unknown.json()).toEqual(consoleProblem(403, "EKV_1000", /^Account nobody does not exist/));
    });

    it("name the field an error is about, where the admin API keeps Akamai's shape", async () => {
      const bad = { ...token("no spaces allowed"), namespacePermissions: { default: ["r"] } };
      const twin = await c.send("POST", `${API}/edgekv/v1/tokens`, { cookie, body: bad });
      expect(twin.status).toBe(400);
      expect(twin.json()).toEqual(consoleProblem(400, "EKV_2000", /invalid characters/, { field: "name" }));
      const nested = await c.send("POST", `${API}/edgekv/v1/tokens`, {
        cookie,
        body: { ...token("nested"), namespacePermissions: { default: ["x"] } },
      });
      expect(nested.status).toBe(400);
      expect(nested.json().field).toMatch(/^namespacePermissions\.default/);
      const missing = await c.send("POST", `${API}/edgekv/v1/tokens`, {
        cookie,
        body: { ...token("missing_ns"), namespacePermissions: { nowhere: ["r"] } },
      });
      expect(missing.json()).toEqual(
        consoleProblem(400, "EKV_2000", /^Namespace nowhere does not exist/, {
          field: "namespacePermissions.nowhere",
        }),
      );
      await c.send("POST", `${API}/edgekv/v1/tokens`, { cookie, body: token("twice") });
      const duplicate = await c.send("POST", `${API}/edgekv/v1/tokens`, { cookie, body: token("twice") });
      expect(duplicate.json()).toEqual(
        consoleProblem(409, "EKV_3000", "Token with name twice is already stored.", { field: "name" }),
      );
      const signed = await c.signed("POST", "/edgekv/v1/tokens", bad);
      expect(signed.status).toBe(400);
      expect(signed.data).not.toHaveProperty("field");
    });

    it("are recorded via the console, with the session's client; signed requests via the api", async () => {
      await c.send("POST", `${API}/edgekv/v1/tokens`, { cookie, body: token("by_console") });
      await c.signed("POST", "/edgekv/v1/tokens", token("by_api"));
      const session = (await c.send("GET", SESSION, { cookie })).json();
      const { data } = await c.signed("GET", "/_edgekv/v1/audit?action=token.create&limit=50");
      const events = (data as { events: Array<Record<string, unknown>> }).events;
      const byTarget = (target: string) =>
        events.find((event) => event.target === target && event.status === 200);
      expect(byTarget("tokens/by_console")).toMatchObject({
        via: "console",
        clientToken: session.clientToken,
      });
      expect(byTarget("tokens/by_api")).toMatchObject({ via: "api", clientToken: session.clientToken });
    });

    it("have no twin of the key endpoint", async () => {
      const answer = await c.send("POST", `${API}/_edgekv/v1/console/keys`, { cookie });
      expect(answer.status).toBe(404);
      expect(answer.json()).toEqual(consoleProblem(404, "EKV_2000", /^No resource at POST/));
    });
  });

  describe("the console's own endpoints", () => {
    it("list the accounts", async () => {
      const answer = await c.send("GET", `${API}/accounts`, { cookie });
      expect(answer.status).toBe(200);
      expect(answer.json().accounts).toEqual(
        expect.arrayContaining([{ id: "default", cpcode: expect.any(String), initialized: true }]),
      );
    });

    it("list clients without secrets, with their last use once signed with", async () => {
      await c.signed("GET", "/edgekv/v1/tokens");
      const session = (await c.send("GET", SESSION, { cookie })).json();
      const answer = await c.send("GET", `${API}/clients?account=default`, { cookie });
      expect(answer.status).toBe(200);
      const clients = answer.json().clients as Array<Record<string, unknown>>;
      expect(answer.text).not.toMatch(/secret/i);
      expect(clients.every((client) => client.account === "default")).toBe(true);
      const admin = clients.find((client) => client.clientToken === session.clientToken);
      expect(admin).toEqual({
        clientToken: session.clientToken,
        accessToken: expect.stringMatching(/^akab-/),
        account: "default",
        capabilities: expect.arrayContaining(["VIEW_TOKEN", "SERVER_ADMIN"]),
        canSwitchAccounts: true,
        enabled: true,
        description: expect.any(String),
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
      });
    });

    it("create a client, its secret shown once with a ready .edgerc section, and revoke it", async () => {
      const created = await c.send("POST", `${API}/clients`, {
        cookie,
        body: { account: "shop", capabilities: ["VIEW_TOKEN", "CREATE_TOKEN"], description: "the shop" },
      });
      expect(created.status).toBe(201);
      const body = created.json() as {
        client: Record<string, unknown>;
        clientSecret: string;
        edgerc: string;
      };
      expect(body.client).toMatchObject({
        account: "shop",
        capabilities: ["VIEW_TOKEN", "CREATE_TOKEN"],
        canSwitchAccounts: false,
        enabled: true,
        description: "the shop",
        lastUsedAt: null,
      });
      expect(body.edgerc).toBe(
        `[shop]\nhost = ${new URL(c.origin).host}\nclient_token = ${String(body.client.clientToken)}\n` +
          `client_secret = ${body.clientSecret}\naccess_token = ${String(body.client.accessToken)}\n`,
      );
      const listed = await c.send("GET", `${API}/clients?account=shop`, { cookie });
      expect(listed.text).not.toContain(body.clientSecret);
      const revoked = await c.send("POST", `${API}/clients/${String(body.client.clientToken)}/revoke`, {
        cookie,
        body: {},
      });
      expect(revoked.status).toBe(200);
      expect(revoked.json().client).toMatchObject({ clientToken: body.client.clientToken, enabled: false });
    });

    it.each([
      [{ account: "shop", capabilities: ["FLY"] }, "capabilities", /^capabilities must be \["all"\]/],
      [{ account: "shop", capabilities: [] }, "capabilities", /^capabilities must be \["all"\]/],
      [{ account: "bad account", capabilities: ["all"] }, "account", /^account must be 1-64 letters/],
      [{ capabilities: ["all"] }, "account", /^account is required/],
    ])("refuse a client %j, naming the field", async (body, field, detail) => {
      const answer = await c.send("POST", `${API}/clients`, { cookie, body });
      expect(answer.status).toBe(400);
      expect(answer.json()).toEqual(consoleProblem(400, "EKV_2000", detail, { field }));
    });

    it("refuse to revoke the session's own client, and an unknown one", async () => {
      const session = (await c.send("GET", SESSION, { cookie })).json();
      const own = await c.send("POST", `${API}/clients/${String(session.clientToken)}/revoke`, {
        cookie,
        body: {},
      });
      expect(own.status).toBe(409);
      expect(own.json()).toEqual(
        consoleProblem(409, "console_conflict", /^This is the client the console session acts as/),
      );
      const unknown = await c.send("POST", `${API}/clients/akab-nobody/revoke`, { cookie, body: {} });
      expect(unknown.status).toBe(404);
      expect(unknown.json()).toEqual(consoleProblem(404, "EKV_2000", "No API client akab-nobody."));
    });
  });

  describe("the page over the wire", () => {
    it.each([
      "/_edgekv/console/assets/../../../package.json",
      "/_edgekv/console/assets/..%2F..%2F..%2Fpackage.json",
      "/_edgekv/console/assets/%2E%2E/index.html",
    ])("refuses %s as it was sent", async (path) => {
      const answer = await c.send("GET", path);
      expect(answer.status).toBe(404);
      expect(answer.json()).toEqual(consoleProblem(404, "EKV_2000", /^No resource at GET /));
    });
  });

  describe("live events", () => {
    it("send the tokens first, then each change, audit events and the time", async () => {
      const stream = await openEventStream(`${c.origin}${API}/events`, { ca: c.ca, cookie });
      try {
        expect(stream.status).toBe(200);
        expect(stream.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
        expect(Date.parse(String(stream.headers["x-edgekv-time"]))).not.toBeNaN();
        const first = await stream.next(() => true);
        expect(stream.raw().startsWith("retry: 2000\n\n")).toBe(true);
        expect(first.event).toBe("tokens");
        const signed = await c.signed("GET", "/edgekv/v1/tokens?includeExpired=true");
        expect(JSON.parse(first.data)).toEqual(signed.data);
        const seen = stream.events().length;
        expect((await c.signed("POST", "/edgekv/v1/tokens", token("live"))).status).toBe(200);
        const changed = await stream.next(
          (event) => event.event === "tokens" && event.data.includes('"name":"live"'),
          { from: seen },
        );
        expect(JSON.parse(changed.data).tokens).toEqual(
          expect.arrayContaining([expect.objectContaining({ name: "live" })]),
        );
        const audit = await stream.next(
          (event) => event.event === "audit" && event.data.includes("tokens/live"),
        );
        expect(JSON.parse(audit.data)).toMatchObject({ action: "token.create", via: "api", status: 200 });
        const time = await stream.next((event) => event.event === "time");
        expect(JSON.parse(time.data)).toEqual({ now: expect.any(String), clock: "system" });
      } finally {
        stream.close();
      }
    });

    it("honour accountSwitchKey", async () => {
      const stream = await openEventStream(`${c.origin}${API}/events?accountSwitchKey=nobody`, {
        ca: c.ca,
        cookie,
      });
      stream.close();
      expect(stream.status).toBe(403);
    });
  });
});

describe("closing the server with an event stream open", () => {
  it("does not wait for the stream", async () => {
    const c = await startConsoleServer("sqlite");
    try {
      const cookie = await c.login();
      const stream = await openEventStream(`${c.origin}${API}/events`, { ca: c.ca, cookie });
      await stream.next(() => true);
      const started = Date.now();
      await c.server.close();
      expect(Date.now() - started).toBeLessThan(3_000);
      stream.close();
    } finally {
      await c.close();
    }
  });
});
