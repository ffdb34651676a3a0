#!/usr/bin/env node
// Runs the TypeScript sources directly (through tsx), so a checkout needs no build step.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/program.ts");
await main(process.argv);
