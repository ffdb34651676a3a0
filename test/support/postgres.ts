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
