// The "LINE accounts" page in headless Chromium, in Japanese and English at 1280×800 and 390×844: a badge per state
// (connected only when LINE's webhook test passed and the mode is Bot), the first-run drawing and channel guide, and
// after connecting a Chat-mode channel a warning that says what to fix instead of a green "connected".
// Screenshots in tests/output/accounts-….png.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, screenshot } from "../support/browser";
import { channelId as newChannelId, channelSecret as newChannelSecret, createLineAccount, createShop } from "../support/factories";
import { DESKTOP, expectFits, expectNoEnglish, PHONE } from "../support/layout";
import { connectedAccount, lineFake } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const FIRST_RUN = "first-run-accounts.myshopify.com";
let accountId: string;

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await sessionStorage.storeSession(offlineSession(FIRST_RUN));
  await createShop(db, { shop: FIRST_RUN });
  const { account } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "東京ティー本店" });
  accountId = account.id;
  await db.lineAccount.update({
    where: { id: account.id },
    data: { webhookUrl: `https://my-test-app.myshopify.io/webhooks/line/${account.id}`, webhookRegisteredAt: new Date(), webhookTestOk: true, webhookTestDetail: "200" },
  });
  const chat = await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "大阪ティー" });
  await db.lineAccount.update({ where: { id: chat.id }, data: { chatMode: "chat", webhookTestOk: false, webhookTestDetail: "404", webhookRegisteredAt: new Date() } });
}

const { open } = adminBrowser({ seed, page: { viewport: DESKTOP } });

const cases = [
  { locale: "ja", viewport: DESKTOP, connected: "連携中", attention: "要対応：Webhook テストが未成功 / 応答モードがチャット", checklist: "設定チェックリスト" },
  { locale: "ja", viewport: PHONE, connected: "連携中", attention: "要対応：Webhook テストが未成功 / 応答モードがチャット", checklist: "設定チェックリスト" },
  { locale: "en", viewport: DESKTOP, connected: "Connected", attention: "Needs attention: Webhook test not passed / Response mode is Chat", checklist: "Set-up checklist" },
  { locale: "en", viewport: PHONE, connected: "Connected", attention: "Needs attention: Webhook test not passed / Response mode is Chat", checklist: "Set-up checklist" },
] as const;

describe("LINE accounts page in Chromium", () => {
  for (const { locale, viewport, connected, attention, checklist } of cases) {
    it(`shows a badge per state in ${locale} at ${viewport.width} px`, async () => {
      const { page, response, errors } = await open("/app/accounts", locale, { viewport });
      expect(response?.status()).toBe(200);
      await page.getByText(checklist).first().waitFor();
      await expect(page.getByText("東京ティー本店").count()).resolves.toBeGreaterThan(0);
      // Polaris adds the tone's name for screen readers inside the badge: match the visible text exactly.
      expect(await page.locator(".Polaris-Badge").filter({ has: page.getByText(connected, { exact: true }) }).count()).toBe(1);
      expect(await page.locator(".Polaris-Badge").filter({ has: page.getByText(attention, { exact: true }) }).count()).toBe(1);
      expect(await page.inputValue(`input[value$="/webhooks/line/${accountId}"]`)).toContain(accountId);
      await expectFits(page);
      if (locale === "ja") await expectNoEnglish(page, ["Not", "Found"]);
      await screenshot(page, `accounts-${locale}-${viewport.width}`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it("shows the edit form in English without any secret", async () => {
    const { page, response } = await open(`/app/accounts?edit=${accountId}`, "en");
    expect(response?.status()).toBe(200);
    await page.getByText("Messaging API channel secret").waitFor();
    await expect(page.getByText(/Stored \(…[0-9a-f]{4}\)\. Leave blank to keep it\./).count()).resolves.toBe(1);
    const html = await page.content();
    const stored = await db.lineAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect(html).not.toContain(stored.channelSecret);
    await screenshot(page, "accounts-edit-en");
    await page.close();
  });

  for (const [locale, viewport] of [["ja", DESKTOP], ["ja", PHONE], ["en", DESKTOP], ["en", PHONE]] as const) {
    it(`draws the first run and both channels in ${locale} at ${viewport.width} px`, async () => {
      const { page, errors } = await open("/app/accounts", locale, { viewport, shop: FIRST_RUN });
      const drawings = page.locator('svg[role="img"]');
      await drawings.first().waitFor();
      expect(await drawings.count()).toBe(3);
      for (const drawing of await drawings.all()) expect((await drawing.boundingBox())?.height).toBeGreaterThan(100);
      await expectFits(page);
      // The form's help shows the formats of a friend-add URL and a LIFF ID, the same in every language.
      if (locale === "ja") await expectNoEnglish(page, ["https", "lin", "ee", "AbCdEfGh"]);
      await screenshot(page, `accounts-first-run-${locale}-${viewport.width}`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it("after connecting a Chat-mode channel whose webhook test fails, says what to fix instead of “connected”", async () => {
    const channelId = newChannelId();
    const channelSecret = newChannelSecret();
    lineFake().addChannel({ channelId, channelSecret, bot: { userId: `U${"c".repeat(32)}`, basicId: "@osaka", displayName: "Osaka", chatMode: "chat" } });
    lineFake().setWebhookTestResult(channelId, { success: false, statusCode: 404, reason: "Not Found", detail: "404" });
    const { page } = await open("/app/accounts", "ja", { viewport: PHONE, shop: FIRST_RUN });
    await page.locator('input[name="displayName"]').fill("新宿ティー");
    await page.locator('input[name="channelId"]').fill(channelId);
    await page.locator('input[name="channelSecret"]').fill(channelSecret);
    await page.locator('button[type="submit"]').click();
    await page.getByText("新宿ティー を保存しましたが、まだ LINE からこのアプリに届きません").waitFor();
    expect(await page.getByText("新宿ティー を連携しました。").count()).toBe(0);
    // The banner that says so is a warning (Polaris marks its icon with the warning tone), not a success.
    const notReady = page.locator(".Polaris-Banner", { hasText: "まだ LINE からこのアプリに届きません" });
    expect(await notReady.locator(".Polaris-Banner--textWarningOnBgFill").count()).toBeGreaterThan(0);
    expect(await notReady.locator(".Polaris-Banner--textSuccessOnBgFill").count()).toBe(0);
    await expect(page.getByText("「応答設定」で応答モードを「Bot」にし", { exact: false }).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText("「Webhookの利用」をオンにし", { exact: false }).count()).resolves.toBeGreaterThan(0);
    await expectFits(page);
    await screenshot(page, "accounts-connected-needs-attention-ja-390");
    await page.close();
  });
});
