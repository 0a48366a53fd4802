// The notification settings page in Chromium, in Japanese and English, at 1280 and 390 pixels.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveStaff } from "~/notifications/staff.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, screenshot } from "../support/browser";
import { createLineAccount } from "../support/factories";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "東京ティー" });
  const saved = await saveStaff(TEST_SHOP_DOMAIN, null, {
    name: "佐藤 花子",
    email: "sato@tokyo-tea.example",
    language: "ja",
    digestMinutes: 15,
    quotaThreshold: 1000,
    channels: {
      email: { enabled: true, events: ["newMessage", "formAnswered", "quotaLow"] },
      chatwork: { enabled: true, events: ["broadcastFinished"], room: "123456", token: "cw-token-abcd" },
      slack: { enabled: false, events: [] },
      line: { enabled: false, events: [] },
    },
  });
  if (!saved.ok) throw new Error("seed");
  const channel = await db.staffChannel.findFirstOrThrow({ where: { staffMemberId: saved.id, type: "chatwork" } });
  await db.notification.createMany({
    data: [
      { shop: TEST_SHOP_DOMAIN, channelId: channel.id, event: "broadcastFinished", payload: {}, status: "sent", sentAt: new Date() },
      { shop: TEST_SHOP_DOMAIN, channelId: channel.id, event: "quotaLow", payload: {}, status: "failed", error: "HTTP 401: Invalid API token" },
    ],
  });
}

const admin = adminBrowser({ seed });

describe("notification settings in Chromium", () => {
  for (const [locale, lang] of [["ja", "ja"], ["en-US", "en"]] as const) {
    for (const width of [1280, 390]) {
      it(`renders in ${lang} at ${width} px`, async () => {
        const { page, errors } = await admin.open("/app/notifications", locale, { viewport: { width, height: 900 } });
        await page.getByText(lang === "ja" ? "最近の通知" : "Recent notifications").waitFor();
        expect(await page.getByLabel(lang === "ja" ? "名前" : "Name").inputValue()).toBe("佐藤 花子");
        await expect(page.getByText(lang === "ja" ? "保存済み（…abcd）。変更しない場合は空欄のまま。" : "Saved (…abcd). Leave empty to keep it.").count()).resolves.toBe(1);
        if (width === 1280) {
          await page.getByRole("button", { name: lang === "ja" ? "LINE連携コードを表示" : "Show a LINE link code" }).click();
          await page.getByText(lang === "ja" ? /このコードを送信してください：\d{6}/ : /within 15 minutes: \d{6}/).waitFor();
        }
        await screenshot(page, `notifications-${lang}-${width}`);
        expect(errors).toEqual([]);
      });
    }
  }

  it("shows a field error in the merchant's language and keeps the page", async () => {
    const { page } = await admin.open("/app/notifications", "ja", { viewport: { width: 1280, height: 900 } });
    await page.getByLabel("名前").fill("");
    await page.locator("ui-save-bar button", { hasText: /^保存$/ }).click();
    await page.getByText("名前を入力してください（100文字以内）。").waitFor();
  });
});
