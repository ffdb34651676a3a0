// Writes docs/openapi.json: the OpenAPI document the server serves at /_edgekv/openapi.json, made
// from the route table. test/openapi/document.test.ts fails when the committed file differs.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { apiDocument } from "../src/server.ts";

const path = join(import.meta.dirname, "..", "docs", "openapi.json");
await writeFile(path, `${JSON.stringify(await apiDocument(), null, 2)}\n`);
process.stdout.write(`Wrote ${path}\n`);
