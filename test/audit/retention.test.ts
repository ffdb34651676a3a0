import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewAuditEvent } from "../../src/audit/audit-event.ts";
import { createAuditLog } from "../../src/audit/audit-log.ts";
import { ConfigError, parseServeConfig } from "../../src/config.ts";
import { describeEachDialect } from "../support/dialects.ts";
import { createHarness, type Harness } from "../support/harness.ts";

const DAY_SECONDS = 86_400;

describeEachDialect("the audit log's retention", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await createHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const moveClock = (advanceSeconds: number) =>
    h.signed({ method: "POST", url: "/_edgekv/v1/clock", body: JSON.stringify({ advanceSeconds }) });
  const actions = async () => {
    await h.services.audit.flush();
    return (await h.store.audit.list({ limit: 100 })).map((event) => event.action);
  };

  it("is 30 days by default: the scheduler prunes older events when the clock passes them", async () => {
    for (const name of ["t1", "t2"]) {
      const body = JSON.stringify({ name, allowOnStaging: true, namespacePermissions: { default: ["r"] } });
      expect((await h.signed({ method: "POST", url: "/edgekv/v1/tokens", body })).statusCode).toBe(200);
    }
    const almost = await moveClock(30 * DAY_SECONDS - 1);
    expect(almost.json()).toMatchObject({ prunedAuditEvents: 0 });
    expect(await actions()).toEqual(["clock.move", "token.create", "token.create"]);

    const past = await moveClock(2);
    expect(past.json()).toMatchObject({ prunedAuditEvents: 2 });
    expect(await actions()).toEqual(["clock.move", "clock.move"]);
  });

  it("follows --audit-retention-days", async () => {
    const log = createAuditLog({ store: h.store, clock: h.clock, retentionDays: 1 });
    const event = (ageSeconds: number): NewAuditEvent => ({
      at: new Date(h.clock.now().getTime() - ageSeconds * 1000),
      action: "credentials.create",
      target: "credentials/akab-new",
      status: null,
      outcome: "ok",
      accountId: "default",
      clientToken: "akab-new",
      tokenUuid: null,
      traceId: null,
      errorCode: null,
      via: "api",
    });
    for (const age of [DAY_SECONDS + 1, DAY_SECONDS, 60]) await h.store.audit.record(event(age));
    expect(await log.pruneDue()).toBe(1);
    expect(await log.pruneDue()).toBe(0);
    expect(await h.store.audit.list({ limit: 10 })).toHaveLength(2);
  });
});

describe("--audit-retention-days", () => {
  it.each([
    [{}, 30],
    [{ auditRetentionDays: "1" }, 1],
    [{ auditRetentionDays: "3650" }, 3650],
  ])("%o is %i days", (values, days) => {
    expect(parseServeConfig(values).auditRetentionDays).toBe(days);
  });

  it.each(["0", "3651", "1.5", "a week"])("refuses %s", (value) => {
    expect(() => parseServeConfig({ auditRetentionDays: value })).toThrow(ConfigError);
    expect(() => parseServeConfig({ auditRetentionDays: value })).toThrow(/--audit-retention-days/);
  });
});
