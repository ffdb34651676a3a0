import { afterEach, describe, expect, it } from "vitest";
import { createManualClock } from "../../src/clock.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";

describeEachDialect("token lifecycle", () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const DAY = 86_400;
  const basic = {
    name: "my_token",
    allowOnStaging: true,
    allowOnProduction: true,
    namespacePermissions: { default: ["r"] },
  };
  const create = (body: unknown = basic) =>
    h.signed({ method: "POST", url: "/edgekv/v1/tokens", body: JSON.stringify(body) });
  const show = (name = "my_token") => h.signed({ method: "GET", url: `/edgekv/v1/tokens/${name}` });
  const list = (query = "") => h.signed({ method: "GET", url: `/edgekv/v1/tokens${query}` });
  /** Moves the server's clock through its own endpoint, as a user of --clock manual does. */
  const advance = async (seconds: number) => {
    const response = await h.signed({
      method: "POST",
      url: "/_edgekv/v1/clock",
      body: JSON.stringify({ advanceSeconds: seconds }),
    });
    expect(response.statusCode).toBe(200);
    return response.json() as { now: string; refreshed: number; purged: number };
  };

  describe("activation", () => {
    it("is IN_PROGRESS until the activation delay has passed, then COMPLETE", async () => {
      h = await createHarness();
      expect((await create()).json().tokenActivationStatus).toBe("IN_PROGRESS");
      await advance(4);
      expect((await show()).json().tokenActivationStatus).toBe("IN_PROGRESS");
      await advance(1);
      expect((await show()).json().tokenActivationStatus).toBe("COMPLETE");
      expect((await list()).json().tokens[0].tokenActivationStatus).toBe("COMPLETE");
    });

    it("is COMPLETE at once with a delay of 0", async () => {
      h = await createHarness({ settings: { activationDelaySeconds: 0 } });
      expect((await create()).json().tokenActivationStatus).toBe("COMPLETE");
    });

    it("ends in ERROR when activation is made to fail", async () => {
      h = await createHarness({ settings: { activationFailureRate: 1 } });
      await create();
      await advance(5);
      expect((await show()).json().tokenActivationStatus).toBe("ERROR");
    });

    it("a refresh is IN_PROGRESS again and keeps the previous credential until the new one is active", async () => {
      h = await createHarness();
      const { uuid } = (await create()).json();
      await advance(5);
      const before = await h.store.tokens.getByUuid(uuid);
      const refreshed = await h.signed({ method: "POST", url: "/edgekv/v1/tokens/my_token/refresh" });
      expect(refreshed.json().tokenActivationStatus).toBe("IN_PROGRESS");
      const during = await h.store.tokens.getByUuid(uuid);
      expect(during?.credential).not.toBe(before?.credential);
      expect(during?.previousCredential).toBe(before?.credential);
      await advance(5);
      expect((await show()).json().tokenActivationStatus).toBe("COMPLETE");
    });
  });

  describe("scheduled refresh", () => {
    it("refreshes each due token exactly once, however far the clock jumps", async () => {
      h = await createHarness();
      await create({ ...basic, name: "a" });
      await create({ ...basic, name: "b" });
      await create({ ...basic, name: "legacy", expiry: "2027-01-01" });
      const early = await advance(59 * DAY);
      expect(early.refreshed).toBe(0);
      const due = await advance(1 * DAY);
      expect(due.refreshed).toBe(2);
      expect(await advance(1)).toMatchObject({ refreshed: 0 });
      const a = (await show("a")).json();
      expect(a).toMatchObject({
        issueDate: "2026-11-28",
        latestRefreshDate: "2027-01-27",
        nextScheduledRefreshDate: "2027-03-28",
        tokenActivationStatus: "IN_PROGRESS",
      });
      // 200 days at once: each token is due once more, not three times.
      expect((await advance(200 * DAY)).refreshed).toBe(2);
      expect((await h.store.tokens.getByName({ accountId: "default", name: "a" }))?.credentialVersion).toBe(
        3,
      );
    });

    it("runs from the scheduler's timer without the clock endpoint too", async () => {
      h = await createHarness();
      const { uuid } = (await create()).json();
      const { scheduler } = h.services;
      scheduler.start();
      // Moving the clock fires the scheduler's timer; its run refreshes the due token.
      h.clock.advance(60 * DAY * 1000);
      await scheduler.idle();
      expect((await h.store.tokens.getByUuid(uuid))?.credentialVersion).toBe(2);
      expect(await scheduler.runNow()).toMatchObject({ refreshed: 0 });
      await scheduler.stop();
    });

    it("the clock endpoint counts the work of the timer's run and of its own run once each", async () => {
      h = await createHarness();
      await create({ ...basic, name: "a" });
      await create({ ...basic, name: "b" });
      h.services.scheduler.start();
      expect((await advance(60 * DAY)).refreshed).toBe(2);
      expect((await advance(1)).refreshed).toBe(0);
      expect(h.services.scheduler.totals()).toMatchObject({ refreshed: 2 });
      await h.services.scheduler.stop();
    });
  });

  describe("legacy expiry", () => {
    it("works until 23:59:59 UTC of its expiry, then 410, listed with includeExpired for 30 days, then purged", async () => {
      h = await createHarness({ start: new Date("2026-11-28T12:00:00Z") });
      await create({ ...basic, expiry: "2026-12-01" });
      await h.signed({
        method: "POST",
        url: "/_edgekv/v1/clock",
        body: JSON.stringify({ set: "2026-12-01T23:59:59Z" }),
      });
      expect((await show()).statusCode).toBe(200);
      await advance(1);
      const gone = await show();
      expect(gone.statusCode).toBe(410);
      expect(gone.json()).toMatchObject({
        status: 410,
        title: "Not Found",
        type: "/edgekv/error-types/edgekv-not-found",
        errorCode: "EKV_3000",
        detail: "Token has expired.",
      });
      expect((await list()).json().tokens).toEqual([]);
      expect((await list("?includeExpired=true")).json().tokens.map((t: { name: string }) => t.name)).toEqual(
        ["my_token"],
      );
      expect((await h.signed({ method: "POST", url: "/edgekv/v1/tokens/my_token/refresh" })).statusCode).toBe(
        410,
      );
      // The name stays taken while the expired token is kept.
      expect((await create()).statusCode).toBe(409);
      expect((await advance(29 * DAY)).purged).toBe(0);
      expect((await list("?includeExpired=true")).json().tokens).toHaveLength(1);
      expect((await advance(1 * DAY + 1)).purged).toBe(1);
      expect((await list("?includeExpired=true")).json().tokens).toEqual([]);
      expect((await show()).statusCode).toBe(404);
      expect((await create()).statusCode).toBe(200);
    });

    it("an expired token can still be revoked", async () => {
      h = await createHarness();
      await create({ ...basic, expiry: "2026-11-29" });
      await advance(2 * DAY);
      expect((await h.signed({ method: "DELETE", url: "/edgekv/v1/tokens/my_token" })).statusCode).toBe(200);
    });
  });

  describe("the clock endpoint", () => {
    it("reads the time", async () => {
      h = await createHarness({ start: new Date("2026-11-28T12:00:00Z") });
      expect((await h.signed({ method: "GET", url: "/_edgekv/v1/clock" })).json()).toEqual({
        now: "2026-11-28T12:00:00.000Z",
      });
    });

    it.each([
      ["an empty object", {}, /exactly one of/],
      ["both fields", { advanceSeconds: 1, set: "2027-01-01T00:00:00Z" }, /exactly one of/],
      ["a negative advance", { advanceSeconds: -1 }, /advanceSeconds must be a number/],
      ["a string advance", { advanceSeconds: "10" }, /advanceSeconds must be a number/],
      ["a garbled time", { set: "tomorrow" }, /set must be an ISO-8601 time/],
      ["a time in the past", { set: "2020-01-01T00:00:00Z" }, /only moves forward.*"reset": true/],
      ["a reset that is not true", { reset: false }, /reset must be true/],
      ["a reset and an advance", { reset: true, advanceSeconds: 1 }, /exactly one of/],
      ["an array", [1], /Send/],
    ])("refuses %s with 400", async (_case, body, detail) => {
      h = await createHarness();
      const response = await h.signed({
        method: "POST",
        url: "/_edgekv/v1/clock",
        body: JSON.stringify(body),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().detail).toMatch(detail);
    });

    it.each([
      ["a client of another account", { accountId: "acme", capabilities: ["VIEW_TOKEN"] as const }],
      ["a client with every EdgeKV capability but SERVER_ADMIN", {}],
    ])("refuses %s with 403 naming SERVER_ADMIN, and the clock stays", async (_case, client) => {
      h = await createHarness({ start: new Date("2026-11-28T12:00:00Z") });
      const credentials = await h.addClient(client);
      const response = await h.signed({
        method: "POST",
        url: "/_edgekv/v1/clock",
        body: JSON.stringify({ advanceSeconds: 86_400 * 60 }),
        credentials,
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({
        errorCode: "EKV_1000",
        detail: expect.stringContaining("SERVER_ADMIN"),
      });
      expect(h.clock.now()).toEqual(new Date("2026-11-28T12:00:00Z"));
      // Reading the time needs no more than a valid signature.
      expect((await h.signed({ method: "GET", url: "/_edgekv/v1/clock", credentials })).statusCode).toBe(200);
    });

    it("needs an EdgeGrid signature", async () => {
      h = await createHarness();
      const response = await h.app.inject({ method: "POST", url: "/_edgekv/v1/clock", payload: "{}" });
      expect(response.statusCode).toBe(401);
    });

    it("answers the time before and after a move", async () => {
      h = await createHarness({ start: new Date("2026-11-28T12:00:00Z") });
      expect(await advance(90)).toEqual({
        now: "2026-11-28T12:01:30.000Z",
        from: "2026-11-28T12:00:00.000Z",
        refreshed: 0,
        purged: 0,
        deletedNamespaces: 0,
        purgedItems: 0,
        rotatedKey: 0,
        prunedAuditEvents: 0,
      });
    });

    it("resets to the real time, backwards too; what was dated in the time left behind lies ahead", async () => {
      const real = createManualClock(new Date("2026-11-28T12:00:00Z"));
      h = await createHarness({ start: real.now(), wallClock: real, maxSkewSeconds: null });
      await advance(60 * DAY);
      await create();
      const reset = await h.signed({
        method: "POST",
        url: "/_edgekv/v1/clock",
        body: JSON.stringify({ reset: true }),
      });
      expect(reset.statusCode).toBe(200);
      expect(reset.json()).toMatchObject({
        now: "2026-11-28T12:00:00.000Z",
        from: "2027-01-27T12:00:00.000Z",
      });
      expect(h.clock.now()).toEqual(real.now());
      expect((await show()).json()).toMatchObject({
        issueDate: "2027-01-27",
        tokenActivationStatus: "IN_PROGRESS",
      });
      // It moves forward from there as before; a reset after real time has passed moves it forward.
      expect((await advance(60)).now).toBe("2026-11-28T12:01:00.000Z");
      real.advance(DAY * 1000);
      const forward = await h.signed({ method: "POST", url: "/_edgekv/v1/clock", body: '{"reset":true}' });
      expect(forward.json().now).toBe("2026-11-29T12:00:00.000Z");
    });

    it("is 404 without --clock manual", async () => {
      h = await createHarness({ manualClockRoutes: false });
      const response = await h.signed({
        method: "POST",
        url: "/_edgekv/v1/clock",
        body: JSON.stringify({ advanceSeconds: 1 }),
      });
      expect(response.statusCode).toBe(404);
    });
  });
});
