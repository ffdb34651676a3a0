import { randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import PinoPretty from "pino-pretty";
import { type AccountService, createAccountService } from "./accounts/account-service.ts";
import { type NonceJournal, openNonceJournal } from "./accounts/nonce-journal.ts";
import { createSecretBox, type SecretBox } from "./accounts/secret-box.ts";
import { loadSecretKey } from "./accounts/secret-key-file.ts";
import { appRoutes, buildApp } from "./app.ts";
import { type AuditLog, createAuditLog } from "./audit/audit-log.ts";
import { type Clock, createManualClock, type ManualClock, systemClock } from "./clock.ts";
import { parseServeConfig, type ServeConfig } from "./config.ts";
import { createConsoleSessions } from "./console/sessions.ts";
import { edgercPathFor } from "./data-dir.ts";
import { upsertEdgercSection } from "./edgegrid/index.ts";
import { DEFAULT_ACCOUNT, ensureFirstRunClient } from "./first-run.ts";
import { writeAtomically } from "./fs/atomic-write.ts";
import { openToOthers } from "./fs/private-files.ts";
import { CONSOLE_BASE } from "./http/console-prefix.ts";
import type { ConnectionLimits } from "./http/http-app.ts";
import { ensureCertificate } from "./http/tls.ts";
import { createInitializer, type Initializer } from "./kv/initialize.ts";
import { createKvService, type KvService } from "./kv/kv-service.ts";
import { createNoncePurge } from "./scheduler/nonce-purge.ts";
import { createScheduler, type Scheduler } from "./scheduler/scheduler.ts";
import {
  createSharedManualClock,
  forgetManualTime,
  type ManualClockControl,
} from "./scheduler/shared-clock.ts";
import { readSeedFile } from "./state/seed-parse.ts";
import type { SeedDocument } from "./state/seed-schema.ts";
import { applyStartSeed, createStateService, type StateService } from "./state/state-service.ts";
import { describeDatabase, openStore, sqliteFileOf } from "./storage/open-store.ts";
import { openSqliteStore } from "./storage/sqlite/sqlite-store.ts";
import type { Store } from "./storage/store.ts";
import { createKeyring, type Keyring } from "./tokens/keyring.ts";
import { REFRESH_GRACE_DAYS } from "./tokens/new-token.ts";
import {
  createTokenService,
  MAX_EXPIRY_DAYS,
  type TokenService,
  type TokenSettings,
} from "./tokens/token-service.ts";

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly store: Store;
  readonly url: string;
  readonly port: number;
  readonly edgercPath: string;
  readonly certPath: string | null;
  /** The web console with a fresh login key (valid once, for a day), for the start banner. */
  readonly consoleUrl: string;
  close(): Promise<void>;
}

const SCHEDULER_INTERVAL_MS = 1_000;

export interface Services {
  accounts: AccountService;
  initializer: Initializer;
  kv: KvService;
  keyring: Keyring;
  tokens: TokenService;
  audit: AuditLog;
  scheduler: Scheduler;
  state: StateService;
}

/** The domain services on one store; the server and the tests compose them the same way. */
export function createServices({
  store,
  secretBox,
  clock,
  settings,
  keyRotationDays,
  auditRetentionDays = parseServeConfig({}).auditRetentionDays,
  logger,
  beforeWork,
  seed = null,
}: {
  store: Store;
  secretBox: SecretBox;
  clock: Clock;
  settings: TokenSettings;
  keyRotationDays: number;
  /** Default: the `serve` default. */
  auditRetentionDays?: number | undefined;
  logger?: Logger;
  /** Runs before each scheduler run (a shared manual clock takes the database's time). */
  beforeWork?: () => Promise<void>;
  /** The `--seed` document, which a reset can apply again. */
  seed?: SeedDocument | null;
}): Services {
  const accounts = createAccountService({ store, secretBox, clock, randomBytes });
  const keyring = createKeyring({
    store,
    secretBox,
    clock,
    rotationDays: keyRotationDays,
    maxTokenLifetimeDays: Math.max(
      MAX_EXPIRY_DAYS + 1,
      settings.refreshIntervalDays + REFRESH_GRACE_DAYS + 1,
    ),
  });
  const tokens = createTokenService({ store, keyring, clock, randomUUID, random: Math.random, settings });
  const kv = createKvService({ store, clock });
  const initializer = createInitializer({ store, accounts, clock, randomBytes });
  const audit = createAuditLog({ store, clock, retentionDays: auditRetentionDays });
  const scheduler = createScheduler({
    work: async () => {
      await beforeWork?.();
      const rotatedKey = (await keyring.rotateIfDue()) ? 1 : 0;
      const prunedAuditEvents = await audit.pruneDue();
      return { ...(await tokens.runDueWork()), ...(await kv.runDueWork()), rotatedKey, prunedAuditEvents };
    },
    clock,
    intervalMs: SCHEDULER_INTERVAL_MS,
    logger,
    name: "due work",
  });
  const state = createStateService({ store, secretBox, accounts, keyring, clock, settings, startSeed: seed });
  return { accounts, initializer, kv, keyring, tokens, audit, scheduler, state };
}

