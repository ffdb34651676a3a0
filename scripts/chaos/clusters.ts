import { randomBytes } from "node:crypto";
import { cp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import type { Endpoint } from "./http.ts";
import { createServerNode, type ServerNode } from "./node.ts";
import type { TargetName } from "./options.ts";
import type { Random } from "./random.ts";

export interface IntegrityCheck {
  readonly ok: boolean;
  /** `ok`, or what SQLite found, and where a copy of the files was kept. */
  readonly detail: string;
}

/** The server(s) of one target, killed and restarted cycle after cycle on the same data. */
export interface Cluster {
  readonly label: TargetName;
  /** The nodes that are up. */
  endpoints(): Endpoint[];
  start(): Promise<void>;
  /** SIGKILL to the nodes chosen for this cycle, at once; returns their names. */
  kill(rng: Random): string[];
  /** Once the load has ended: waits for the killed nodes to be gone, then checks what can be checked. */
  afterKill(cycle: number): Promise<IntegrityCheck | null>;
  /** Starts the killed nodes again; resolves with the milliseconds until the last was ready. */
  restart(): Promise<number>;
  stop(): Promise<void>;
}

function nodeGroup(label: TargetName, nodes: readonly ServerNode[]) {
  let killed: ServerNode[] = [];
  return {
    label,
    endpoints: () => nodes.flatMap((node) => node.endpoint() ?? []),
    start: async () => {
      // All at once, as a deployment would: first run must happen once on a shared database.
      await Promise.all(nodes.map((node) => node.start()));
    },
    killNodes: (chosen: readonly ServerNode[]): string[] => {
      for (const node of chosen) node.kill();
      killed = [...chosen];
      return chosen.map((node) => node.name);
    },
    buried: () => Promise.all(killed.map((node) => node.buried())),
    restart: async () => {
      const begun = performance.now();
      await Promise.all(killed.map((node) => node.start()));
      killed = [];
      return performance.now() - begun;
    },
    stop: async () => {
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
}

/** Read-only, and before the restart: what a crash left on disk, WAL included, not what recovery made of it. */
function integrityCheck(file: string): IntegrityCheck {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma("integrity_check") as { integrity_check: string }[];
    const detail = rows.map((row) => row.integrity_check).join("; ");
    return { ok: detail === "ok", detail };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  } finally {
    db?.close();
  }
}

export function sqliteCluster(workDir: string, sockets: number): Cluster {
  const dataDir = join(workDir, "sqlite");
  const node = createServerNode("a", { dataDir }, sockets);
  const group = nodeGroup("sqlite", [node]);
  return {
    ...group,
    kill: () => group.killNodes([node]),
    afterKill: async (cycle) => {
      await group.buried();
      const check = integrityCheck(join(dataDir, "edgekv.db"));
      if (check.ok) return check;
      // The run goes on and its directory is removed at the end: keep this state for a post-mortem.
      const kept = join(tmpdir(), `edgekv-chaos-integrity-cycle${cycle}-${Date.now()}`);
      await cp(dataDir, kept, { recursive: true });
      return { ok: false, detail: `${check.detail} (database files kept in ${kept})` };
    },
  };
}

/** Two nodes on one database, as behind a load balancer: one or both die at each kill. */
export function postgresCluster(workDir: string, databaseUrl: string, sockets: number): Cluster {
  // Every node on one database must seal client secrets with the same key.
  const env = { EDGEKV_SECRET_KEY: randomBytes(32).toString("base64") };
  const nodes = ["a", "b"].map((name) =>
    createServerNode(
      name,
      { dataDir: join(workDir, `postgres-${name}`), database: databaseUrl, env },
      sockets,
    ),
  );
  const group = nodeGroup("postgres", nodes);
  const choices = [...nodes.map((node) => [node]), nodes];
  return {
    ...group,
    kill: (rng) => group.killNodes(rng.pick(choices)),
    afterKill: async () => {
      await group.buried();
      return null;
    },
  };
}
