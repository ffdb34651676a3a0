import type { z } from "zod";
import { anyText, boolean, choice, decimal, integer, text } from "./kinds.ts";
import { optionalSetting, type Setting, setting } from "./setting.ts";

/**
 * Every setting of `edgekv serve`, declared once: the key is the `ServeConfig` field, and the flag,
 * environment variable, default, help and README row all come from here. Order is help order.
 */
export const SETTINGS = {
  host: setting({
    flag: "--host <address>",
    env: "EDGEKV_HOST",
    help: "address to listen on",
    kind: text(),
    default: "127.0.0.1",
  }),
  port: setting({
    flag: "--port <port>",
    env: "EDGEKV_PORT",
    help: "port to listen on (`0`: any free port)",
    kind: integer(0, 65535),
    default: 8443,
  }),
  dataDir: setting({
    flag: "--data-dir <dir>",
    env: "EDGEKV_DATA_DIR",
    help: "where the database, secret key, certificate and edgerc live",
    kind: text(),
    default: ".edgekv",
  }),
  database: optionalSetting({
    flag: "--database <location>",
    env: "EDGEKV_DATABASE",
    help: "a `postgres://…` URL, `memory`, or a SQLite file path",
    kind: text(),
    defaultText: "`<data-dir>/edgekv.db`",
  }),
  seed: optionalSetting({
    flag: "--seed <file>",
    env: "EDGEKV_SEED",
    help: "a seed file (JSON, or YAML) applied before listening; `POST /_edgekv/v1/reset` with `reseed` applies it again",
    kind: text(),
    defaultText: "none",
  }),
  dbPoolSize: setting({
    flag: "--db-pool-size <count>",
    env: "EDGEKV_DB_POOL_SIZE",
    help: "PostgreSQL connections per server process",
    kind: integer(1, 200),
    default: 10,
  }),
  dbStatementTimeoutMs: setting({
    flag: "--db-statement-timeout <ms>",
    env: "EDGEKV_DB_STATEMENT_TIMEOUT",
    help: "milliseconds a PostgreSQL statement may run before it is cancelled",
    kind: integer(100, 600_000),
    default: 5_000,
  }),
  tls: setting({
    flag: "--no-tls",
    env: "EDGEKV_TLS",
    help: "serve plain HTTP, only behind a TLS-terminating proxy",
    kind: boolean(),
    default: true,
    defaultText: "HTTPS",
  }),
  tlsCert: optionalSetting({
    flag: "--tls-cert <file>",
    env: "EDGEKV_TLS_CERT",
    help: "PEM certificate to serve, with `--tls-key`",
    kind: text(),
    defaultText: "a self-signed certificate generated in `<data-dir>/tls/`",
  }),
  tlsKey: optionalSetting({
    flag: "--tls-key <file>",
    env: "EDGEKV_TLS_KEY",
    help: "PEM private key of `--tls-cert`",
    kind: text(),
    defaultText: "generated with the certificate",
  }),
  clock: setting({
    flag: "--clock <kind>",
    env: "EDGEKV_CLOCK",
    help: "`manual` enables `POST /_edgekv/v1/clock` to move time",
    kind: choice(["system", "manual"]),
    default: "system",
  }),
  activationDelaySeconds: setting({
    flag: "--activation-delay <seconds>",
    env: "EDGEKV_ACTIVATION_DELAY",
    help: "seconds until a new or refreshed token is `COMPLETE`",
    kind: decimal(0, 86_400),
    default: 5,
  }),
  refreshIntervalDays: setting({
    flag: "--refresh-interval-days <days>",
    env: "EDGEKV_REFRESH_INTERVAL_DAYS",
    help: "days between scheduled token refreshes",
    kind: integer(1, 365),
    default: 60,
  }),
  tokenLimit: setting({
    flag: "--token-limit <count>",
    env: "EDGEKV_TOKEN_LIMIT",
    help: "access tokens an account may hold",
    kind: integer(1, 100_000),
    default: 500,
  }),
  activationFailureRate: setting({
    flag: "--activation-failure-rate <0..1>",
    env: "EDGEKV_ACTIVATION_FAILURE_RATE",
    help: "fault injection: share of activations that end in `ERROR`",
    kind: decimal(0, 1),
    default: 0,
  }),
  keyRotationDays: setting({
    flag: "--key-rotation-days <days>",
    env: "EDGEKV_KEY_ROTATION_DAYS",
    help: "days before a new token signing key takes over",
    kind: integer(1, 3650),
    default: 30,
  }),
  auditRetentionDays: setting({
    flag: "--audit-retention-days <days>",
    env: "EDGEKV_AUDIT_RETENTION_DAYS",
    help: "days the audit log keeps an event (`GET /_edgekv/v1/audit`)",
    kind: integer(1, 3650),
    default: 30,
  }),
  maxSkewSeconds: setting({
    flag: "--max-skew <seconds>",
    env: "EDGEKV_MAX_SKEW",
    help: "seconds an EdgeGrid request's timestamp may differ from the server's clock",
    kind: integer(1, 3600),
    default: 30,
  }),
  bodyLimitBytes: setting({
    flag: "--body-limit <bytes>",
    env: "EDGEKV_BODY_LIMIT",
    help: "largest request body accepted",
    kind: integer(1024),
    default: 1024 * 1024,
  }),
  requestTimeoutSeconds: setting({
    flag: "--request-timeout <seconds>",
    env: "EDGEKV_REQUEST_TIMEOUT",
    help: "seconds a client has to send a whole request, headers and body; then it gets 408 and is closed",
    kind: decimal(1, 3600),
    default: 30,
  }),
  headersTimeoutSeconds: setting({
    flag: "--headers-timeout <seconds>",
    env: "EDGEKV_HEADERS_TIMEOUT",
    help: "seconds a client has to send a request's headers, and to finish the TLS handshake; at most `--request-timeout`",
    kind: decimal(1, 3600),
    default: 10,
    defaultText: "`10`, or `--request-timeout` if shorter",
  }),
  keepAliveTimeoutSeconds: setting({
    flag: "--keep-alive-timeout <seconds>",
    env: "EDGEKV_KEEP_ALIVE_TIMEOUT",
    help: "seconds an idle keep-alive connection stays open for its next request",
    kind: decimal(1, 600),
    default: 5,
  }),
  maxConnections: setting({
    flag: "--max-connections <count>",
    env: "EDGEKV_MAX_CONNECTIONS",
    help: "connections open at once; past it a new client takes the place of the oldest one not being answered. Keep it under the open-file limit (`ulimit -n`), with room for the database",
    kind: integer(1),
    // 1024 descriptors is a common limit, and the server holds some 30 of its own.
    default: 900,
  }),
  logLevel: setting({
    flag: "--log-level <level>",
    env: "EDGEKV_LOG_LEVEL",
    help: "least severe log lines written",
    kind: choice(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
    default: "info",
  }),
  logFormat: optionalSetting({
    flag: "--log-format <format>",
    env: "EDGEKV_LOG_FORMAT",
    help: "`json` writes one line per request with status, duration and request id",
    kind: choice(["pretty", "json"]),
    defaultText: "`pretty` on a terminal, else `json`",
  }),
  metricsToken: optionalSetting({
    flag: "--metrics-token <token>",
    env: "EDGEKV_METRICS_TOKEN",
    help: "bearer token that `GET /metrics` requires (prefer the variable: a flag shows in the process list); without it anyone who reaches the port can read the metrics, which tell how the server is used",
    kind: text(),
    defaultText: "none: `/metrics` is open",
    secret: true,
  }),
  secretKey: optionalSetting({
    env: "EDGEKV_SECRET_KEY",
    help: "base64 of 32 bytes that encrypts client secrets at rest; every node on one database needs the same",
    kind: anyText(),
    defaultText: "`<data-dir>/secret.key`, created on first run",
    secret: true,
  }),
} satisfies Record<string, Setting>;

export type SettingKey = keyof typeof SETTINGS;

// Object.keys forgets which keys an object has; the assertion restores exactly what it holds.
export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];

/** Settings that only make sense together: either both are given or neither. */
export const PAIRS: ReadonlyArray<readonly [SettingKey, SettingKey, string]> = [
  ["tlsCert", "tlsKey", "give both, or neither for a generated certificate"],
];

type NumberKey = {
  [K in SettingKey]: z.infer<ReturnType<(typeof SETTINGS)[K]["schema"]>> extends number ? K : never;
}[SettingKey];

/**
 * Settings that may not exceed another, and why. A default that would exceed its bound follows it
 * instead, so a short `--request-timeout` alone is enough.
 */
export const BOUNDS: ReadonlyArray<readonly [NumberKey, NumberKey, string]> = [
  ["headersTimeoutSeconds", "requestTimeoutSeconds", "the headers are part of the request"],
];
