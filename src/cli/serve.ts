import { Command } from "commander";
// The options alone: parsing them loads zod, which only `serve` needs.
import { settingOptions } from "../config/options.ts";

export function serveCommand(): Command {
  const command = new Command("serve").description(
    "Run the EdgeKV API server (HTTPS, SQLite in the data directory, a ready .edgerc).",
  );
  for (const option of settingOptions()) command.addOption(option);
  return command
    .addHelpText(
      "after",
      `
The secret key that encrypts client secrets at rest is <data-dir>/secret.key, or EDGEKV_SECRET_KEY.
A flag wins over its environment variable.

Examples:
  $ edgekv serve
  $ edgekv serve --port 9443 --data-dir /var/lib/edgekv
  $ EDGEKV_DATABASE=memory edgekv serve --port 0
  $ edgekv serve --database postgres://edgekv@db.internal:5432/edgekv --db-pool-size 20
  $ edgekv serve --clock manual --activation-delay 0   # then, in another shell: edgekv clock advance 1d`,
    )
    .action(async () => {
      // Loaded here so that the other commands do not pay for the server's code at start-up.
      const { readServeConfig } = await import("../config.ts");
      const config = readServeConfig(command);
      const { createLogger, startBanner, startServer } = await import("../server.ts");
      const logger = createLogger(config);
      const server = await startServer(config, { logger });
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
        // Only now: whoever waits for the banner (a supervisor, a test) may send a signal at once,
        // and before the handlers exist a SIGTERM kills the process without closing the server.
        process.stdout.write(startBanner(server));
      });
    });
}