export interface AssembleOptions {
  store: Store;
  secretBox: SecretBox;
  /** The domain's time; a manual clock under `--clock manual` and in tests. */
  clock: Clock;
  /** Real time for EdgeGrid timestamps and nonces (tests may pass their manual clock). */
  wallClock: Clock;
  /** `--clock manual`: the time shared through the database. */
  manualClock: ManualClockControl | null;
  settings: TokenSettings;
  keyRotationDays: number;
  /** Default: the `serve` default. */
  auditRetentionDays?: number;
  logger: Logger | false;
  tls: { cert: string; key: string } | null;
  bodyLimit: number;
  maxSkewSeconds: number | null;
  /** A single-process SQLite server's accepted nonces, kept across restarts; null otherwise. */
  nonceJournal: NonceJournal | null;
  /** Whether the server is ready for use (health answers 503 until it is); always, by default. */
  isReady?: () => boolean;
  /** Client timeouts and the connection cap; absent: the `serve` defaults. */
  limits?: ConnectionLimits;
  /** The bearer token GET /metrics requires; absent: /metrics is open. */
  metricsToken?: string | undefined;
  /** The `--seed` document (applied by `startServer`; a reset can apply it again). */
  seed?: SeedDocument | null;
}

/**
 * The services and the HTTP app on one store, ready to listen or to take inject()ed requests: what
 * `startServer` runs, and what the tests and the benchmark build the same way.
 */
export async function assembleApp(
  options: AssembleOptions,
): Promise<{ app: FastifyInstance; services: Services }> {
  const { manualClock, logger } = options;
  const services = createServices({
    store: options.store,
    secretBox: options.secretBox,
    clock: options.clock,
    settings: options.settings,
    keyRotationDays: options.keyRotationDays,
    auditRetentionDays: options.auditRetentionDays,
    ...(logger === false ? {} : { logger }),
    ...(manualClock === null ? {} : { beforeWork: manualClock.sync }),
    seed: options.seed ?? null,
  });
  await services.keyring.rotateIfDue();
  const app = await buildApp({ ...options, ...services });
  return { app, services };
}

/** The OpenAPI document of every route, built without a server (for `npm run openapi`). */
export async function apiDocument(): Promise<Readonly<Record<string, unknown>>> {
  const store = openSqliteStore({ location: ":memory:", clock: systemClock });
  try {
    const services = createServices({
      store,
      secretBox: createSecretBox(randomBytes(32)),
      clock: systemClock,
      settings: {
        activationDelaySeconds: 0,
        refreshIntervalDays: 60,
        tokenLimit: 1,
        activationFailureRate: 0,
      },
      keyRotationDays: 30,
    });
    return appRoutes({
      store,
      ...services,
      clock: systemClock,
      wallClock: systemClock,
      manualClock: null,
      maxSkewSeconds: 30,
      nonceJournal: null,
    }).document();
  } finally {
    await store.close();
  }
}

export function createLogger(
  config: Pick<ServeConfig, "logLevel" | "logFormat">,
  stream: { write(line: string): unknown; isTTY?: boolean } = process.stdout,
): Logger {
  const format = config.logFormat ?? (stream.isTTY ? "pretty" : "json");
  const options = { level: config.logLevel, base: null };
  if (format === "json") return pino(options, stream);
  return pino(
    options,
    PinoPretty({ destination: stream, colorize: stream.isTTY === true, ignore: "pid,hostname" }),
  );
}

/** The host clients should put in `.edgerc`: the bind address, unless it is a wildcard. */
function advertisedHost(host: string, port: number): string {
  const name = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
  return `${name.includes(":") ? `[${name}]` : name}:${port}`;
}

