import { randomBytes } from "node:crypto";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { createSecretBox } from "../../src/accounts/secret-box.ts";
import { createManualClock, type ManualClock } from "../../src/clock.ts";
import { createConsoleSessions } from "../../src/console/sessions.ts";
import { ensureFirstRunClient } from "../../src/first-run.ts";
import { createSharedManualClock } from "../../src/scheduler/shared-clock.ts";
import { assembleApp } from "../../src/server.ts";
import { openSqliteStore } from "../../src/storage/sqlite/sqlite-store.ts";
import type { Store } from "../../src/storage/store.ts";
import { DEFAULT_TOKEN_SETTINGS } from "../support/harness.ts";

export const HOST = "console.test:8080";
export const ORIGIN = `http://${HOST}`;

export interface ConsoleApp {
  app: FastifyInstance;
  store: Store;
  /** The domain's clock and real time at once: sessions and keys follow it too. */
  clock: ManualClock;
  /** A fresh login key, as `edgekv console` would get one. */
  loginKey(): Promise<string>;
  /** Logs in with a fresh key: the session cookie. */
  login(): Promise<string>;
  inject(
    method: string,
    url: string,
    options?: { cookie?: string; origin?: string | null; body?: unknown },
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * The app on plain HTTP (as behind a TLS proxy) with a manual clock for both the domain's time and
 * real time, a first-run administrator, and optionally the page's files from `consoleUiDir`.
 */
export async function createConsoleApp(
  options: { consoleUiDir?: string; manualClockRoutes?: boolean; consoleEventTickMs?: number } = {},
) {
  const clock = createManualClock(new Date("2026-11-28T12:00:00Z"));
  const store = openSqliteStore({ location: ":memory:", clock });
  const { app, services } = await assembleApp({
    store,
    secretBox: createSecretBox(randomBytes(32)),
    clock,
    wallClock: clock,
    manualClock:
      options.manualClockRoutes === true
        ? createSharedManualClock({ clock, settings: store.settings })
        : null,
    settings: DEFAULT_TOKEN_SETTINGS,
    keyRotationDays: 30,
    logger: false,
    tls: null,
    bodyLimit: 1024 * 1024,
    maxSkewSeconds: 30,
    nonceJournal: null,
    ...(options.consoleUiDir === undefined ? {} : { consoleUiDir: options.consoleUiDir }),
    ...(options.consoleEventTickMs === undefined ? {} : { consoleEventTickMs: options.consoleEventTickMs }),
  });
  const firstRun = await ensureFirstRunClient({ store, ...services });
  const sessions = createConsoleSessions({ store, clock, administrator: async () => firstRun.client });
  const inject: ConsoleApp["inject"] = (method, url, { cookie, origin, body } = {}) => {
    const sentOrigin = origin === undefined ? (method === "GET" ? null : ORIGIN) : origin;
    return app.inject({
      method: method as "GET",
      url,
      headers: {
        host: HOST,
        ...(cookie === undefined ? {} : { cookie }),
        ...(sentOrigin === null ? {} : { origin: sentOrigin }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  };
  const loginKey = async () => (await sessions.createLoginKey()).key;
  return {
    app,
    store,
    clock,
    loginKey,
    inject,
    login: async () => {
      const answer = await inject("POST", "/_edgekv/console/api/session", {
        body: { key: await loginKey() },
      });
      const cookie = String(answer.headers["set-cookie"] ?? "").split(";")[0];
      if (answer.statusCode !== 200 || cookie === undefined) throw new Error(`login failed: ${answer.body}`);
      return cookie;
    },
    close: async () => {
      await app.close();
      await store.close();
    },
  } satisfies ConsoleApp;
}
