// The embedded home page in headless Chromium, opened the way the Shopify admin opens it (session token
// in the URL), served by the real web process. Screenshots go to tests/output/.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, screenshot } from "../support/browser";
import { createFriend, createLineAccount, enableCartReminders } from "../support/factories";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  const account = await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea" });
  await enableCartReminders(db, account, 600);
  await createFriend(db, account);
}

const admin = adminBrowser({ seed });
const open = (locale: string) => admin.open("/app", locale);

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
