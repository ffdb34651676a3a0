import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { problem } from "../support/problem.ts";
import { type ConsoleApp, createConsoleApp, HOST } from "./console-app.ts";
import { openEventStream } from "./event-stream.ts";

const SESSION = "/_edgekv/console/api/session";
const MINUTE = 60_000;
const noSession = () =>
  problem(
    401,
    "console_session",
    "No console session: open the console with the URL `edgekv console` prints.",
  );

describe("console sessions on plain HTTP, in time", () => {
  let c: ConsoleApp;
  beforeEach(async () => {
    c = await createConsoleApp({ manualClockRoutes: true });
  });
  afterEach(async () => {
    await c.close();
  });

  it("set the cookie without Secure, and take http:// or https:// + Host as the origin", async () => {
    const other = await c.inject("POST", SESSION, {
      body: { key: await c.loginKey() },
      origin: "http://console.test",
    });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toEqual(
      problem(
        403,
        "console_origin",
        `This request's Origin http://console.test is not this server's (http://${HOST}): console requests must come from the console's page.`,
      ),
    );
    // Behind a proxy that ends TLS, the page's origin is https://.
    const proxied = await c.inject("POST", SESSION, {
      body: { key: await c.loginKey() },
      origin: `https://${HOST}`,
    });
    expect(proxied.statusCode).toBe(200);
    const key = await c.loginKey();
    const answer = await c.inject("POST", SESSION, { body: { key } });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers["set-cookie"]).toMatch(
      /^edgekv_console=[A-Za-z0-9_-]{43}; Path=\/_edgekv\/console; HttpOnly; SameSite=Strict$/,
    );
  });

  it("end after 30 minutes without a request; each request extends it", async () => {
    const cookie = await c.login();
    for (let round = 0; round < 3; round += 1) {
      c.clock.advance(29 * MINUTE);
      expect((await c.inject("GET", SESSION, { cookie })).statusCode).toBe(200);
    }
    c.clock.advance(30 * MINUTE);
    const ended = await c.inject("GET", SESSION, { cookie });
    expect(ended.statusCode).toBe(401);
    expect(ended.json()).toEqual(noSession());
  });

  it("end 12 hours after the login however busy", async () => {
    const cookie = await c.login();
    for (let minutes = 0; minutes < 12 * 60 - 20; minutes += 20) {
      c.clock.advance(20 * MINUTE);
      expect((await c.inject("GET", "/_edgekv/console/api/accounts", { cookie })).statusCode).toBe(200);
    }
    c.clock.advance(20 * MINUTE);
    const ended = await c.inject("GET", "/_edgekv/console/api/accounts", { cookie });
    expect(ended.statusCode).toBe(401);
    expect(ended.json()).toEqual(noSession());
  });

  it("open with a key for 24 hours only", async () => {
    const kept = await c.loginKey();
    const expired = await c.loginKey();
    c.clock.advance(24 * 60 * MINUTE - 1000);
    expect((await c.inject("POST", SESSION, { body: { key: kept } })).statusCode).toBe(200);
    c.clock.advance(1000);
    const late = await c.inject("POST", SESSION, { body: { key: expired } });
    expect(late.statusCode).toBe(401);
    expect(late.json()).toEqual(
      problem(
        401,
        "console_login",
        "This login key is unknown, used or expired: get a new one with `edgekv console`.",
      ),
    );
  });

  it("say the manual clock, and the event stream sends its time when it moves", async () => {
    const cookie = await c.login();
    expect((await c.inject("GET", SESSION, { cookie })).json()).toMatchObject({
      clock: "manual",
      now: c.clock.now().toISOString(),
    });
    const address = await c.app.listen({ host: "127.0.0.1", port: 0 });
    const stream = await openEventStream(`${address}/_edgekv/console/api/events`, { cookie, host: HOST });
    try {
      const first = await stream.next((event) => event.event === "time");
      expect(JSON.parse(first.data)).toEqual({ now: c.clock.now().toISOString(), clock: "manual" });
      const seen = stream.events().length;
      const moved = await c.inject("POST", "/_edgekv/console/api/_edgekv/v1/clock", {
        cookie,
        body: { advanceSeconds: 3600 },
      });
      expect(moved.statusCode).toBe(200);
      const time = await stream.next((event) => event.event === "time", { from: seen, timeoutMs: 3_000 });
      expect(JSON.parse(time.data)).toEqual({ now: moved.json().now, clock: "manual" });
    } finally {
      stream.close();
    }
  });
});

describe("a console event stream", () => {
  it("ends with its session, without extending it", async () => {
    const c = await createConsoleApp({ consoleEventTickMs: 10 });
    try {
      const cookie = await c.login();
      const address = await c.app.listen({ host: "127.0.0.1", port: 0 });
      const stream = await openEventStream(`${address}/_edgekv/console/api/events`, { cookie, host: HOST });
      await stream.next((event) => event.event === "tokens");
      const ended = new Promise<void>((resolve) => stream.onEnd(resolve));
      expect((await c.inject("DELETE", SESSION, { cookie })).statusCode).toBe(204);
      await ended;
      stream.close();
    } finally {
      await c.close();
    }
  });
});
