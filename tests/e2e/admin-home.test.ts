// The embedded home page in headless Chromium, served by the real web process: alerts with their fixes, the
// guided set-up, the period's numbers and charts, in Japanese and English at 1280×800 and 390×844. Screenshots go to
// tests/output/admin-home-<locale>-<width>.png.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, screenshot } from "../support/browser";
import { createFriend, createLineAccount, createShop, enableCartReminders, lineUserId } from "../support/factories";
import { DESKTOP, expectFits, expectNoEnglish, PHONE } from "../support/layout";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const DAY = 86_400_000;
let accountId = "";

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: TEST_SHOP_DOMAIN, timeZone: "Asia/Tokyo" });
  const account = await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "東京ティー" });
  accountId = account.id;
  // What the merchant must fix: LINE's webhook test failed, the mode is Chat, the LIFF app lacks the openid scope.
  await db.lineAccount.update({
    where: { id: account.id },
    data: { webhookTestOk: false, webhookTestDetail: "404 Not Found", webhookRegisteredAt: new Date(), chatMode: "chat", liffProblem: "openid-scope", liffProblemAt: new Date() },
  });
  await enableCartReminders(db, account, 600);
  const now = Date.now();
  for (let index = 0; index < 12; index += 1) {
    const friend = await createFriend(db, account, { displayName: `友だち${index}` });
    await db.friend.update({ where: { id: friend.id }, data: { followedAt: new Date(now - (index % 9) * DAY - 3_600_000) } });
  }
  for (let index = 0; index < 8; index += 1) {
    const sentAt = new Date(now - (index % 6) * DAY - 7_200_000);
    await db.delivery.create({
      data: {
        shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, kind: ["cart-reminder", "broadcast", "chat", "auto-reply"][index % 4], channel: "push", sourceId: `s${index}`,
        recipients: [lineUserId()], messages: [{ type: "text", text: "hi" }], dueAt: sentAt, sentAt, status: "sent",
      },
    });
  }
}

const admin = adminBrowser({ seed });
const open = (locale: string, viewport: { width: number; height: number }, path = "/app") => admin.open(path, locale, { viewport });

const cases = [
  { locale: "ja", viewport: DESKTOP, heading: "初期設定", alert: "東京ティー の応答モードがチャットになっています", retest: "再確認" },
  { locale: "ja", viewport: PHONE, heading: "初期設定", alert: "東京ティー の応答モードがチャットになっています", retest: "再確認" },
  { locale: "en", viewport: DESKTOP, heading: "Set-up", alert: "東京ティー answers in Chat mode", retest: "Check again" },
  { locale: "en", viewport: PHONE, heading: "Set-up", alert: "東京ティー answers in Chat mode", retest: "Check again" },
] as const;

describe("embedded admin home in Chromium", () => {
  for (const { locale, viewport, heading, alert, retest } of cases) {
    it(`shows alerts, set-up and numbers in ${locale} at ${viewport.width} px`, async () => {
      const { page, response, errors } = await open(locale, viewport);
      expect(response?.status()).toBe(200);
      await page.getByText(heading, { exact: true }).waitFor();
      expect(await page.locator(".Polaris-Page").count()).toBe(1);
      // The truth: the account is not "connected" while LINE's test fails and the mode is Chat.
      for (const kind of ["webhook-test-failed", "chat-mode", "liff-problem"]) {
        expect(await page.locator(`[data-alert="${kind}"]`).count(), kind).toBe(1);
      }
      await expect(page.getByText(alert).count()).resolves.toBe(1);
      expect(await page.locator('[data-alert="webhook-test-failed"] button', { hasText: retest }).count()).toBe(1);
      expect(await page.locator('[data-step="connect"]').getAttribute("data-done")).toBe("false");
      expect(await page.locator('[data-step="cart"]').getAttribute("data-done")).toBe("true");
      expect(await page.locator('[data-step="test"]').getAttribute("data-done")).toBe("false");
      // The connect step is open (the next one to do) with both channels drawn.
      expect(await page.locator('[data-step="connect"] svg[role="img"]').count()).toBe(0); // an account exists: no guide
      // Two daily charts of the 30 days, with the days that had follows drawn.
      expect(await page.locator('[data-chart="friends"] rect[data-day]').count()).toBe(30);
      expect(await page.locator('[data-chart="messages"] rect[data-day]').count()).toBe(30);
      expect((await page.locator('[data-chart="friends"]').boundingBox())?.height).toBeGreaterThan(60);
      await expectFits(page);
      if (locale === "ja") await expectNoEnglish(page, ["CRM", "Not", "Found", "openid", "Scopes"]);
      await screenshot(page, `admin-home-${locale}-${viewport.width}`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it("changes the period through the URL and redraws the charts per day", async () => {
    const { page } = await open("ja", DESKTOP);
    await page.getByText("初期設定", { exact: true }).waitFor();
    await page.locator("select").first().selectOption("7");
    await page.waitForURL(/period=7/);
    await expect.poll(() => page.locator('[data-chart="friends"] rect[data-day]').count()).toBe(7);
    expect(await page.locator("select").first().inputValue()).toBe("7");
    await page.close();
  });

  it("shows the connect guide with both channels drawn on a fresh shop", async () => {
    await sessionStorage.storeSession(offlineSession("first-run-home.myshopify.com"));
    for (const [locale, viewport] of [["ja", PHONE], ["en", DESKTOP]] as const) {
      const { page, errors } = await admin.open("/app", locale, { viewport, shop: "first-run-home.myshopify.com" });
      const drawings = page.locator('[data-step="connect"] svg[role="img"]');
      await drawings.first().waitFor();
      expect(await drawings.count()).toBe(2);
      expect((await drawings.first().boundingBox())?.height).toBeGreaterThan(100);
      await expectFits(page);
      if (locale === "ja") await expectNoEnglish(page, ["CRM"]);
      await screenshot(page, `admin-home-first-run-${locale}-${viewport.width}`);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("drops each alert once its cause is fixed", async () => {
    await db.lineAccount.update({ where: { id: accountId }, data: { webhookTestOk: true, chatMode: "bot", liffProblem: null, liffProblemAt: null } });
    const { page } = await open("en", DESKTOP);
    await page.getByText("All is well", { exact: false }).waitFor();
    expect(await page.locator("[data-alert]").count()).toBe(0);
    expect(await page.locator('[data-step="connect"]').getAttribute("data-done")).toBe("true");
    await screenshot(page, "admin-home-fixed-en-1280");
    await page.close();
  });
});
