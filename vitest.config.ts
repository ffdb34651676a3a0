import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The package test installs a packed tarball (minutes): `npm run test:package`. The README
    // walkthrough runs a server and the CLI for a minute: `npm run test:readme`. The web console's
    // flows need Debian's Chromium: `npm run test:browser`.
    exclude: [...configDefaults.exclude, "test/package/**", "test/readme/**", "test/browser/**"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Vitest's default leaves one core free, which on a 2-core machine means one test file at a time.
    maxWorkers: 2,
    isolate: false,
  },
});
