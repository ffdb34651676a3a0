// The web console in a real browser (Debian's Chromium, playwright-core) against a real server
// started as `edgekv serve` starts it: the flows of issue 13, an accessibility check on every page,
// and a screenshot of every page in test/browser/screenshots/. `npm run test:browser`.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildServer, runCli, startChildServer } from "../support/child-server.ts";
import { npmClient } from "../support/edgegrid-npm.ts";
import { launchChromium, screenshot, seriousViolations } from "./browser.ts";

const CONSOLE_LINE = /^\s*console\s+(https:\/\/\S+\/_edgekv\/console\/#key=\S+)$/m;
const ACTIVATION_SECONDS = 3;

let dir = "";
let server: ChildServer;
let bannerUrl = "";
let origin = "";
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Content-Security-Policy reports and uncaught errors the page printed. */
const pageErrors: string[] = [];

const apiPath = (path: string) => `${origin}/_edgekv/console/api${path}`;

/** The real Akamai client, signing with the `.edgerc` the server wrote. */
const signed = () =>
  readFile(join(dir, ".edgekv", "tls", "cert.pem"), "utf8").then((ca) =>
    npmClient({ edgerc: join(dir, ".edgekv", "edgerc"), ca }),
  );

/** A staging token reading `default`, made with a signed request (not through the page). */
const createToken = (client: ReturnType<typeof npmClient>, name: string) =>
  client.request({
    method: "POST",
    path: "/edgekv/v1/tokens",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      name,
      allowOnStaging: true,
      allowOnProduction: false,
      namespacePermissions: { default: ["r"] },
    }),
  });

async function checkPage(name: string): Promise<void> {
  await page.waitForLoadState("networkidle");
  await screenshot(page, name);
  expect(await seriousViolations(page), `axe-core on ${name}`).toEqual([]);
}

const heading = (name: string) => page.getByRole("heading", { level: 1, name, exact: true });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgekv-browser-"));
  server = await startChildServer(["--port", "0", "--activation-delay", String(ACTIVATION_SECONDS)], {}, dir);
  const match = CONSOLE_LINE.exec(server.output());
  if (match?.[1] === undefined) throw new Error(`the banner has no console line:\n${server.output()}`);
  bannerUrl = match[1];
  origin = new URL(bannerUrl).origin;
  browser = await launchChromium();
  context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir !== "") await rm(dir, { recursive: true, force: true });
});

