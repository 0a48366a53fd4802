// LINE's refusal on the "LINE accounts" page, in Chromium: the merchant reads the reason in their language and
// LINE's own words under it
// (small print, translate="no"). Screenshots in tests/output/ at 1280 px and 390 px.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, screenshot } from "../support/browser";
import { channelId as newChannelId, channelSecret as newChannelSecret, createShop } from "../support/factories";
import { lineFake } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: TEST_SHOP_DOMAIN });
}

const { open } = adminBrowser({ seed });

const cases = [
  { locale: "ja", width: 1280, reason: "このチャネルからのリクエストが LINE の毎秒の上限を超えました", said: "429 The API rate limit has been exceeded." },
  { locale: "en", width: 390, reason: "This channel made more requests than LINE allows per second.", said: "429 The API rate limit has been exceeded." },
] as const;

describe("LINE's refusal on the accounts page", () => {
  for (const { locale, width, reason, said } of cases) {
    it(`shows it in ${locale} at ${width} px`, async () => {
      const channelId = newChannelId();
      const channelSecret = newChannelSecret();
      lineFake().addChannel({ channelId, channelSecret });
      lineFake().failNext(1, { status: 429, path: "/v2/bot/info" });
      const { page } = await open("/app/accounts", locale, { viewport: { width, height: 900 } });
      await page.locator('input[name="displayName"]').fill("東京ティー");
      await page.locator('input[name="channelId"]').fill(channelId);
      await page.locator('input[name="channelSecret"]').fill(channelSecret);
      await page.locator('button[type="submit"]').click();
      // LINE's own words in small print, marked as not ours to translate.
      await page.locator('[translate="no"]', { hasText: said }).waitFor();
      await expect(page.getByText(reason, { exact: false }).count()).resolves.toBe(1);
      await screenshot(page, `accounts-line-error-${locale}-${width}`);
      expect(await db.lineAccount.count()).toBe(0);
    });
  }
});