async function writeEdgerc({
  path,
  host,
  credentials,
}: {
  path: string;
  host: string;
  credentials: { clientToken: string; clientSecret: string; accessToken: string };
}): Promise<void> {
  let existing: string | undefined;
  try {
    existing = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const text = upsertEdgercSection({
    ...(existing === undefined ? {} : { text: existing }),
    section: "default",
    values: {
      host,
      client_token: credentials.clientToken,
      client_secret: credentials.clientSecret,
      access_token: credentials.accessToken,
    },
  });
  if (text !== existing) await writeAtomically(path, text, { mode: 0o600 });
}

/** The data directory and database hold secrets and tokens: say so when other users can read them. */
async function warnAboutOpenFiles({
  dataDir,
  database,
  logger,
}: {
  dataDir: string;
  database: string | null;
  logger: Logger;
}): Promise<void> {
  const files = database === null ? [] : [database, `${database}-wal`, `${database}-shm`];
  for (const { path, mode } of await openToOthers([dataDir, ...files])) {
    const fix = `chmod ${path === dataDir ? "700" : "600"} ${path}`;
    logger.warn(
      { path, mode: `0${mode.toString(8)}` },
      `${path} can be read by other users (mode 0${mode.toString(8)}), and it holds credentials and tokens: ${fix}`,
    );
  }
}

/** The certificate to serve: the given pair, or one generated (once) in `<data-dir>/tls`. */
async function loadTls(
  config: ServeConfig,
  { dataDir, now, logger }: { dataDir: string; now: Date; logger: Logger },
): Promise<{ pair: { cert: string; key: string }; certPath: string } | null> {
  if (!config.tls) return null;
  if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
    const pair = { cert: await readFile(config.tlsCert, "utf8"), key: await readFile(config.tlsKey, "utf8") };
    return { pair, certPath: resolve(config.tlsCert) };
  }
  const generated = await ensureCertificate({
    dir: join(dataDir, "tls"),
    hosts: [...new Set(["127.0.0.1", "localhost", "::1", config.host])].filter(
      (host) => host !== "0.0.0.0" && host !== "::",
    ),
    now,
  });
  if (generated.created)
    logger.info({ certPath: generated.certPath }, "generated a self-signed TLS certificate");
  return { pair: { cert: generated.cert, key: generated.key }, certPath: generated.certPath };
}

/**
 * Composes and starts the server: storage, secrets, the first-run account and credential, TLS, the
 * app, and the `.edgerc` that points at the port actually bound.
 */
