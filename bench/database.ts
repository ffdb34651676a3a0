import pg from "pg";

/**
 * Runs `work` against a PostgreSQL database made for it, named `<prefix>_<time>` on the server that
 * BENCH_DATABASE_URL (or EDGEKV_TEST_DATABASE_URL) names, and drops it afterwards. Without either
 * variable it says so and answers null.
 */
export async function withBenchDatabase<T>(
  prefix: string,
  work: (url: string) => Promise<T>,
): Promise<T | null> {
  const adminUrl = process.env.BENCH_DATABASE_URL || process.env.EDGEKV_TEST_DATABASE_URL;
  if (!adminUrl) {
    console.log(
      "\nPostgreSQL skipped: set BENCH_DATABASE_URL (or EDGEKV_TEST_DATABASE_URL) to measure it too.",
    );
    return null;
  }
  const name = `${prefix}_${Date.now().toString(36)}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
