import pg from "pg";

/** The PostgreSQL the tests use; CI sets it (see .ci/run). Without it those tests skip, loudly. */
export const POSTGRES_URL = process.env.EDGEKV_TEST_DATABASE_URL || undefined;

export function warnPostgresSkipped(what: string): void {
  const line = "!".repeat(100);
  process.stderr.write(
    `\n${line}\n!! SKIPPED: ${what}. EDGEKV_TEST_DATABASE_URL is not set, so no PostgreSQL test runs.\n` +
      "!! Set it, e.g. EDGEKV_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm test\n" +
      `${line}\n\n`,
  );
}

/** Runs one statement on a connection of its own (a test's schema made or dropped), in `schema` if given. */
export async function runSql(url: string, text: string, schema?: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    if (schema !== undefined) await client.query(`SET search_path TO ${schema}`);
    await client.query(text);
  } finally {
    await client.end();
  }
}