export async function startServer(
  config: ServeConfig,
  { logger, clock: givenClock }: { logger: Logger; clock?: Clock },
): Promise<RunningServer> {
  const manualClock: ManualClock | null =
    config.clock === "manual" ? createManualClock(systemClock.now()) : null;
  const clock = givenClock ?? manualClock ?? systemClock;
  const dataDir = resolve(config.dataDir);
  // A wrong seed file stops the start before anything is opened or written.
  const seed = config.seed === undefined ? null : await readSeedFile(config.seed);
  const { key, source: keySource } = await loadSecretKey({ dataDir, fromEnv: config.secretKey });
  const store = await openStore({
    database: config.database,
    dataDir,
    clock,
    pool: { max: config.dbPoolSize, statementTimeoutMs: config.dbStatementTimeoutMs },
  });
  // A SQLite database belongs to this one process, which keeps the nonces it accepted in memory and
  // in this journal beside the database; PostgreSQL nodes share theirs through the database.
  const databaseFile = sqliteFileOf({ database: config.database, dataDir });
  const nonceJournal =
    databaseFile === null
      ? null
      : openNonceJournal({ path: `${databaseFile}.nonces`, now: () => Date.now() });
  try {
    const shared =
      manualClock === null ? null : createSharedManualClock({ clock: manualClock, settings: store.settings });
    await shared?.sync();
    const leftover = manualClock === null ? await forgetManualTime(store.settings, clock.now()) : null;
    if (leftover !== null) {
      logger.warn(
        { manualTime: leftover.toISOString() },
        `This database was last run with --clock manual, whose time had reached ${leftover.toISOString()}. ` +
          "The server runs on the system clock now and has forgotten that time: what was dated in it " +
          "(activations, refreshes, expiries) lies in the future. A later --clock manual start begins at the system time.",
      );
    }
    const tls = await loadTls(config, { dataDir, now: clock.now(), logger });
    // Health answers 200 only once everything a newcomer needs (the .edgerc above all) is in place.
    const readiness = { ready: false };
    const { app, services } = await assembleApp({
      store,
      secretBox: createSecretBox(key),
      clock,
      wallClock: systemClock,
      manualClock: shared,
      settings: config,
      keyRotationDays: config.keyRotationDays,
      auditRetentionDays: config.auditRetentionDays,
      logger,
      tls: tls?.pair ?? null,
      bodyLimit: config.bodyLimitBytes,
      maxSkewSeconds: config.maxSkewSeconds,
      nonceJournal,
      isReady: () => readiness.ready,
      limits: config,
      metricsToken: config.metricsToken,
      seed,
    });
    const { scheduler } = services;
    // Before the first run, so that a seed may describe the `default` account (its CP code, say).
    if (seed !== null && config.seed !== undefined) {
      const added = await applyStartSeed(services.state, seed, config.seed);
      logger.info({ seed: config.seed, added }, "seed applied");
    }
    const firstRun = await ensureFirstRunClient({ store, ...services });

    const edgercPath = edgercPathFor({ dataDir, database: config.database });
    const writeFirstRunEdgerc = (port: number) =>
      writeEdgerc({
        path: edgercPath,
        host: advertisedHost(config.host, port),
        credentials: {
          clientToken: firstRun.client.clientToken,
          clientSecret: firstRun.clientSecret,
          accessToken: firstRun.client.accessToken,
        },
      });
    // A fixed port is known before listening, so .edgerc is there before the first request can come;
    // with --port 0 it is written right after, and health says "starting" until then.
    if (config.port !== 0) await writeFirstRunEdgerc(config.port);
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === "object" && address !== null ? address.port : config.port;
    const hostPort = advertisedHost(config.host, port);
    if (config.port === 0) await writeFirstRunEdgerc(port);

    const consoleKey = await createConsoleSessions({
      store,
      clock: systemClock,
      administrator: async () => firstRun.client,
    }).createLoginKey();
    const consoleUrl = `${tls === null ? "http" : "https"}://${hostPort}${CONSOLE_BASE}/#key=${consoleKey.key}`;

    const noncePurge = createNoncePurge({ nonces: store.nonces, clock: systemClock, logger });
    noncePurge.start();
    scheduler.start();
    readiness.ready = true;

    await warnAboutOpenFiles({ dataDir, database: databaseFile, logger });
    logger.info(
      {
        url: `${tls === null ? "http" : "https"}://${hostPort}`,
        database: describeDatabase({ database: config.database, dataDir }),
        secretKey: keySource,
        clock: config.clock,
        firstRun: firstRun.created,
        account: DEFAULT_ACCOUNT,
      },
      "edgekv-server listening",
    );
    let closed = false;
    return {
      app,
      store,
      url: `${tls === null ? "http" : "https"}://${hostPort}`,
      port,
      edgercPath,
      certPath: tls?.certPath ?? null,
      consoleUrl,
      close: async () => {
        if (closed) return;
        closed = true;
        await Promise.all([scheduler.stop(), noncePurge.stop()]);
        await app.close();
        await store.close();
        nonceJournal?.close();
      },
    };
  } catch (error) {
    await store.close();
    nonceJournal?.close();
    throw error;
  }
}

/** What a newcomer needs after start: where things are and one command that signs a request. */
export function startBanner(server: RunningServer, cwd = process.cwd()): string {
  const show = (path: string) => {
    const relativePath = relative(cwd, path);
    return relativePath.startsWith("..") ? path : relativePath;
  };
  const edgerc = show(server.edgercPath);
  const lines = [
    "",
    `edgekv-server is ready at ${server.url}`,
    `  .edgerc       ${edgerc}   (section [default], account "${DEFAULT_ACCOUNT}", every capability)`,
  ];
  const caFlag = server.certPath === null ? "" : ` --ca-cert ${show(server.certPath)}`;
  if (server.certPath !== null) {
    lines.push(`  certificate   ${show(server.certPath)}   (self-signed; trust it with NODE_EXTRA_CA_CERTS)`);
  }
  // The URL ends the line, so that it can be copied (or read by a script) whole; it opens once.
  lines.push(`  console       ${server.consoleUrl}`);
  lines.push(
    "",
    "Sign a first request:",
    `  npx edgekv request GET /edgekv/v1/tokens --edgerc ${edgerc}${caFlag}`,
    "",
  );
  return lines.join("\n");
}
