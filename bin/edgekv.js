#!/usr/bin/env node
// Runs the TypeScript sources directly (through tsx), so a checkout needs no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/program.ts");
const exitCode = await main(process.argv);
// `serve` sets process.exitCode itself when shutting down fails; a 0 here must not hide that.
if (exitCode !== 0) process.exitCode = exitCode;
