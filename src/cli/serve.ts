import { Command, Option } from "commander";
import { parseServeConfig } from "../config.ts";

export function serveCommand(): Command {
  return new Command("serve")
    .description("Run the EdgeKV API server (HTTPS, SQLite in the data directory, a ready .edgerc).")
    .addOption(new Option("--host <address>", "address to listen on").env("EDGEKV_HOST").default("127.0.0.1"))
    .addOption(
      new Option("--port <port>", "port to listen on (0 = any free port)").env("EDGEKV_PORT").default("8443"),
    )
    .addOption(
      new Option("--data-dir <dir>", "where the database, secret key, certificate and edgerc live")
        .env("EDGEKV_DATA_DIR")
        .default(".edgekv"),
    )
    .addOption(
      new Option(
        "--database <location>",
        "SQLite file path, or `memory` (default: <data-dir>/edgekv.db)",
      ).env("EDGEKV_DATABASE"),
    )
    .addOption(
      new Option("--tls-cert <file>", "PEM certificate to serve (default: generated)").env("EDGEKV_TLS_CERT"),
    )
    .addOption(new Option("--tls-key <file>", "PEM private key for --tls-cert").env("EDGEKV_TLS_KEY"))
    .addOption(new Option("--no-tls", "serve plain HTTP, only behind a TLS-terminating proxy"))
    .addOption(
      new Option("--clock <kind>", "`manual` enables POST /_edgekv/v1/clock to move time")
        .choices(["system", "manual"])
        .env("EDGEKV_CLOCK")
        .default("system"),
    )
    .addOption(
      new Option("--activation-delay <seconds>", "seconds until a new or refreshed token is COMPLETE")
        .env("EDGEKV_ACTIVATION_DELAY")
        .default("5"),
    )
    .addOption(
      new Option("--refresh-interval-days <days>", "days between scheduled token refreshes")
        .env("EDGEKV_REFRESH_INTERVAL_DAYS")
        .default("60"),
    )
    .addOption(
      new Option("--token-limit <count>", "access tokens an account may hold")
        .env("EDGEKV_TOKEN_LIMIT")
        .default("500"),
    )
    .addOption(
      new Option(
        "--activation-failure-rate <0..1>",
        "fault injection: share of activations that end in ERROR",
      )
        .env("EDGEKV_ACTIVATION_FAILURE_RATE")
        .default("0"),
    )
    .addOption(
      new Option("--key-rotation-days <days>", "days before a new token signing key takes over")
        .env("EDGEKV_KEY_ROTATION_DAYS")
        .default("30"),
    )
    .addOption(
      new Option("--log-level <level>", "log level")
        .choices(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
        .env("EDGEKV_LOG_LEVEL")
        .default("info"),
    )
    .addOption(
      new Option("--log-format <format>", "pretty or json (default: pretty on a terminal)")
        .choices(["pretty", "json"])
        .env("EDGEKV_LOG_FORMAT"),
    )
    .addHelpText(
      "after",
      `
The secret key that encrypts client secrets at rest is <data-dir>/secret.key, or EDGEKV_SECRET_KEY.

Examples:
  $ edgekv serve
  $ edgekv serve --port 9443 --data-dir /var/lib/edgekv
  $ EDGEKV_DATABASE=memory edgekv serve --port 0
  $ edgekv serve --clock manual --activation-delay 0   # then POST /_edgekv/v1/clock {"advanceSeconds": 86400}`,
    )
    .action(async (options: Record<string, string | boolean | undefined>) => {
      const config = parseServeConfig({
        host: options.host,
        port: options.port,
        dataDir: options.dataDir,
        database: options.database,
        dbPoolSize: options.dbPoolSize,
        dbStatementTimeoutMs: options.dbStatementTimeout,
        tls: options.tls,
        tlsCert: options.tlsCert,
        tlsKey: options.tlsKey,
        clock: options.clock,
        activationDelaySeconds: options.activationDelay,
        refreshIntervalDays: options.refreshIntervalDays,
        tokenLimit: options.tokenLimit,
        activationFailureRate: options.activationFailureRate,
        keyRotationDays: options.keyRotationDays,
        logLevel: options.logLevel,
        logFormat: options.logFormat,
        secretKey: process.env.EDGEKV_SECRET_KEY,
      });
      // Loaded here so that the other commands do not pay for the server's code at start-up.
      const { createLogger, startBanner, startServer } = await import("../server.ts");
      const logger = createLogger(config);
      const server = await startServer(config, { logger });
      process.stdout.write(startBanner(server));
      await new Promise<void>((resolveStopped) => {
        let stopping = false;
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) {
            logger.warn({ signal }, "second signal: exiting at once");
            process.exit(1);
          }
          stopping = true;
          logger.info({ signal }, "shutting down: finishing requests in flight");
          server.close().then(
            () => {
              logger.info("stopped");
              resolveStopped();
            },
            (error: unknown) => {
              logger.error({ err: error }, "error while shutting down");
              process.exitCode = 1;
              resolveStopped();
            },
          );
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
    });
}
