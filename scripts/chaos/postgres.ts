import { randomBytes } from "node:crypto";
import pg from "pg";

const CONNECT_TIMEOUT_MS = 5_000;

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Why the server cannot be used, or null when it can. */
export async function postgresProblem(url: string): Promise<string | null> {
  try {
    await withClient(url, (client) => client.query("SELECT 1"));
    return null;
  } catch (error) {
    return (error as Error).message || String(error);
  }
}

export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops it, disconnecting whoever is still on it; safe to call twice. */
  drop(): Promise<void>;
}

/** A database of the run's own beside the one `adminUrl` names, so the run touches nothing else. */
export async function createScratchDatabase(adminUrl: string): Promise<ScratchDatabase> {
  const name = `edgekv_chaos_${randomBytes(5).toString("hex")}`;
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
