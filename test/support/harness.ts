import { randomBytes } from "node:crypto";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import type { Logger } from "pino";
import type { AccountService } from "../../src/accounts/account-service.ts";
import type { Capability } from "../../src/accounts/model.ts";
import { ALL_CAPABILITIES, CAPABILITIES } from "../../src/accounts/model.ts";
import { createSecretBox } from "../../src/accounts/secret-box.ts";
import { type Clock, createManualClock, type ManualClock } from "../../src/clock.ts";
import { formatTimestamp, signRequest } from "../../src/edgegrid/index.ts";
import { createSharedManualClock } from "../../src/scheduler/shared-clock.ts";
import { assembleApp, type Services } from "../../src/server.ts";
import type { Store } from "../../src/storage/store.ts";
import type { TokenSettings } from "../../src/tokens/token-service.ts";
import { openTestStore } from "./dialects.ts";
import { checkAgainstDocument } from "./openapi-check.ts";

export const DEFAULT_TOKEN_SETTINGS: TokenSettings = {
  activationDelaySeconds: 5,
  refreshIntervalDays: 60,
  tokenLimit: 500,
  activationFailureRate: 0,
};

export const TEST_HOST = "edgekv.test:8443";

export interface Credentials {
  clientToken: string;
  clientSecret: string;
  accessToken: string;
}

export interface Harness {
  app: FastifyInstance;
  store: Store;
  accounts: AccountService;
  services: Services;
  clock: ManualClock;
  credentials: Credentials;
  /** Creates another client on `accountId` (created if new). */
  addClient(input?: {
    accountId?: string;
    capabilities?: readonly Capability[];
    canSwitchAccounts?: boolean;
  }): Promise<Credentials>;
  /** Sends a correctly signed request through inject(). */
  signed(input: SignedInput): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface SignedInput {
  method: string;
  url: string;
  body?: string | Buffer;
  credentials?: Credentials;
  headers?: Record<string, string>;
  /** Overrides the signing time (default: the harness's wall clock, its manual clock unless told). */
  at?: Date;
  nonce?: string;
}

/**
 * A fresh app on an empty store (in-memory SQLite, or a schema of its own on PostgreSQL inside
 * `describeEachDialect`) with a manual clock and one all-capability client.
 */
export async function createHarness(
  options: {
    start?: Date;
    bodyLimit?: number;
    maxSkewSeconds?: number | null;
    settings?: Partial<TokenSettings>;
    keyRotationDays?: number;
    manualClockRoutes?: boolean;
    /**
     * Real time, for EdgeGrid timestamps and where a clock reset goes (default: the manual clock,
     * so that moving it needs no skew allowance).
     */
    wallClock?: Clock;
    /** A pino logger to read what the server logs (default: none). */
    logger?: Logger;
  } = {},
): Promise<Harness> {
  const clock = createManualClock(options.start ?? new Date("2026-11-28T12:00:00Z"));
  const wallClock = options.wallClock ?? clock;
  const { store, dispose } = await openTestStore(clock);
  const { app, services } = await assembleApp({
    store,
    secretBox: createSecretBox(randomBytes(32)),
    clock,
    wallClock,
    manualClock:
      options.manualClockRoutes === false
        ? null
        : createSharedManualClock({ clock, settings: store.settings }),
    settings: { ...DEFAULT_TOKEN_SETTINGS, ...options.settings },
    keyRotationDays: options.keyRotationDays ?? 30,
    logger: options.logger ?? false,
    tls: null,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    maxSkewSeconds: options.maxSkewSeconds === undefined ? 30 : options.maxSkewSeconds,
    nonceJournal: null,
  });
  const { accounts } = services;
  // Every response any test provokes is checked against the API document, so it cannot drift.
  const violations: string[] = [];
  app.addHook("onSend", async (request, reply, payload) => {
    const body =
      typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString("utf8") : "";
    await checkAgainstDocument({
      method: request.method,
      url: request.raw.url ?? "/",
      status: reply.statusCode,
      headers: reply.getHeaders(),
      body,
    }).catch((error: unknown) => violations.push((error as Error).message));
    return payload;
  });
  const addClient: Harness["addClient"] = async (input = {}) => {
    const accountId = input.accountId ?? "default";
    await services.initializer.ensureAccount(accountId);
    const { client, clientSecret } = await accounts.createClient({
      accountId,
      capabilities: input.capabilities ?? CAPABILITIES,
      canSwitchAccounts: input.canSwitchAccounts ?? false,
      description: "test",
    });
    return { clientToken: client.clientToken, accessToken: client.accessToken, clientSecret };
  };
  // Like the first-run client: every capability, SERVER_ADMIN included.
  const credentials = await addClient({ canSwitchAccounts: true, capabilities: ALL_CAPABILITIES });
  const signed: Harness["signed"] = (input) => {
    const body = input.body === undefined ? undefined : Buffer.from(input.body);
    const authorization = signRequest({
      credentials: input.credentials ?? credentials,
      method: input.method,
      host: TEST_HOST,
      target: input.url,
      ...(body === undefined ? {} : { body }),
      timestamp: formatTimestamp(input.at ?? wallClock.now()),
      nonce: input.nonce ?? randomBytes(16).toString("hex"),
    });
    return app.inject({
      method: input.method as "GET",
      url: input.url,
      headers: {
        host: TEST_HOST,
        authorization,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...input.headers,
      },
      ...(body === undefined ? {} : { payload: body }),
    });
  };
  return {
    app,
    store,
    accounts,
    services,
    clock,
    credentials,
    addClient,
    signed,
    close: async () => {
      await app.close();
      await dispose();
      if (violations.length > 0) {
        throw new Error(`Responses that differ from the API document:\n${violations.join("\n")}`);
      }
    },
  };
}
