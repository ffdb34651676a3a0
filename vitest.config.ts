import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The package test installs a packed tarball globally (minutes): `npm run test:package`.
    exclude: [...configDefaults.exclude, "test/package/**"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: "forks",
    isolate: false,
  },
});
