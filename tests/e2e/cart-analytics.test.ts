// The cart analytics page in headless Chromium over 90 days of reminders (some recovered days after their send):
// in Japanese and English at 1280×800 and 390×844 nothing leaves its card, no day's rate passes 100 %, the figures
// carry the previous period beside them, and the period picker drives the URL.
import { describe, expect, it } from "vitest";
import { addDays, localDay } from "~/components/date-range";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, screenshot } from "../support/browser";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { DESKTOP, expectFits, expectNoEnglish, PHONE } from "../support/layout";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const DAY = 86_400_000;

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  await db.shop.update({ where: { shop: SHOP }, data: { currency: "JPY" } });
  const account = await createLineAccount(db, SHOP, { displayName: "Tokyo Tea" });
  const friends = await Promise.all(["山田 花子", "佐藤 健", "鈴木 一郎"].map((displayName) => createFriend(db, account, { displayName })));
  const now = Date.now();
  let n = 0;
  // 180 days (the last 90 and the 90 before, for the comparison): 1–5 reminders a day; every third recovered two
  // days after its send, every second clicked the day after.
  for (let day = 179; day >= 0; day -= 1) {
    const count = 1 + ((day * 7) % 5);
    for (let i = 0; i < count; i += 1) {
      n += 1;
      const sentAt = new Date(now - day * DAY - (i + 1) * 3_600_000);
      const checkout = await db.checkout.create({
        data: { shop: SHOP, token: `an-${n}`, currency: "JPY", totalPrice: String(2000 + (n % 7) * 1500), lineItems: [], startedAt: sentAt, shopifyUpdatedAt: sentAt },
      });
      const recovered = n % 3 === 0 && day >= 2;
      const reminder = await db.cartReminder.create({
        data: {
          shop: SHOP, lineAccountId: account.id, checkoutId: checkout.id, friendId: friends[n % 3].id, matchedBy: "cart", status: "sent", retryKey: `an-${n}`,
          dueAt: sentAt, createdAt: new Date(sentAt.getTime() - 3_600_000), updatedAt: sentAt, sentAt,
          clickedAt: n % 2 === 0 && day >= 1 ? new Date(sentAt.getTime() + DAY) : null, clicks: n % 2 === 0 ? 1 : 0,
          recoveredAt: recovered ? new Date(sentAt.getTime() + 2 * DAY) : null,
        },
      });
      if (recovered) {
        const order = await db.order.create({ data: { shop: SHOP, orderId: `an-${n}`, currency: "JPY", totalPrice: "12800", processedAt: new Date(sentAt.getTime() + 2 * DAY) } });
        await db.orderAttribution.create({
          data: { shop: SHOP, orderRef: order.id, kind: "cart-reminder", sourceId: reminder.id, rule: "send", touchedAt: sentAt, currency: "JPY", revenue: "12800" },
        });
      }
    }
  }
}

const admin = adminBrowser({ seed, timeout: 300_000 });
const PATH = "/app/abandoned-cart/analytics";

describe("cart analytics page in Chromium", () => {
  for (const locale of ["ja", "en"] as const) {
    for (const viewport of [DESKTOP, PHONE]) {
      it(`fits at ${viewport.width} px in ${locale} over 90 days compared with the 90 before`, async () => {
        // The last 90 days (Tokyo) from the URL; the comparison switched on in the page.
        const today = localDay(new Date(), "Asia/Tokyo");
        const { page, errors } = await admin.open(`${PATH}?from=${addDays(today, -89)}&to=${today}`, locale, { viewport });
        await page.getByTestId("date-range").getByText(locale === "ja" ? "過去90日間" : "Last 90 days").waitFor();
        await page.getByLabel(locale === "ja" ? "前の期間と比較" : "Compare with the previous period").click();
        await page.waitForURL(/compare=1/);
        await page.getByTestId("metric-previous").first().waitFor();
        await page.getByTestId("revenue-chart").waitFor();
        // Ticks on the money axis are in yen.
        expect(await page.getByTestId("revenue-chart").locator("text").allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^[￥¥]/)]));
        // No day's rate passes 100 %.
        const rates = await page.locator(".Polaris-DataTable__Table tbody tr td:nth-child(10), .Polaris-DataTable__Table tbody tr td:nth-child(8)").allInnerTexts();
        expect(rates.length).toBeGreaterThan(150);
        for (const rate of rates) if (rate.trim() !== "—") expect(Number.parseFloat(rate.replace(/[^\d.]/g, "")), rate).toBeLessThanOrEqual(100);
        await expectFits(page);
        // Friend names and LINE's own words in the latest reminders are the shopper's / LINE's.
        if (locale === "ja") await expectNoEnglish(page, ["pt"]);
        await screenshot(page, `cart-analytics-${locale}-${viewport.width}`);
        expect(errors).toEqual([]);
      });
    }
  }
});
