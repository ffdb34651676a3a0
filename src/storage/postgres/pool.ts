import pg from "pg";

/** BIGINT columns hold epoch milliseconds and counts, all well inside a double's exact range. */
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export interface PoolSettings {
  url: string;
  /** Connections per process. */
  max: number;
  /** Every statement is cancelled after this long, so a stuck query cannot hang a request. */
  statementTimeoutMs: number;
  /** Tests isolate themselves in a schema of their own. */
  schema?: string;
}

export function createPool(settings: PoolSettings): pg.Pool {
  const options = [`-c statement_timeout=${settings.statementTimeoutMs}`];
  if (settings.schema !== undefined) options.push(`-c search_path=${settings.schema}`);
  return new pg.Pool({
    connectionString: settings.url,
    max: settings.max,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    options: options.join(" "),
    types,
  });
}

/** Runs `work` in one transaction on one connection; rolls back on any error. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
