import { readFileSync } from "node:fs";

// Read at run time rather than imported: package.json lies outside the compiler's rootDir (src/), and
// `../package.json` names the same file from src/version.ts and from the compiled dist/version.js.
const packageJson: unknown = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

function versionOf(manifest: unknown): string {
  if (typeof manifest === "object" && manifest !== null && "version" in manifest) {
    const { version } = manifest;
    if (typeof version === "string") return version;
  }
  throw new Error("package.json has no version");
}

/** This edgekv-server's version, as package.json gives it. */
export const VERSION: string = versionOf(packageJson);
