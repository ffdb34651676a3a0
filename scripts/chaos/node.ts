import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { loadCredentials } from "../../src/cli/edgegrid-client.ts";
import { edgercPathFor } from "../../src/data-dir.ts";
import { type Endpoint, endpointAgent } from "./http.ts";
import { type ServerProcess, type ServerSpec, startServerProcess } from "./server-process.ts";

/** One server node across its restarts: same data directory, same port when the port is still free. */
export interface ServerNode {
  readonly name: string;
  readonly dataDir: string;
  /** Null while the node is down. */
  endpoint(): Endpoint | null;
  /** Starts the node and waits until it is ready. */
  start(): Promise<void>;
  /** SIGKILL; the node counts as down at once (no new request goes to it). */
  kill(): void;
  /** After a kill, once the requests in flight have ended: waits for the process to be gone. */
  buried(): Promise<void>;
  stop(): Promise<void>;
}

export function createServerNode(name: string, spec: ServerSpec, sockets: number): ServerNode {
  let port = 0;
  let server: ServerProcess | null = null;
  let endpoint: Endpoint | null = null;

  const launch = async (): Promise<ServerProcess> => {
    try {
      return await startServerProcess(spec, port);
    } catch (error) {
      // The old port taken meanwhile (by another program): any port will do, the edgerc follows.
      if (port === 0 || !(error as Error).message.includes("EADDRINUSE")) throw error;
      return startServerProcess(spec, 0);
    }
  };

  let killed: { server: ServerProcess; endpoint: Endpoint | null } | null = null;

  return {
    name,
    dataDir: spec.dataDir,
    endpoint: () => endpoint,
    start: async () => {
      const started = await launch();
      server = started;
      port = started.port;
      // Written before the banner: the host line names the port just bound.
      const credentials = await loadCredentials({
        edgerc: edgercPathFor({ dataDir: spec.dataDir, database: spec.database }),
        section: "default",
        env: {},
      });
      const ca = await readFile(join(spec.dataDir, "tls", "cert.pem"), "utf8");
      endpoint = { name, port, credentials, agent: endpointAgent(ca, sockets) };
    },
    kill: () => {
      if (server === null) return;
      server.kill();
      // The pool stays until buried(): answers already on their way are still read, not dropped.
      killed = { server, endpoint };
      server = null;
      endpoint = null;
    },
    buried: async () => {
      if (killed === null) return;
      await killed.server.exited;
      killed.endpoint?.agent.destroy();
      killed = null;
    },
    stop: async () => {
      endpoint?.agent.destroy();
      endpoint = null;
      await server?.stop();
      server = null;
    },
  };
}
