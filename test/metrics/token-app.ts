import { randomBytes } from "node:crypto";
import type { FastifyInstance } from "fastify";
import type { Logger } from "pino";
import { createSecretBox } from "../../src/accounts/secret-box.ts";
import { createManualClock } from "../../src/clock.ts";
import { assembleApp } from "../../src/server.ts";
import { openTestStore } from "../support/dialects.ts";
import { DEFAULT_TOKEN_SETTINGS } from "../support/harness.ts";

/** An app like the harness's, in the current dialect, whose `/metrics` requires `metricsToken`. */
export async function appWithMetricsToken({
  metricsToken,
  logger,
}: {
  metricsToken: string;
  logger?: Logger;
}): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const clock = createManualClock(new Date("2026-11-28T12:00:00Z"));
  const { store, dispose } = await openTestStore(clock);
  const { app } = await assembleApp({
    store,
    secretBox: createSecretBox(randomBytes(32)),
    clock,
    wallClock: clock,
    manualClock: null,
    settings: DEFAULT_TOKEN_SETTINGS,
    keyRotationDays: 30,
    logger: logger ?? false,
    tls: null,
    bodyLimit: 1024 * 1024,
    maxSkewSeconds: 30,
    nonceJournal: null,
    metricsToken,
  });
  return {
    app,
    close: async () => {
      await app.close();
      await dispose();
    },
  };
}
