// The "LINE accounts" page in headless Chromium, in Japanese and English. Screenshots in tests/output/.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { DESKTOP_USER_AGENT, launchBrowser, screenshot, stubShopifyCdn } from "../support/browser";
import { connectedAccount } from "../support/line";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { startWebServer, type WebServer } from "../support/web-server";

let server: WebServer;
let browser: Browser;
let accountId: string;

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
  const { account } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "東京ティー本店" });
  accountId = account.id;
  await db.lineAccount.update({
    where: { id: account.id },
    data: {
      webhookUrl: `https://my-test-app.myshopify.io/webhooks/line/${account.id}`,
      webhookRegisteredAt: new Date(),
      webhookTestOk: true,
      webhookTestDetail: "200",
    },
  });
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(path: string, locale: string) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1000 }, userAgent: DESKTOP_USER_AGENT });
  await stubShopifyCdn(page);
  const admin = await adminRequest(path, { locale });
  const url = new URL(admin.url);
  const response = await page.goto(`${server.url}${url.pathname}${url.search}`);
  return { page, response };
}

describe("LINE accounts page in Chromium", () => {
  it("shows the connected account, its webhook and the checklist in Japanese", async () => {
    const { page, response } = await open("/app/accounts", "ja");
    expect(response?.status()).toBe(200);
    await page.getByText("設定チェックリスト").waitFor();
    await expect(page.getByText("東京ティー本店").count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText("LINE からこのアプリに接続できました（200）。").count()).resolves.toBe(1);
    expect(await page.inputValue(`input[value$="/webhooks/line/${accountId}"]`)).toContain(accountId);
    await screenshot(page, "accounts-ja");
  });

  it("shows the same page in English", async () => {
    const { page } = await open("/app/accounts", "en");
    await page.getByText("Set-up checklist").waitFor();
    await expect(page.getByText("Response mode is “Bot”").count()).resolves.toBe(1);
    await screenshot(page, "accounts-en");
  });

  it("shows the edit form in English without any secret", async () => {
    const { page, response } = await open(`/app/accounts?edit=${accountId}`, "en");
    expect(response?.status()).toBe(200);
    await page.getByText("Messaging API channel secret").waitFor();
    await expect(page.getByText(/Stored \(…[0-9a-f]{4}\)\. Leave blank to keep it\./).count()).resolves.toBe(1);
    const html = await page.content();
    const stored = await db.lineAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect(html).not.toContain(stored.channelSecret);
    await screenshot(page, "accounts-edit-en");
  });
});
