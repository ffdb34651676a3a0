import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ChildServer, runCli, startChildServer } from "../support/child-server.ts";

export interface CliServer {
  dir: string;
  server: ChildServer;
  /** `--edgerc <data-dir>/edgerc --ca-cert <data-dir>/tls/cert.pem` */
  connection: string[];
  /** Runs `edgekv <args> <connection>`. */
  cli(args: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof runCli>;
  close(): Promise<void>;
}

/** A real `edgekv serve` over TLS in a temporary data directory, and the CLI pointed at it. */
export async function startCliServer(serveArgs: string[] = []): Promise<CliServer> {
  const dir = await mkdtemp(join(tmpdir(), "edgekv-cli-"));
  const server = await startChildServer(["--port", "0", "--data-dir", dir, ...serveArgs]);
  const connection = ["--edgerc", join(dir, "edgerc"), "--ca-cert", join(dir, "tls", "cert.pem")];
  return {
    dir,
    server,
    connection,
    cli: (args, env) => runCli([...args, ...connection], env === undefined ? {} : { env }),
    close: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An .edgerc whose [default] section points at `host` with made-up credentials. */
export function writeEdgerc(path: string, host: string): string {
  writeFileSync(
    path,
    `[default]\nhost = ${host}\nclient_token = akab-a\nclient_secret = c2VjcmV0\naccess_token = akab-b\n`,
  );
  return path;
}

/** The date `days` from today (UTC), `YYYY-MM-DD`. */
export const daysFromToday = (days: number) =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * One line on stderr, `edgekv: …`, matching `pattern`; after exactly `before` (the host line a
 * command prints before it talks to a server) when given.
 */
export const oneLine = (pattern: string, before = "") =>
  new RegExp(`^${escaped(before)}edgekv: ${pattern}\\n$`);

/** The line on stderr that names the host a command talks to, as it is for `edgercPath`. */
export const hostLineFor = (host: string, origin: string) => `edgekv: using https://${host} (${origin})\n`;
