// The built page in a real browser against the real server: the login URL opens it, the live
// stream connects, and a token made in its form shows its errors beside the field. It needs a
// Chromium (CHROMIUM_PATH, or /usr/bin/chromium) and dist/console-ui (npm run build); without
// them it is skipped, loudly.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONSOLE_UI_DIR } from "../../src/console/console-page.ts";
import { type ConsoleServer, startConsoleServer } from "./console-server.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ready = existsSync(CHROMIUM) && existsSync(join(CONSOLE_UI_DIR, "index.html"));
if (!ready) {
  process.stderr.write(
    `\n!! SKIPPED: the console in a browser (needs ${CHROMIUM} and dist/console-ui: npm run build)\n\n`,
  );
}

describe.skipIf(!ready)("the console in a browser", () => {
  let c: ConsoleServer;
  beforeAll(async () => {
    c = await startConsoleServer("sqlite");
  });
  afterAll(async () => {
    await c?.close();
  });

  it("opens with the banner's URL, goes live, and creates a token", async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    try {
      const page = await browser.newPage({ ignoreHTTPSErrors: true });
      const failures: string[] = [];
      page.on("pageerror", (error) => failures.push(String(error)));
      await page.goto(c.server.consoleUrl);
      await page.getByText("Live", { exact: true }).waitFor({ timeout: 10_000 });
      // The key has left the address bar.
      expect(page.url()).not.toContain("key=");
      await page.goto(`${c.origin}/_edgekv/console/#/create-token`);
      const name = page.getByLabel("Name", { exact: true });
      await name.fill("bad name!");
      await page.click("button[type=submit]");
      await page.getByText("Name contains invalid characters", { exact: false }).waitFor({ timeout: 5_000 });
      expect(await name.getAttribute("aria-invalid")).toBe("true");
      await name.fill("from_browser");
      await page.click("button[type=submit]");
      await page.waitForURL(/#\/tokens\/from_browser$/, { timeout: 5_000 });
      expect((await c.signed("GET", "/edgekv/v1/tokens/from_browser")).status).toBe(200);
      expect(failures).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 30_000);
});
