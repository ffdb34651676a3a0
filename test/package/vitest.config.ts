import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:package`: the install test alone, outside `npm test` (it takes minutes).
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["test/package/**/*.test.ts"],
    testTimeout: 60_000,
    // beforeAll packs and installs: npm fetches the dependencies and better-sqlite3 may compile.
    hookTimeout: 20 * 60_000,
    pool: "forks",
  },
});
