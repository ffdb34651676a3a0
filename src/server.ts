import { randomBytes, randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import type { FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import PinoPretty from "pino-pretty";
import { type AccountService, createAccountService } from "./accounts/account-service.ts";
import { createSecretBox, type SecretBox } from "./accounts/secret-box.ts";
import { loadSecretKey } from "./accounts/secret-key-file.ts";
import { type Clock, createManualClock, type ManualClock, systemClock } from "./clock.ts";
import type { ServeConfig } from "./config.ts";
import { upsertEdgercSection } from "./edgegrid/index.ts";
import { DEFAULT_ACCOUNT, ensureFirstRunClient } from "./first-run.ts";
import { writeAtomically } from "./fs/atomic-write.ts";
import { buildApp } from "./http/app.ts";
import { ensureCertificate } from "./http/tls.ts";
import { createInitializer, type Initializer } from "./kv/initialize.ts";
import { createKvService, type KvService } from "./kv/kv-service.ts";
import { createNoncePurge } from "./scheduler/nonce-purge.ts";
import { createScheduler, type Scheduler } from "./scheduler/scheduler.ts";
import { createSharedManualClock } from "./scheduler/shared-clock.ts";
import { describeDatabase, openStore } from "./storage/open-store.ts";
import type { Store } from "./storage/store.ts";
import { MAX_EXPIRY_DAYS } from "./tokens/create-request.ts";
import { createKeyring, type Keyring } from "./tokens/keyring.ts";
import {
  createTokenService,
  REFRESH_GRACE_DAYS,
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
  close(): Promise<void>;
}

const SCHEDULER_INTERVAL_MS = 1_000;

export interface Services {
  accounts: AccountService;
  initializer: Initializer;
  kv: KvService;
  keyring: Keyring;
  tokens: TokenService;
  scheduler: Scheduler;
}

/** The domain services on one store; the server and the tests compose them the same way. */
export function createServices({
  store,
  secretBox,
  clock,
  settings,
  keyRotationDays,
  logger,
  beforeWork,
}: {
  store: Store;
  secretBox: SecretBox;
  clock: Clock;
  settings: TokenSettings;
  keyRotationDays: number;
  logger?: Logger;
  /** Runs before each scheduler run (a shared manual clock takes the database's time). */
  beforeWork?: () => Promise<void>;
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
  const scheduler = createScheduler({
    work: async () => {
      await beforeWork?.();
      const rotatedKey = (await keyring.rotateIfDue()) ? 1 : 0;
      return { ...(await tokens.runDueWork()), ...(await kv.runDueWork()), rotatedKey };
    },
    clock,
    intervalMs: SCHEDULER_INTERVAL_MS,
    logger,
    name: "due work",
  });
  return { accounts, initializer, kv, keyring, tokens, scheduler };
}

export function createLogger(
  config: Pick<ServeConfig, "logLevel" | "logFormat">,
  stream = process.stdout,
): Logger {
  const format = config.logFormat ?? (stream.isTTY ? "pretty" : "json");
  const options = { level: config.logLevel, base: null };
  if (format === "json") return pino(options, stream);
  return pino(options, PinoPretty({ destination: stream, colorize: stream.isTTY, ignore: "pid,hostname" }));
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
  const { key, source: keySource } = await loadSecretKey({ dataDir, fromEnv: config.secretKey });
  const store = await openStore({
    database: config.database,
    dataDir,
    clock,
    pool: { max: config.dbPoolSize, statementTimeoutMs: config.dbStatementTimeoutMs },
  });
  try {
    const shared =
      manualClock === null ? null : createSharedManualClock({ clock: manualClock, settings: store.settings });
    await shared?.sync();
    const services = createServices({
      store,
      secretBox: createSecretBox(key),
      clock,
      settings: config,
      keyRotationDays: config.keyRotationDays,
      logger,
      ...(shared === null ? {} : { beforeWork: shared.sync }),
    });
    const { scheduler } = services;
    await services.keyring.rotateIfDue();
    const firstRun = await ensureFirstRunClient({ store, ...services });

    let tls: { cert: string; key: string } | null = null;
    let certPath: string | null = null;
    if (config.tls) {
      if (config.tlsCert !== undefined && config.tlsKey !== undefined) {
        tls = { cert: await readFile(config.tlsCert, "utf8"), key: await readFile(config.tlsKey, "utf8") };
        certPath = resolve(config.tlsCert);
      } else {
        const generated = await ensureCertificate({
          dir: join(dataDir, "tls"),
          hosts: [...new Set(["127.0.0.1", "localhost", "::1", config.host])].filter(
            (host) => host !== "0.0.0.0" && host !== "::",
          ),
          now: clock.now(),
        });
        tls = { cert: generated.cert, key: generated.key };
        certPath = generated.certPath;
        if (generated.created) logger.info({ certPath }, "generated a self-signed TLS certificate");
      }
    }

    const app = await buildApp({
      store,
      ...services,
      clock,
      wallClock: systemClock,
      manualClock: shared,
      logger,
      tls,
      bodyLimit: config.bodyLimitBytes,
      maxSkewSeconds: config.maxSkewSeconds,
    });
    await app.listen({ host: config.host, port: config.port });
    const address = app.server.address();
    const port = typeof address === "object" && address !== null ? address.port : config.port;
    const hostPort = advertisedHost(config.host, port);
    const edgercPath = join(dataDir, "edgerc");
    await writeEdgerc({
      path: edgercPath,
      host: hostPort,
      credentials: {
        clientToken: firstRun.client.clientToken,
        clientSecret: firstRun.clientSecret,
        accessToken: firstRun.client.accessToken,
      },
    });

    const noncePurge = createNoncePurge({ nonces: store.nonces, clock: systemClock, logger });
    noncePurge.start();
    scheduler.start();

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
      certPath,
      close: async () => {
        if (closed) return;
        closed = true;
        await Promise.all([scheduler.stop(), noncePurge.stop()]);
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
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
  lines.push(
    "",
    "Sign a first request:",
    `  npx edgekv request GET /edgekv/v1/tokens --edgerc ${edgerc}${caFlag}`,
    "",
  );
  return lines.join("\n");
}