describe("the web console in Chromium", () => {
  it("logs in with the start banner's URL, and takes the key out of the address bar", async () => {
    expect(bannerUrl.startsWith(`${origin}/_edgekv/console/#key=`)).toBe(true);
    await page.goto(bannerUrl);
    await heading("Overview").waitFor();
    expect(page.url()).not.toContain("key=");
    const cookie = (await context.cookies(`${origin}/_edgekv/console/`)).find(
      (item) => item.name === "edgekv_console",
    );
    expect(cookie).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: "Strict",
      path: "/_edgekv/console",
    });
    await page.getByRole("heading", { name: "Tokens", exact: true }).waitFor();
    await checkPage("overview");
  });

  it("refuses the banner's key a second time, and logs in with the URL `edgekv console` prints", async () => {
    const other = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      const second = await other.newPage();
      await second.goto(bannerUrl);
      const alert = second.getByRole("alert");
      await alert.waitFor();
      expect(await alert.textContent()).toContain("unknown, used or expired");
      await second.screenshot({ path: join(import.meta.dirname, "screenshots", "login-refused.png") });

      const printed = await runCli(["console"], { cwd: dir });
      expect(printed.code, printed.stderr).toBe(0);
      const fresh = /(https:\/\/\S+\/_edgekv\/console\/#key=\S+)/.exec(printed.stdout)?.[1];
      expect(fresh).toBeDefined();
      expect(fresh).not.toBe(bannerUrl);
      await second.goto(fresh ?? "");
      await second.getByRole("heading", { level: 1, name: "Overview", exact: true }).waitFor();
    } finally {
      await other.close();
    }
  });

  it("shows the server's error for a bad name beside Name", async () => {
    await page.goto(`${origin}/_edgekv/console/#/create-token`);
    await heading("Create token").waitFor();
    await checkPage("create-token");
    const name = page.getByRole("textbox", { name: "Name", exact: true });
    await name.fill("not a name!");
    await page.getByRole("button", { name: "Create token", exact: true }).click();
    await expect.poll(() => name.getAttribute("aria-invalid")).toBe("true");
    // What the server says for that body, asked directly with the page's session.
    const answer = await context.request.post(apiPath("/edgekv/v1/tokens"), {
      headers: { Origin: origin },
      data: {
        name: "not a name!",
        allowOnStaging: true,
        allowOnProduction: false,
        namespacePermissions: { default: ["r"] },
      },
    });
    expect(answer.status()).toBe(400);
    const problem = (await answer.json()) as { detail: string; field?: string };
    expect(problem.field).toBe("name");
    const describedBy = (await name.getAttribute("aria-describedby")) ?? "";
    expect(describedBy).not.toBe("");
    const note = page.locator(
      `[id="${describedBy.split(" ").find((id) => id.endsWith("error")) ?? describedBy}"]`,
    );
    expect(await note.textContent()).toContain(problem.detail);
    await screenshot(page, "create-token-error");
  });

  it("creates a token through the form and shows it turn COMPLETE without a reload", async () => {
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const name = page.getByRole("textbox", { name: "Name", exact: true });
    await name.fill("browser-token");
    const write = page
      .getByRole("group", { name: "Permissions on default" })
      .getByRole("checkbox", { name: "w" });
    await write.check();
    await page.getByRole("button", { name: "Create token", exact: true }).click();
    await heading("Token browser-token").waitFor();
    const status = page.locator("dt", { hasText: /^Status$/ }).locator("xpath=following-sibling::dd[1]");
    await expect.poll(() => status.textContent()).toContain("IN_PROGRESS");
    await expect
      .poll(() => status.textContent(), { timeout: (ACTIVATION_SECONDS + 8) * 1000, interval: 250 })
      .toContain("COMPLETE");
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
      true,
    );
    await checkPage("token");

    await page.getByRole("link", { name: "Tokens", exact: true }).click();
    await heading("Tokens").waitFor();
    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: "browser-token" }) });
    await expect.poll(() => row.textContent()).toContain("COMPLETE");
    expect(await row.textContent()).toMatch(/default\s*rw/);
    await checkPage("tokens");
  });

  it("downloads edgekv_tokens.js holding the token for its namespace", async () => {
    await page.goto(`${origin}/_edgekv/console/#/tokens/browser-token`);
    await heading("Token browser-token").waitFor();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download edgekv_tokens.js", exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("edgekv_tokens.js");
    const content = await readFile(await download.path(), "utf8");
    expect(content).toMatch(/^var edgekv_access_tokens = \{/);
    expect(content).toContain('"namespace-default"');
    expect(content).toContain('"browser-token"');
    expect(content).toContain("export { edgekv_access_tokens };");
    // The same file the admin API gives for the token.
    const api = await (await signed()).request({
      method: "GET",
      path: "/_edgekv/v1/tokens/browser-token/edgekv_tokens.js",
    });
    expect(api.status).toBe(200);
    expect(content).toBe(api.data);
  });

  it("writes, edits and deletes an item", async () => {
    await page.goto(`${origin}/_edgekv/console/#/namespaces`);
    await heading("Namespaces").waitFor();
    await checkPage("namespaces");
    await page.goto(`${origin}/_edgekv/console/#/namespaces/staging/default`);
    await page.getByRole("heading", { name: "Write an item" }).waitFor();
    await checkPage("namespace");
    await page.getByRole("textbox", { name: "Group", exact: true }).fill("browser");
    await page.getByRole("textbox", { name: "Key", exact: true }).fill("greeting");
    await page.getByRole("textbox", { name: "Value", exact: true }).fill('{"hello": "world", "n": 1}');
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await heading("Item greeting").waitFor();
    const value = page.getByRole("textbox", { name: "Value", exact: true });
    await expect.poll(() => value.inputValue()).toBe(JSON.stringify({ hello: "world", n: 1 }, null, 2));
    await checkPage("item");

    const client = await signed();
    const itemPath = "/edgekv/v1/networks/staging/namespaces/default/groups/browser/items/greeting";
    // JSON that does not parse is refused before it is sent: the stored value stays.
    await value.fill('{"hello": ');
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect.poll(() => value.getAttribute("aria-invalid")).toBe("true");
    expect((await client.request({ method: "GET", path: itemPath })).data).toEqual({ hello: "world", n: 1 });

    await value.fill('{"hello": "browser", "n": 2}');
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await expect
      .poll(() => page.getByRole("status").getByText("Item greeting saved.").count())
      .toBeGreaterThan(0);
    await expect
      .poll(async () => (await client.request({ method: "GET", path: itemPath })).data)
      .toEqual({ hello: "browser", n: 2 });

    await page.goto(`${origin}/_edgekv/console/#/namespaces/staging/default/browser`);
    await heading("Group browser").waitFor();
    await checkPage("group");
    await page.getByRole("link", { name: "greeting", exact: true }).click();
    await heading("Item greeting").waitFor();
    await page.getByRole("button", { name: "Delete", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Delete item greeting?" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Delete greeting", exact: true }).click();
    await heading("Group browser").waitFor();
    await expect.poll(async () => (await client.request({ method: "GET", path: itemPath })).status).toBe(404);
  });

  it("creates a namespace, changes its retention, refuses a bad one beside the field, and deletes it", async () => {
    const client = await signed();
    const nsPath = "/edgekv/v1/networks/staging/namespaces/browserns";
    await page.goto(`${origin}/_edgekv/console/#/namespaces/staging`);
    await page.getByRole("heading", { name: "New namespace" }).waitFor();
    await page.getByRole("textbox", { name: "Namespace", exact: true }).fill("browserns");
    await page.getByRole("textbox", { name: "Retention", exact: true }).fill("30d");
    await page.getByRole("button", { name: "Create namespace", exact: true }).click();
    await page.getByRole("link", { name: "browserns", exact: true }).click();
    await heading("Namespace browserns").waitFor();
    const created = await client.request({ method: "GET", path: nsPath });
    expect(created.data).toMatchObject({ namespace: "browserns", retentionInSeconds: 30 * 86_400 });

    const retention = page.getByRole("textbox", { name: "Retention", exact: true });
    await retention.fill("5s");
    await page.getByRole("button", { name: "Change retention", exact: true }).click();
    await expect.poll(() => retention.getAttribute("aria-invalid")).toBe("true");
    expect((await client.request({ method: "GET", path: nsPath })).data).toMatchObject({
      retentionInSeconds: 30 * 86_400,
    });
    await retention.fill("0");
    await page.getByRole("button", { name: "Change retention", exact: true }).click();
    await expect
      .poll(
        async () =>
          ((await client.request({ method: "GET", path: nsPath })).data as { retentionInSeconds: number })
            .retentionInSeconds,
      )
      .toBe(0);

    await page.getByRole("button", { name: "Delete namespace", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Delete namespace browserns on staging?" });
    await dialog.getByRole("checkbox", { name: "Delete at once", exact: true }).check();
    await dialog.getByRole("button", { name: "Delete browserns", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: /^Namespaces/ }).waitFor();
    // EdgeKV answers an unknown namespace with 400 EKV_9000.
    await expect
      .poll(
        async () =>
          ((await client.request({ method: "GET", path: nsPath })).data as { detail: string }).detail,
      )
      .toBe("The requested namespace does not exist.");
  });

  it("revokes a token after a confirmation that names it", async () => {
    await page.goto(`${origin}/_edgekv/console/#/tokens/browser-token`);
    await heading("Token browser-token").waitFor();
    await page.getByRole("button", { name: "Revoke", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Revoke token browser-token?" });
    await dialog.waitFor();
    await screenshot(page, "token-revoke-dialog");
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Revoke browser-token", exact: true }).click();
    await heading("Tokens").waitFor();
    const answer = await (await signed()).request({ method: "GET", path: "/edgekv/v1/tokens/browser-token" });
    expect(answer.status).toBe(404);
    await expect.poll(() => page.getByRole("link", { name: "browser-token" }).count()).toBe(0);
  });

  it("creates a credential that signs requests, shows its secret once, and revokes it", async () => {
    await page.getByRole("link", { name: "Credentials", exact: true }).click();
    await heading("Credentials").waitFor();
    await checkPage("credentials");
    await page.getByRole("textbox", { name: "Description", exact: true }).fill("from the browser test");
    await page.getByRole("checkbox", { name: "All capabilities", exact: true }).check();
    await page.getByRole("button", { name: "Create credential", exact: true }).click();
    const secret = page.getByRole("textbox", { name: "Client secret", exact: true });
    await secret.waitFor();
    expect((await secret.inputValue()).length).toBeGreaterThan(20);
    const section = await page.getByRole("textbox", { name: ".edgerc section", exact: true }).inputValue();
    await screenshot(page, "credentials-created");
    const clientToken = /client_token = (\S+)/.exec(section)?.[1] ?? "";
    expect(section).toContain(`client_secret = ${await secret.inputValue()}`);

    // The section works as it is, with Akamai's own client.
    const edgerc = join(dir, "browser.edgerc");
    const { writeFile } = await import("node:fs/promises");
    await writeFile(edgerc, section.replace(/^\[[^\]]+\]/, "[default]"));
    const ca = await readFile(join(dir, ".edgekv", "tls", "cert.pem"), "utf8");
    const created = npmClient({ edgerc, ca });
    expect((await created.request({ method: "GET", path: "/edgekv/v1/tokens" })).status).toBe(200);

    await page.getByRole("button", { name: "Done", exact: true }).click();
    await expect.poll(() => secret.count()).toBe(0);
    await page.getByRole("button", { name: `Revoke ${clientToken}`, exact: true }).click();
    const dialog = page.getByRole("dialog", { name: `Revoke API client ${clientToken}?` });
    await dialog.getByRole("button", { name: `Revoke credential ${clientToken}`, exact: true }).click();
    const row = page.getByRole("row").filter({ hasText: clientToken });
    await expect.poll(() => row.textContent()).toContain("REVOKED");
    // A revoked client is refused within the API clients' cache lifetime (250 ms).
    await expect
      .poll(async () => (await created.request({ method: "GET", path: "/edgekv/v1/tokens" })).status, {
        timeout: 2_000,
      })
      .toBe(401);
  });

  it("shows the audit log, newest first, with the console's actions, and tails it live", async () => {
    await page.getByRole("link", { name: "Audit log", exact: true }).click();
    await heading("Audit log").waitFor();
    const table = page.getByRole("table");
    await expect.poll(() => table.textContent()).toContain("browser-token");
    const text = (await table.textContent()) ?? "";
    expect(text).toContain("token.create");
    expect(text).toContain("token.revoke");
    expect(text).toContain("console");
    // Newest first: the revoke was after the create.
    expect(text.indexOf("token.revoke")).toBeLessThan(text.indexOf("token.create"));
    await checkPage("audit");

    await page.getByRole("checkbox", { name: "Live", exact: true }).check();
    const client = await signed();
    expect((await createToken(client, "signed-live")).status).toBe(200);
    await expect.poll(() => table.textContent(), { timeout: 10_000 }).toContain("signed-live");
  });

  it("refuses console APIs without a session, and state changes from a foreign Origin", async () => {
    const anonymous = await browser.newContext({ ignoreHTTPSErrors: true });
    try {
      for (const path of ["/edgekv/v1/tokens", "/session", "/clients", "/no/such/path"]) {
        const answer = await anonymous.request.get(apiPath(path));
        expect(answer.status(), path).toBe(401);
        expect(answer.headers()["content-type"]).toContain("application/problem+json");
        expect(((await answer.json()) as { detail: string }).detail).toContain("No console session");
      }
    } finally {
      await anonymous.close();
    }
    const body = { name: "foreign", allowOnStaging: true, namespacePermissions: { default: ["r"] } };
    const foreign = await context.request.post(apiPath("/edgekv/v1/tokens"), {
      headers: { Origin: "https://evil.example" },
      data: body,
    });
    expect(foreign.status()).toBe(403);
    expect(((await foreign.json()) as { detail: string }).detail).toContain(
      "Origin https://evil.example is not this server's",
    );
    const none = await context.request.post(apiPath("/edgekv/v1/tokens"), { data: body });
    expect(none.status()).toBe(403);
    expect(((await none.json()) as { detail: string }).detail).toContain("has no Origin header");
    const client = await signed();
    expect((await client.request({ method: "GET", path: "/edgekv/v1/tokens/foreign" })).status).toBe(404);
  });

  it("fits a 375 px wide screen and follows a dark system theme", async () => {
    const narrow = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 375, height: 740 },
      colorScheme: "dark",
      storageState: await context.storageState(),
    });
    try {
      const small = await narrow.newPage();
      for (const [hash, name] of [
        ["#/tokens", "Tokens"],
        ["#/", "Overview"],
        ["#/credentials", "Credentials"],
      ] as const) {
        await small.goto(`${origin}/_edgekv/console/${hash}`);
        await small.getByRole("heading", { level: 1, name, exact: true }).waitFor();
        await small.waitForLoadState("networkidle");
        const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${name} scrolls sideways at 375 px`).toBeLessThanOrEqual(0);
        await small.screenshot({
          path: join(import.meta.dirname, "screenshots", `narrow-dark-${name.toLowerCase()}.png`),
          fullPage: true,
        });
      }
      // Light text on a dark page, and the other way round.
      const colours = (target: Page) =>
        target.evaluate(() => {
          const style = getComputedStyle(document.body);
          return { text: style.color, page: getComputedStyle(document.documentElement).backgroundColor };
        });
      const dark = await colours(small);
      const light = await colours(page);
      expect(dark.text).not.toBe(light.text);
    } finally {
      await narrow.close();
    }
  });

  it("can be used from the keyboard alone", async () => {
    await page.goto(`${origin}/_edgekv/console/#/`);
    await heading("Overview").waitFor();
    // From the top of the page, Tab reaches the navigation; Enter follows a link.
    const reached: string[] = [];
    for (let step = 0; step < 12; step += 1) {
      await page.keyboard.press("Tab");
      const label = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? "");
      reached.push(label);
      if (label === "Tokens") break;
    }
    expect(reached).toContain("Tokens");
    await page.keyboard.press("Enter");
    await heading("Tokens").waitFor();
  });

  it("printed no page errors and no Content-Security-Policy violations", () => {
    expect(pageErrors.filter((text) => !/status of 4\d\d/.test(text))).toEqual([]);
  });
});

