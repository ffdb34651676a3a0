import pg from "pg";
import { describe, it } from "vitest";

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

/**
 * A suite that needs PostgreSQL: `suite(url)` when EDGEKV_TEST_DATABASE_URL is set. Without it, a
 * loud warning naming `what`, and `what` reported as a skipped suite rather than silently absent.
 */
export function withPostgres(what: string, suite: (url: string) => void): void {
  if (POSTGRES_URL === undefined) {
    warnPostgresSkipped(what);
    describe.skip(`${what} (EDGEKV_TEST_DATABASE_URL is not set)`, () => {
      it("is skipped", () => undefined);
    });
    return;
  }
  suite(POSTGRES_URL);
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
