/**
 * Builds the web console: console/src bundled by esbuild into dist/console-ui/assets/ (names with
 * content hashes), and console/index.html pointing at them. `npm run build` runs it; so does
 * `npm install` (prepare). Nothing is fetched: the page works offline.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const CONSOLE_DIR = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_OUT_DIR = resolve(CONSOLE_DIR, "..", "dist", "console-ui");

/** The first page's budget: HTML, script and styles together, gzipped. */
export const FIRST_PAGE_BUDGET_BYTES = 150 * 1024;

export interface BuiltFile {
  /** Relative to the output folder: `index.html`, `assets/console.X.js`. */
  readonly path: string;
  readonly contents: Uint8Array;
  readonly bytes: number;
  readonly gzipBytes: number;
}

export interface ConsoleBuild {
  readonly files: readonly BuiltFile[];
  /** What loading the page fetches: every file here (one script, one stylesheet, the HTML). */
  readonly firstPageGzipBytes: number;
}

const sized = (path: string, contents: Uint8Array): BuiltFile => ({
  path,
  contents,
  bytes: contents.byteLength,
  gzipBytes: gzipSync(contents, { level: 9 }).byteLength,
});

/** Bundles the console in memory; `write` replaces `outDir` with the result. */
export async function buildConsole({
  outDir = DEFAULT_OUT_DIR,
  write = true,
}: {
  outDir?: string;
  write?: boolean;
} = {}): Promise<ConsoleBuild> {
  const result = await build({
    entryPoints: [
      { in: join(CONSOLE_DIR, "src", "main.tsx"), out: "console" },
      { in: join(CONSOLE_DIR, "styles.css"), out: "console" },
    ],
    outdir: join(outDir, "assets"),
    entryNames: "[name].[hash]",
    bundle: true,
    minify: true,
    format: "esm",
    target: ["es2022", "chrome111", "firefox111", "safari16.4"],
    jsx: "automatic",
    jsxImportSource: "preact",
    tsconfig: join(CONSOLE_DIR, "tsconfig.json"),
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const assets = result.outputFiles.map((file) => sized(`assets/${basename(file.path)}`, file.contents));
  const script = assets.find((file) => file.path.endsWith(".js"));
  const styles = assets.find((file) => file.path.endsWith(".css"));
  if (script === undefined || styles === undefined)
    throw new Error("esbuild made no script or no stylesheet");
  const html = readFileSync(join(CONSOLE_DIR, "index.html"), "utf8")
    .replace("{{script}}", script.path)
    .replace("{{styles}}", styles.path);
  const files = [sized("index.html", new TextEncoder().encode(html)), ...assets];
  if (write) {
    rmSync(outDir, { recursive: true, force: true });
    for (const file of files) {
      mkdirSync(dirname(join(outDir, file.path)), { recursive: true });
      writeFileSync(join(outDir, file.path), file.contents);
    }
  }
  return { files, firstPageGzipBytes: files.reduce((sum, file) => sum + file.gzipBytes, 0) };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

export function sizeReport(built: ConsoleBuild): string {
  const width = Math.max(...built.files.map((file) => file.path.length));
  const lines = built.files.map(
    (file) =>
      `  ${file.path.padEnd(width)}  ${kb(file.bytes).padStart(9)}  ${kb(file.gzipBytes).padStart(9)} gzip`,
  );
  return [
    ...lines,
    `  first page ${kb(built.firstPageGzipBytes)} gzip (budget ${kb(FIRST_PAGE_BUDGET_BYTES)})`,
  ].join("\n");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  const built = await buildConsole();
  console.log(
    `console: dist/console-ui/ in ${Math.round(performance.now() - started)} ms\n${sizeReport(built)}`,
  );
  if (built.firstPageGzipBytes > FIRST_PAGE_BUDGET_BYTES) {
    console.error("console: the first page is over its budget");
    process.exitCode = 1;
  }
}
