// The browser the console's tests drive: Debian's Chromium (never a downloaded one) through
// playwright-core, and what every page is checked for (axe-core, a screenshot to look at).
import { existsSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.EDGEKV_CHROMIUM ?? "/usr/bin/chromium";

/** Where screenshots go (git-ignored): look at them after a run. */
export const SCREENSHOTS = join(import.meta.dirname, "screenshots");

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's (apt-get install chromium) or set EDGEKV_CHROMIUM to one.`,
    );
  }
  await mkdir(SCREENSHOTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; html: string }[];
}

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now. The
 * script is evaluated through the DevTools protocol, which the page's Content-Security-Policy does
 * not govern, so the page runs under its real policy.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (axeSource === null) {
    const require = createRequire(import.meta.url);
    axeSource = await readFile(require.resolve("axe-core/axe.min.js"), "utf8");
  }
  // A string is evaluated as a script by the DevTools protocol, outside the page's policy.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const { axe } = window as unknown as {
      axe: { run(context: Document): Promise<{ violations: unknown[] }> };
    };
    const result = await axe.run(document);
    return result.violations as AxeViolation[];
  });
  return violations
    .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
    .map((violation) => ({
      ...violation,
      nodes: violation.nodes.map((node) => ({ target: node.target, html: node.html })),
    }));
}