describe("the web console on a --clock manual server", () => {
  let manualDir = "";
  let manual: ChildServer;
  let manualPage: Page;
  let manualContext: BrowserContext;

  beforeAll(async () => {
    manualDir = await mkdtemp(join(tmpdir(), "edgekv-browser-manual-"));
    manual = await startChildServer(
      ["--port", "0", "--clock", "manual", "--activation-delay", "1"],
      {},
      manualDir,
    );
    const url = CONSOLE_LINE.exec(manual.output())?.[1];
    if (url === undefined) throw new Error(`the banner has no console line:\n${manual.output()}`);
    manualContext = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 1280, height: 900 },
    });
    manualPage = await manualContext.newPage();
    await manualPage.goto(url);
    await manualPage.getByRole("heading", { level: 1, name: "Overview", exact: true }).waitFor();
  }, 60_000);

  afterAll(async () => {
    await manualContext?.close();
    await manual?.stop();
    if (manualDir !== "") await rm(manualDir, { recursive: true, force: true });
  });

  const manualClient = () =>
    readFile(join(manualDir, ".edgekv", "tls", "cert.pem"), "utf8").then((ca) =>
      npmClient({ edgerc: join(manualDir, ".edgekv", "edgerc"), ca }),
    );

  it("moves the server's clock from the Overview's controls", async () => {
    const client = await manualClient();
    const before = Date.parse(
      ((await client.request({ method: "GET", path: "/_edgekv/v1/clock" })).data as { now: string }).now,
    );
    const advance = manualPage.getByRole("textbox", { name: "Advance by", exact: true });
    await advance.fill("2d");
    await manualPage.getByRole("button", { name: "Advance", exact: true }).click();
    await expect
      .poll(async () => {
        const answer = await client.request({ method: "GET", path: "/_edgekv/v1/clock" });
        return Date.parse((answer.data as { now: string }).now) - before;
      })
      .toBeGreaterThanOrEqual(2 * 86_400_000);
    await manualPage.waitForLoadState("networkidle");
    await screenshot(manualPage, "overview-manual-clock");
    expect(await seriousViolations(manualPage)).toEqual([]);
    // A duration the grammar does not know is refused beside the field, and the clock stays.
    await advance.fill("two days");
    await manualPage.getByRole("button", { name: "Advance", exact: true }).click();
    await expect.poll(() => advance.getAttribute("aria-invalid")).toBe("true");
  });

  it("shows a scheduled refresh on an open token page without a reload", async () => {
    const client = await manualClient();
    expect((await createToken(client, "refreshed-live")).status).toBe(200);
    await manualPage.goto(manualPage.url().replace(/#.*/, "#/tokens/refreshed-live"));
    await manualPage.getByRole("heading", { level: 1, name: "Token refreshed-live", exact: true }).waitFor();
    const latest = manualPage
      .locator("dt", { hasText: /^Latest refresh$/ })
      .locator("xpath=following-sibling::dd[1]");
    await expect.poll(() => latest.textContent()).toContain("none");
    await manualPage.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    // Past the next scheduled refresh (60 days), moved by another client, not by this page.
    const moved = await client.request({
      method: "POST",
      path: "/_edgekv/v1/clock",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ advanceSeconds: 61 * 86_400 }),
    });
    expect(moved.status).toBe(200);
    await expect.poll(() => latest.textContent(), { timeout: 10_000 }).not.toContain("none");
    expect(
      await manualPage.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded),
    ).toBe(true);
    await screenshot(manualPage, "token-refreshed");
  });
});
