// The embedded home page in headless Chromium, opened the way the Shopify admin opens it (session token
// in the URL), served by the real web process. Screenshots go to tests/output/.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { DESKTOP_USER_AGENT, launchBrowser, screenshot, stubShopifyCdn } from "../support/browser";
import { createFriend, createLineAccount, enableCartReminders } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { startWebServer, type WebServer } from "../support/web-server";

let server: WebServer;
let browser: Browser;

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
  const account = await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea" });
  await enableCartReminders(db, account, 600);
  await createFriend(db, account);
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(locale: string) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, userAgent: DESKTOP_USER_AGENT });
  await stubShopifyCdn(page);
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const admin = await adminRequest("/app", { locale });
  const { search } = new URL(admin.url);
  const response = await page.goto(`${server.url}/app${search}`);
  return { page, response, errors };
}

describe("embedded admin home in Chromium", () => {
  it("renders the Polaris page in Japanese with the shop's real state", async () => {
    const { page, response, errors } = await open("ja");
    expect(response?.status()).toBe(200);
    await page.getByText("初期設定").waitFor();
    expect(await page.locator(".Polaris-Page").count()).toBe(1);
    await expect(page.getByText("1 件連携済み").count()).resolves.toBe(1);
    await expect(page.getByText("オン：チェックアウトの10時間後にリマインドを送信します").count()).resolves.toBe(1);
    await screenshot(page, "admin-home-ja");
    expect(errors).toEqual([]);
  });

  it("renders in English for an English-speaking staff member", async () => {
    const { page, response } = await open("en-US");
    expect(response?.status()).toBe(200);
    await page.getByText("Set-up").waitFor();
    await expect(page.getByText("1 connected").count()).resolves.toBe(1);
    await screenshot(page, "admin-home-en");
  });
});
