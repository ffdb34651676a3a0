// Rewrites README.md's configuration table from the settings declaration (`npm run readme:config`).
import { readFile, writeFile } from "node:fs/promises";
import { withConfigTable } from "../src/config/readme-table.ts";

const path = new URL("../README.md", import.meta.url);
const before = await readFile(path, "utf8");
const after = withConfigTable(before);
if (after === before) {
  process.stdout.write("README.md: the configuration table is up to date\n");
} else {
  await writeFile(path, after);
  process.stdout.write("README.md: configuration table rewritten\n");
}
