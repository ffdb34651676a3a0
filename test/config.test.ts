import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { serveCommand } from "../src/cli/serve.ts";
import { SETTINGS } from "../src/config/settings.ts";
import { ConfigError, parseServeConfig, readServeConfig, type ServeConfig } from "../src/config.ts";

type Env = Record<string, string>;

/** Parses `edgekv serve <args>` with the real command, its action swapped for reading the config. */
async function serve(args: string[], env: Env = {}): Promise<ServeConfig> {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const command = serveCommand()
    .exitOverride()
    .configureOutput({ writeOut: () => {}, writeErr: () => {} });
  let config: ServeConfig | undefined;
  command.action(() => {
    config = readServeConfig(command);
  });
  await command.parseAsync(args, { from: "user" });
  if (config === undefined) throw new Error("the action did not run");
  return config;
}

async function refusal(args: string[], env: Env = {}): Promise<string> {
  const error = await serve(args, env).then(
    () => new Error("accepted"),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as ConfigError).message;
}

// The developer's shell must not decide what these tests see.
beforeEach(() => {
  for (const setting of Object.values(SETTINGS)) vi.stubEnv(setting.env, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

describe("edgekv serve settings", () => {
  it("applies every default", async () => {
    expect(await serve([])).toStrictEqual({
      host: "127.0.0.1",
      port: 8443,
      dataDir: ".edgekv",
      dbPoolSize: 10,
      dbStatementTimeoutMs: 5000,
      tls: true,
      clock: "system",
      activationDelaySeconds: 5,
      refreshIntervalDays: 60,
      tokenLimit: 500,
      activationFailureRate: 0,
      keyRotationDays: 30,
      auditRetentionDays: 30,
      maxSkewSeconds: 30,
      bodyLimitBytes: 1_048_576,
      requestTimeoutSeconds: 30,
      headersTimeoutSeconds: 10,
      keepAliveTimeoutSeconds: 5,
      maxConnections: 900,
      logLevel: "info",
    });
  });

  it.each<[string[], Env, Partial<ServeConfig>]>([
    [["--host", "0.0.0.0"], {}, { host: "0.0.0.0" }],
    [["--port", "0"], {}, { port: 0 }],
    [["--port", "65535"], {}, { port: 65535 }],
    [[], { EDGEKV_PORT: "9443" }, { port: 9443 }],
    [["--data-dir", "/var/lib/edgekv"], {}, { dataDir: "/var/lib/edgekv" }],
    [["--database", "memory"], {}, { database: "memory" }],
    [[], { EDGEKV_DATABASE: "postgres://u@db/edgekv" }, { database: "postgres://u@db/edgekv" }],
    [["--db-pool-size", "1"], {}, { dbPoolSize: 1 }],
    [[], { EDGEKV_DB_POOL_SIZE: "200" }, { dbPoolSize: 200 }],
    [["--db-statement-timeout", "2000"], {}, { dbStatementTimeoutMs: 2000 }],
    [["--activation-delay", "0.5"], {}, { activationDelaySeconds: 0.5 }],
    [["--activation-delay", "86400"], {}, { activationDelaySeconds: 86_400 }],
    [["--activation-failure-rate", "1"], {}, { activationFailureRate: 1 }],
    [[], { EDGEKV_ACTIVATION_FAILURE_RATE: ".25" }, { activationFailureRate: 0.25 }],
    [["--refresh-interval-days", "365"], {}, { refreshIntervalDays: 365 }],
    [["--token-limit", "100000"], {}, { tokenLimit: 100_000 }],
    [["--key-rotation-days", "1"], {}, { keyRotationDays: 1 }],
    [["--max-skew", "3600"], {}, { maxSkewSeconds: 3600 }],
    [["--body-limit", "1024"], {}, { bodyLimitBytes: 1024 }],
    [["--clock", "manual"], {}, { clock: "manual" }],
    [[], { EDGEKV_LOG_LEVEL: "silent" }, { logLevel: "silent" }],
    [["--log-format", "json"], {}, { logFormat: "json" }],
    [["--no-tls"], {}, { tls: false }],
    [[], { EDGEKV_TLS: "false" }, { tls: false }],
    [[], { EDGEKV_TLS: "true" }, { tls: true }],
    [["--tls-cert", "c.pem", "--tls-key", "k.pem"], {}, { tlsCert: "c.pem", tlsKey: "k.pem" }],
    [[], { EDGEKV_TLS_CERT: "c.pem", EDGEKV_TLS_KEY: "k.pem" }, { tlsCert: "c.pem", tlsKey: "k.pem" }],
    [[], { EDGEKV_SECRET_KEY: "c2VjcmV0" }, { secretKey: "c2VjcmV0" }],
    [[], { EDGEKV_REQUEST_TIMEOUT: "45" }, { requestTimeoutSeconds: 45, headersTimeoutSeconds: 10 }],
    [["--request-timeout", "3600"], {}, { requestTimeoutSeconds: 3600 }],
    [["--headers-timeout", "2.5"], {}, { headersTimeoutSeconds: 2.5, requestTimeoutSeconds: 30 }],
    [
      ["--headers-timeout", "12", "--request-timeout", "12"],
      {},
      { headersTimeoutSeconds: 12, requestTimeoutSeconds: 12 },
    ],
    [["--keep-alive-timeout", "65"], {}, { keepAliveTimeoutSeconds: 65 }],
    [[], { EDGEKV_KEEP_ALIVE_TIMEOUT: "1" }, { keepAliveTimeoutSeconds: 1 }],
    [["--max-connections", "50"], {}, { maxConnections: 50 }],
    [[], { EDGEKV_MAX_CONNECTIONS: "20000" }, { maxConnections: 20_000 }],
  ])("accepts %j with env %j", async (args, env, expected) => {
    expect(await serve(args, env)).toMatchObject(expected);
  });

  it.each<[string[], Env, string]>([
    [["--port", "99999"], {}, 'Invalid --port "99999": must be an integer from 0 to 65535.'],
    [["--port", "-1"], {}, 'Invalid --port "-1": must be an integer from 0 to 65535.'],
    [["--port", "1.5"], {}, 'Invalid --port "1.5": must be an integer from 0 to 65535.'],
    [["--port", "0x10"], {}, 'Invalid --port "0x10": must be an integer from 0 to 65535.'],
    [[], { EDGEKV_PORT: "" }, 'Invalid EDGEKV_PORT "": must be an integer from 0 to 65535.'],
    [
      [],
      { EDGEKV_DB_POOL_SIZE: "abc" },
      'Invalid EDGEKV_DB_POOL_SIZE "abc": must be an integer from 1 to 200.',
    ],
    [["--db-pool-size", "abc"], {}, 'Invalid --db-pool-size "abc": must be an integer from 1 to 200.'],
    [["--db-pool-size", "201"], {}, 'Invalid --db-pool-size "201": must be an integer from 1 to 200.'],
    [
      ["--db-statement-timeout", "99"],
      {},
      'Invalid --db-statement-timeout "99": must be an integer from 100 to 600000.',
    ],
    [["--body-limit", "1023"], {}, 'Invalid --body-limit "1023": must be an integer of at least 1024.'],
    [
      ["--activation-delay", "soon"],
      {},
      'Invalid --activation-delay "soon": must be a number from 0 to 86400.',
    ],
    [
      [],
      { EDGEKV_ACTIVATION_FAILURE_RATE: "1.5" },
      'Invalid EDGEKV_ACTIVATION_FAILURE_RATE "1.5": must be a number from 0 to 1.',
    ],
    [["--clock", "sideways"], {}, 'Invalid --clock "sideways": must be one of system, manual.'],
    [[], { EDGEKV_LOG_FORMAT: "xml" }, 'Invalid EDGEKV_LOG_FORMAT "xml": must be one of pretty, json.'],
    [["--host", ""], {}, 'Invalid --host "": must be non-empty.'],
    [[], { EDGEKV_TLS: "no" }, 'Invalid EDGEKV_TLS "no": must be true or false.'],
    [
      ["--tls-cert", "c.pem"],
      {},
      "--tls-cert and --tls-key go together, but only --tls-cert is given: give both, or neither for a generated certificate.",
    ],
    [
      [],
      { EDGEKV_TLS_KEY: "k.pem" },
      "--tls-cert and --tls-key go together, but only EDGEKV_TLS_KEY is given: give both, or neither for a generated certificate.",
    ],
    [["--request-timeout", "0"], {}, 'Invalid --request-timeout "0": must be a number from 1 to 3600.'],
    [
      [],
      { EDGEKV_HEADERS_TIMEOUT: "soon" },
      'Invalid EDGEKV_HEADERS_TIMEOUT "soon": must be a number from 1 to 3600.',
    ],
    [["--keep-alive-timeout", "0"], {}, 'Invalid --keep-alive-timeout "0": must be a number from 1 to 600.'],
    [["--max-connections", "0"], {}, 'Invalid --max-connections "0": must be an integer of at least 1.'],
    [
      ["--headers-timeout", "40"],
      {},
      'Invalid --headers-timeout "40": must be at most --request-timeout (30), as the headers are part of the request.',
    ],
    [
      ["--request-timeout", "10"],
      { EDGEKV_HEADERS_TIMEOUT: "20" },
      'Invalid EDGEKV_HEADERS_TIMEOUT "20": must be at most --request-timeout (10), as the headers are part of the request.',
    ],
    [
      [],
      { EDGEKV_HEADERS_TIMEOUT: "20", EDGEKV_REQUEST_TIMEOUT: "15" },
      'Invalid EDGEKV_HEADERS_TIMEOUT "20": must be at most EDGEKV_REQUEST_TIMEOUT (15), as the headers are part of the request.',
    ],
    [
      ["--port", "x", "--log-level", "loud"],
      {},
      'Invalid --port "x": must be an integer from 0 to 65535. Invalid --log-level "loud": must be one of fatal, error, warn, info, debug, trace, silent.',
    ],
  ])("refuses %j with env %j in one line naming its source", async (args, env, message) => {
    expect(await refusal(args, env)).toBe(message);
  });

  it.each<[string[], Env, Partial<ServeConfig>]>([
    [["--port", "2345"], { EDGEKV_PORT: "1234" }, { port: 2345 }],
    [["--db-pool-size", "3"], { EDGEKV_DB_POOL_SIZE: "abc" }, { dbPoolSize: 3 }],
    [["--clock", "system"], { EDGEKV_CLOCK: "manual" }, { clock: "system" }],
    [["--no-tls"], { EDGEKV_TLS: "true" }, { tls: false }],
  ])("lets the flag in %j win over env %j", async (args, env, expected) => {
    expect(await serve(args, env)).toMatchObject(expected);
  });

  it("lets the headers timeout default follow a shorter request timeout, but never a given one", () => {
    expect(parseServeConfig({ requestTimeoutSeconds: "2" })).toMatchObject({
      requestTimeoutSeconds: 2,
      headersTimeoutSeconds: 2,
    });
    expect(parseServeConfig({ requestTimeoutSeconds: 2, headersTimeoutSeconds: 1 })).toMatchObject({
      requestTimeoutSeconds: 2,
      headersTimeoutSeconds: 1,
    });
    expect(() => parseServeConfig({ requestTimeoutSeconds: 2, headersTimeoutSeconds: 3 })).toThrow(
      "Invalid --headers-timeout 3: must be at most --request-timeout (2), as the headers are part of the request.",
    );
  });

  it("never echoes a secret in an error", () => {
    expect(() => parseServeConfig({ secretKey: 42 })).toThrow(/^Invalid EDGEKV_SECRET_KEY: must be text\.$/);
  });

  it("takes settings from code by field name, as strings or values, naming flags in errors", () => {
    const config = parseServeConfig({ port: "0", activationDelaySeconds: 2, clock: "manual", unknown: 1 });
    expect(config).toMatchObject({ port: 0, activationDelaySeconds: 2, clock: "manual" });
    expect(config).not.toHaveProperty("unknown");
    expect(() => parseServeConfig({ dbStatementTimeoutMs: "1" })).toThrow(
      'Invalid --db-statement-timeout "1": must be an integer from 100 to 600000.',
    );
  });
});
