import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createSecretBox } from "../../src/accounts/secret-box.ts";
import type { AuditEvent } from "../../src/audit/audit-event.ts";
import { createManualClock } from "../../src/clock.ts";
import { assembleApp } from "../../src/server.ts";
import { openSqliteStore } from "../../src/storage/sqlite/sqlite-store.ts";
import type { AuditRepository, Store } from "../../src/storage/store.ts";
import { DEFAULT_TOKEN_SETTINGS } from "../support/harness.ts";

const UNAUTHENTICATED_WRITE = {
  method: "PUT",
  url: "/api/v1/namespaces/default/groups/g/items/k",
  payload: "value",
} as const;

/** An app on a store whose audit log records through `record`, with its log lines kept. */
async function appRecordingWith(record: AuditRepository["record"]) {
  const clock = createManualClock(new Date("2026-11-28T12:00:00Z"));
  const real = openSqliteStore({ location: ":memory:", clock });
  const store: Store = { ...real, audit: { ...real.audit, record } };
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line !== "") lines.push(JSON.parse(line));
      done();
    },
  });
  const { app, services } = await assembleApp({
    store,
    secretBox: createSecretBox(randomBytes(32)),
    clock,
    wallClock: clock,
    manualClock: null,
    settings: DEFAULT_TOKEN_SETTINGS,
    keyRotationDays: 30,
    logger: pino({ level: "info" }, sink),
    tls: null,
    bodyLimit: 1024 * 1024,
    maxSkewSeconds: 30,
    nonceJournal: null,
  });
  return {
    app,
    audit: services.audit,
    lines,
    close: async () => {
      await app.close();
      await store.close();
    },
  };
}

describe("recording an audit event", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it("that fails is logged; the request is answered as usual", async () => {
    const app = await appRecordingWith(async () => {
      throw new Error("the disk is full");
    });
    close = app.close;
    const response = await app.app.inject(UNAUTHENTICATED_WRITE);
    expect(response.statusCode).toBe(401);
    await app.audit.flush();
    expect(app.lines).toContainEqual(
      expect.objectContaining({
        level: 50,
        msg: "could not record an audit event",
        action: "auth.refused",
        err: expect.objectContaining({ message: "the disk is full" }),
      }),
    );
  });

  it("that is slow does not hold up the answer, and is done before the app has closed", async () => {
    let finish = (): void => undefined;
    let stored = false;
    const app = await appRecordingWith(
      (event) =>
        new Promise<AuditEvent>((resolve) => {
          finish = () => {
            stored = true;
            resolve({ id: 1, ...event });
          };
        }),
    );
    close = app.close;
    expect((await app.app.inject(UNAUTHENTICATED_WRITE)).statusCode).toBe(401);
    expect(stored).toBe(false);
    let closed = false;
    const closing = app.app.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    finish();
    await closing;
    expect(stored).toBe(true);
  });
});
