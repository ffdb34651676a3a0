import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_UI_DIR } from "../../src/console/console-page.ts";
import { problem } from "../support/problem.ts";
import { type ConsoleApp, createConsoleApp } from "./console-app.ts";

const CSP =
  "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
const PAGE =
  '<!doctype html><title>EdgeKV</title><script type="module" src="assets/console.ABC123.js"></script>';
const SCRIPT = "console.log('console');";

describe("the console's page", () => {
  let dir = "";
  let c: ConsoleApp;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgekv-console-ui-"));
    await mkdir(join(dir, "assets"));
    await writeFile(join(dir, "index.html"), PAGE);
    await writeFile(join(dir, "assets", "console.ABC123.js"), SCRIPT);
    await writeFile(join(dir, "assets", "console.DEF456.css"), "body{}");
    await writeFile(join(dir, "secret.txt"), "not an asset");
    c = await createConsoleApp({ consoleUiDir: dir });
  });
  afterAll(async () => {
    await c?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("is the built index.html, never cached, with the CSP", async () => {
    const page = await c.inject("GET", "/_edgekv/console/");
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(PAGE);
    expect(page.headers).toMatchObject({
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-cache",
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
    });
    expect(Date.parse(String(page.headers["x-edgekv-time"]))).not.toBeNaN();
  });

  it("is where /_edgekv/console redirects", async () => {
    const redirect = await c.inject("GET", "/_edgekv/console");
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe("/_edgekv/console/");
  });

  it.each([
    ["console.ABC123.js", "text/javascript; charset=utf-8", SCRIPT],
    ["console.DEF456.css", "text/css; charset=utf-8", "body{}"],
  ])("serves assets/%s, cached for a year", async (name, type, body) => {
    const asset = await c.inject("GET", `/_edgekv/console/assets/${name}`);
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe(body);
    expect(asset.headers).toMatchObject({
      "content-type": type,
      "cache-control": "public, max-age=31536000, immutable",
      "content-security-policy": CSP,
      "x-content-type-options": "nosniff",
    });
  });

  it.each([
    "/_edgekv/console/assets/..%2Fsecret.txt",
    "/_edgekv/console/assets/%2e%2e%2fsecret.txt",
    "/_edgekv/console/assets/..%2F..%2F..%2Fpackage.json",
    "/_edgekv/console/assets/.hidden",
    "/_edgekv/console/assets/sub/console.ABC123.js",
    "/_edgekv/console/assets/missing.js",
    "/_edgekv/console/secret.txt",
  ])("answers %s 404", async (url) => {
    const answer = await c.inject("GET", url);
    expect(answer.statusCode).toBe(404);
    expect(answer.json()).toEqual(problem(404, "EKV_2000", /^No resource at GET /));
  });

  it("is found in the package's dist/console-ui by default", () => {
    expect(CONSOLE_UI_DIR.replaceAll("\\", "/")).toMatch(/\/dist\/console-ui\/$/);
  });
});

describe("the console's page, not built", () => {
  it("answers 503 saying to run npm run build", async () => {
    const c = await createConsoleApp({ consoleUiDir: join(tmpdir(), "edgekv-no-console-ui") });
    try {
      for (const url of ["/_edgekv/console/", "/_edgekv/console/assets/console.ABC123.js"]) {
        const answer = await c.inject("GET", url);
        expect(answer.statusCode).toBe(503);
        expect(answer.json()).toMatchObject({
          status: 503,
          errorCode: "console_missing",
          detail: "The web console's page is not built (dist/console-ui is missing): run `npm run build`.",
        });
      }
    } finally {
      await c.close();
    }
  });
});
