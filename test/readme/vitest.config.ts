import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:readme`: the README walkthrough alone, outside `npm test` (about a minute).
export default defineConfig({
  root: fileURLToPath(new URL("../..", import.meta.url)),
  test: {
    include: ["test/readme/**/*.test.ts"],
    testTimeout: 240_000,
    pool: "forks",
  },
});
