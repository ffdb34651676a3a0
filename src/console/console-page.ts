import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";
import { ApiError } from "../errors.ts";
import { CONSOLE_BASE } from "../http/console-prefix.ts";

/**
 * Where `npm run build` puts the console's page: `dist/console-ui` of the package, the same path from
 * `src/console/` (tsx, the tests) and from `dist/console/` (installed).
 */
export const CONSOLE_UI_DIR = fileURLToPath(new URL("../../dist/console-ui/", import.meta.url));

/** Nothing comes from another origin, and no other page may frame this one. */
export const CONSOLE_CSP =
  "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** An asset's name: one path segment of plain characters, so no name can leave the directory. */
const ASSET_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

const notFound = (path: string) => new ApiError("route_not_found", `No resource at GET ${path}.`);

const missing = () =>
  new ApiError(
    "console_missing",
    "The web console's page is not built (dist/console-ui is missing): run `npm run build`.",
  );

async function readOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return null;
    throw error;
  }
}

const pageHeaders = (reply: FastifyReply) =>
  reply.header("Content-Security-Policy", CONSOLE_CSP).header("X-Content-Type-Options", "nosniff");

/**
 * The console's page and its content-hashed assets, as `npm run build` made them: the page always
 * asked again (no-cache), each asset cached for a year (its name changes with its content).
 */
export function registerConsolePage(app: FastifyInstance, { dir = CONSOLE_UI_DIR }: { dir?: string } = {}) {
  const assets = new Map<string, Buffer>();

  app.get(CONSOLE_BASE, async (request, reply) => {
    const query = (request.raw.url ?? "").split("?")[1];
    return pageHeaders(reply).redirect(`${CONSOLE_BASE}/${query === undefined ? "" : `?${query}`}`, 301);
  });

  app.get(`${CONSOLE_BASE}/`, async (_request, reply) => {
    const page = await readOrNull(join(dir, "index.html"));
    if (page === null) throw missing();
    return pageHeaders(reply).type("text/html; charset=utf-8").header("Cache-Control", "no-cache").send(page);
  });

  app.get(`${CONSOLE_BASE}/assets/*`, async (request, reply) => {
    const name = (request.params as Record<string, string | undefined>)["*"] ?? "";
    const path = `${CONSOLE_BASE}/assets/${name}`;
    if (!ASSET_NAME.test(name) || name.includes("..")) throw notFound(path);
    let body = assets.get(name);
    if (body === undefined) {
      const read = await readOrNull(join(dir, "assets", name));
      if (read === null) {
        if ((await readOrNull(join(dir, "index.html"))) === null) throw missing();
        throw notFound(path);
      }
      body = read;
      assets.set(name, body);
    }
    return pageHeaders(reply)
      .type(CONTENT_TYPES[extname(name)] ?? "application/octet-stream")
      .header("Cache-Control", "public, max-age=31536000, immutable")
      .send(body);
  });
}
