// The local demo in headless Chromium, served by the real web process and worker as `npm start` runs them in
// development: from `/` on an empty database, "Open the demo" seeds the demo shop and opens the real admin; in the
// LINE sandbox a new user adds the account and sends the keyword, and the greeting and the auto-reply come back
// through webhook → worker → LINE (the sandbox); the message is in the admin's inbox. No App Bridge from Shopify's
// CDN (every request there fails, as offline): the demo serves its own stand-in. Then the same routes in production:
// all 404, and `/` is the login redirect. Screenshots tests/output/demo-home-*.png and demo-sandbox-*.png.
import { readdirSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { DEMO_SHOP } from "~/demo/demo.server";
import { DEMO_KEYWORD, demoUserId, PROSPECTS } from "~/demo/seed.server";
import { DESKTOP_USER_AGENT, launchBrowser, screenshot } from "../support/browser";
import { DESKTOP, expectFits, expectNoEnglish, PHONE } from "../support/layout";
import { freePort, startWebServer, WEB_SERVER_HOOK_TIMEOUT_MS, type WebServer } from "../support/web-server";
import { workerProcesses } from "../support/worker-process";

const LOCALES = ["ja", "en"] as const;
const VIEWPORTS = [DESKTOP, PHONE] as const;

/** Every demo route, from the route files (app/routes/demo*.tsx), so a new one is covered without listing it. */
function demoPaths(): string[] {
  return readdirSync("app/routes")
    .filter((file) => /^demo[.[]/.test(file))
    .map((file) => `/${file.replace(/\.tsx$/, "").replace(/\[(.*?)\]/g, "$1").replace(/\.(?!js$)/g, "/")}`);
}

async function newPage(browser: Browser, viewport: { width: number; height: number } = DESKTOP) {
  const page = await browser.newPage({ viewport, userAgent: DESKTOP_USER_AGENT });
  // Offline: nothing from Shopify's CDN loads (the demo must not need it).
  await page.route(/^https:\/\/cdn\.shopify\.com\//, (route) => route.abort());
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  return { page, errors };
}

describe("local demo (development)", () => {
  const worker = workerProcesses();
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  let sandboxUrl = "";

  beforeAll(async () => {
    sandboxUrl = `http://127.0.0.1:${await freePort()}`;
    const line = { LINE_SANDBOX_PORT: new URL(sandboxUrl).port, LINE_API_BASE_URL: sandboxUrl, LINE_DATA_API_BASE_URL: sandboxUrl };
    [server, browser] = await Promise.all([startWebServer(line), launchBrowser()]);
  }, WEB_SERVER_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("opens the demo from /, plays a new friend in the LINE sandbox and shows their message in the inbox", async () => {
    await worker.start({ LINE_API_BASE_URL: sandboxUrl, LINE_DATA_API_BASE_URL: sandboxUrl });
    expect(await db.lineAccount.count()).toBe(0);
    const base = server!.url;

    // `/` offers the demo (not the login form), in both languages and at both widths.
    for (const locale of LOCALES) {
      for (const viewport of VIEWPORTS) {
        const { page, errors } = await newPage(browser!, viewport);
        await page.goto(`${base}/?locale=${locale}`);
        await page.getByRole("button", { name: locale === "ja" ? "デモを開く" : "Open the demo" }).waitFor();
        await expectFits(page);
        if (locale === "ja") await expectNoEnglish(page, ["CRM", "NODE", "ENV", "production"]);
        await screenshot(page, `demo-home-${locale}-${viewport.width}`);
        expect(errors).toEqual([]);
        await page.close();
      }
    }

    const { page: admin, errors } = await newPage(browser!);
    await admin.goto(`${base}/?locale=ja`);
    await admin.getByRole("button", { name: "デモを開く" }).click();
    await admin.waitForURL(/\/app\?/);
    await admin.locator(".Polaris-Page").first().waitFor();
    expect(await db.friend.count({ where: { shop: DEMO_SHOP } })).toBeGreaterThanOrEqual(40);
    // Shopify's App Bridge never loaded; the stand-in did and draws the menu.
    expect(await admin.evaluate(() => typeof (window as unknown as { shopify?: { idToken?: unknown } }).shopify?.idToken)).toBe("function");

    // The sandbox: a user who is not a friend yet adds the account, then sends the keyword.
    const newcomer = PROSPECTS[0]!;
    const { page: phone } = await newPage(browser!);
    await phone.goto(`${base}/demo/line?locale=ja&user=${demoUserId(newcomer)}`);
    await phone.getByText(`${newcomer} さんのスマートフォン`).waitFor();
    await phone.getByRole("button", { name: "友だち追加" }).click();
    await phone.getByTestId("phone-text").filter({ hasText: "友だち追加ありがとうございます" }).waitFor();
    await phone.getByLabel("メッセージ").fill(DEMO_KEYWORD);
    await phone.getByRole("button", { name: "送信", exact: true }).click();
    await phone.getByTestId("phone-user-text").filter({ hasText: DEMO_KEYWORD }).waitFor();
    await phone.getByTestId("phone-text").filter({ hasText: "LINE10" }).waitFor();
    await phone.close();

    // The inbox, reached through the stand-in's menu (a client-side navigation: its fetch carries the token).
    await admin.locator('ui-nav-menu nav a[href="/app/inbox"]').click();
    await admin.waitForURL(/\/app\/inbox/);
    await admin.getByText(newcomer).first().waitFor();
    await admin.getByText(DEMO_KEYWORD).first().waitFor();
    expect(errors).toEqual([]);

    for (const locale of LOCALES) {
      for (const viewport of VIEWPORTS) {
        const { page } = await newPage(browser!, viewport);
        await page.goto(`${base}/demo/line?locale=${locale}&user=${demoUserId(newcomer)}`);
        await page.getByTestId("phone-text").filter({ hasText: "LINE10" }).waitFor();
        const wide = await page.evaluate(() =>
          [...document.querySelectorAll("body *")]
            .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(0, 5)
            .map((element) => `${element.tagName}.${element.className} ${Math.round(element.getBoundingClientRect().right)}`),
        );
        expect(wide).toEqual([]);
        await expectFits(page);
        if (locale === "ja") await expectNoEnglish(page, ["CRM", "NODE", "ENV", "production"]);
        await screenshot(page, `demo-sandbox-${locale}-${viewport.width}`);
        await page.close();
      }
    }
    await admin.close();
  });
});

describe("local demo in production", () => {
  let server: WebServer | undefined;
  let sandboxPort = 0;

  beforeAll(async () => {
    sandboxPort = await freePort();
    server = await startWebServer({
      NODE_ENV: "production",
      LINE_SANDBOX_PORT: String(sandboxPort),
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --import=${pathToFileURL(path.resolve("tests/demo/react-dev-preload.mjs")).href}`,
    });
  }, WEB_SERVER_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await server?.stop();
  });

  it("answers 404 on every demo route, shows no demo at / and starts no LINE sandbox", async () => {
    const accountsBefore = await db.lineAccount.count({ where: { shop: DEMO_SHOP } });
    const paths = demoPaths();
    expect(paths).toEqual(expect.arrayContaining(["/demo/line", "/demo/token", "/demo/app-bridge.js"]));
    for (const path of paths) {
      for (const method of ["GET", "POST"]) {
        const response = await fetch(`${server!.url}${path}`, { method, redirect: "manual", headers: { "user-agent": DESKTOP_USER_AGENT } });
        expect(response.status, `${method} ${path}`).toBe(404);
      }
    }
    const home = await fetch(`${server!.url}/`, { redirect: "manual", headers: { "user-agent": DESKTOP_USER_AGENT } });
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toBe("/auth/login");
    const open = await fetch(`${server!.url}/?index`, {
      method: "POST",
      body: new URLSearchParams({ locale: "ja" }),
      redirect: "manual",
      headers: { "user-agent": DESKTOP_USER_AGENT },
    });
    expect(open.status).toBe(404);
    expect(await db.lineAccount.count({ where: { shop: DEMO_SHOP } })).toBe(accountsBefore);
    await expect(fetch(`http://127.0.0.1:${sandboxPort}/v2/bot/info`)).rejects.toThrow();
  });
});
