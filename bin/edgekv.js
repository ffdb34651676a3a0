#!/usr/bin/env node
// Runs the compiled program in dist/: the binary never transpiles TypeScript at run time. dist/ is
// built by `npm run build`, which `npm install` in a checkout (the `prepare` script) and `npm pack` run.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const PROGRAM = new URL("../dist/cli/program.js", import.meta.url);

async function loadProgram() {
  try {
    return await import(PROGRAM.href);
  } catch (error) {
    // Only the program itself missing is a checkout that was never built; a dependency missing from
    // inside it is another failure and keeps its own message.
    if (error?.code === "ERR_MODULE_NOT_FOUND" && !existsSync(PROGRAM)) {
      process.stderr.write(
        `edgekv: ${fileURLToPath(PROGRAM)} is missing: this checkout is not built. Run \`npm run build\` (or \`npm install\`) in it first.\n`,
      );
      process.exit(1);
    }
    throw error;
  }
}

// A reader that stops early (`edgekv serve --help | head`) closes the pipe: stop quietly, as Unix
// tools do, instead of an unhandled EPIPE's stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

const { main } = await loadProgram();
const exitCode = await main(process.argv);
// `serve` sets process.exitCode itself when shutting down fails; a 0 here must not hide that.
if (exitCode !== 0) process.exitCode = exitCode;
