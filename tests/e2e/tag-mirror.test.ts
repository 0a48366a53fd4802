// The tags page's "Shopify customer tag" switch in headless Chromium at desktop and phone widths, in Japanese and
// English: ticking it stores the choice. Screenshots go to tests/output/.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { addTagsByName, createTag } from "~/tags/tags.server";
import { adminBrowser, screenshot } from "../support/browser";
import { createFriend } from "../support/factories";
import { connectedAccount } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  const { account } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea" });
  await createTag(TEST_SHOP_DOMAIN, { name: "VIP", color: "success" });
  await createTag(TEST_SHOP_DOMAIN, { name: "リピーター", color: "info" });
  await db.tag.updateMany({ where: { shop: TEST_SHOP_DOMAIN, name: "リピーター" }, data: { mirrorToShopify: true } });
  for (let i = 0; i < 2; i += 1) await addTagsByName(await createFriend(db, account), ["VIP"], "postback");
}

const { open } = adminBrowser({ seed });

describe("mirrored tags on the tags page", () => {
  for (const [locale, label, width] of [
    ["ja", "Shopify顧客タグとして付ける", 1280],
    ["en", "Add as a Shopify customer tag", 390],
  ] as const) {
    it(`ticks VIP in ${locale} at ${width} px and keeps it`, async () => {
      await db.tag.updateMany({ where: { name: "VIP" }, data: { mirrorToShopify: false } });
      const { page, errors } = await open("/app/tags", locale, { viewport: { width, height: 900 } });
      const vipRow = () => page.locator(".Polaris-IndexTable__TableRow", { hasText: "VIP" });
      const box = vipRow().getByRole("checkbox", { name: label });
      await box.waitFor();
      expect(await box.isChecked()).toBe(false);
      // The scripts have loaded and hydrated the page: a click before that would toggle a box nobody listens to.
      await page.waitForLoadState("networkidle");
      await box.click({ force: true });
      await expect.poll(async () => (await db.tag.findFirstOrThrow({ where: { name: "VIP" } })).mirrorToShopify).toBe(true);
      await page.reload();
      await vipRow().getByRole("checkbox", { name: label }).waitFor();
      expect(await vipRow().getByRole("checkbox", { name: label }).isChecked()).toBe(true);
      await screenshot(page, `tags-mirror-${locale}-${width}`);
      expect(errors).toEqual([]);
    });
  }
});
