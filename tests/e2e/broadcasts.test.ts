// The broadcasts pages in headless Chromium, served by the real web process: the list and the composer in
// Japanese and English at 1280 and 390 pixels, and the results page whose progress bar moves while the real
// worker sends the broadcast to the LINE fake. Screenshots go to tests/output/.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveBroadcast, scheduleBroadcast } from "~/broadcasts/broadcasts.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, emptyStateIllustrationShown, screenshot, waitForToast } from "../support/browser";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";

const EMPTY_SHOP = "broadcasts-empty.myshopify.com";
const WIDTHS = [1280, 390] as const;
let accountId = "";
let draftId = "";
let channelId = "";

async function seed() {
  await createShop(db, { shop: TEST_SHOP_DOMAIN, timeZone: "Asia/Tokyo" });
  await sessionStorage.storeSession(offlineSession());
  await sessionStorage.storeSession(offlineSession(EMPTY_SHOP));
  const { account, channel } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea", accessToken: true });
  await connectedAccount(db, EMPTY_SHOP, { displayName: "Empty" });
  accountId = account.id;
  channelId = channel.channelId;
  await db.friend.createMany({
    data: Array.from({ length: 2_600 }, (_, i) => ({
      shop: TEST_SHOP_DOMAIN,
      lineAccountId: account.id,
      lineUserId: lineUserId(),
      displayName: `友だち ${i}`,
      followStatus: "following",
      createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
    })),
  });
  const tester = await db.friend.findFirstOrThrow({ where: { lineAccountId: account.id } });
  await db.friend.update({ where: { id: tester.id }, data: { testerAt: new Date(), displayName: "テスター 花子" } });
  await db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name: "VIP" } });
  const draft = await saveBroadcast(
    TEST_SHOP_DOMAIN,
    null,
    { name: "冬のセール", lineAccountId: account.id, audience: { type: "all" }, quietHours: false },
    [{ type: "text", text: "冬のセールが始まりました！ https://example.com/sale" }],
  );
  if (!draft.ok) throw new Error(JSON.stringify(draft.errors));
  draftId = draft.broadcast.id;
}

const admin = adminBrowser({ seed });

async function atWidth(page: Page, width: number) {
  await page.setViewportSize({ width, height: 900 });
  await page.waitForTimeout(100);
}

describe("broadcasts pages in Chromium", () => {
  it("lists broadcasts, and explains them on an empty shop", async () => {
    for (const locale of ["ja", "en"]) {
      const { page, errors } = await admin.open("/app/broadcasts", locale);
      await page.getByText("冬のセール").waitFor();
      await page.getByText(locale === "ja" ? "下書き" : "Draft", { exact: true }).waitFor();
      for (const width of WIDTHS) {
        await atWidth(page, width);
        await screenshot(page, `broadcasts-list-${locale}-${width}`);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
    const empty = await admin.open("/app/broadcasts", "ja", { shop: EMPTY_SHOP });
    await empty.page.getByText("最初の配信を作成しましょう").waitFor();
    await emptyStateIllustrationShown(empty.page);
    await screenshot(empty.page, "broadcasts-empty-ja-1280");
  });

  it("shows the composer with the quota summary, and sends a test to the testers only", async () => {
    for (const locale of ["ja", "en"]) {
      const { page, errors } = await admin.open(`/app/broadcasts/${draftId}`, locale);
      await page.getByText(locale === "ja" ? "配信前の確認" : "Before sending").waitFor();
      await page.getByText("2,600", { exact: true }).first().waitFor();
      for (const width of WIDTHS) {
        await atWidth(page, width);
        await screenshot(page, `broadcasts-composer-${locale}-${width}`);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
    const { page } = await admin.open(`/app/broadcasts/${draftId}`, "en");
    await page.getByRole("button", { name: "Send test" }).click();
    await waitForToast(page, "Test sent to 1 testers");
    const tests = await db.delivery.findMany({ where: { kind: "broadcast-test", sourceId: draftId } });
    const tester = await db.friend.findFirstOrThrow({ where: { lineAccountId: accountId, testerAt: { not: null } } });
    expect(tests.map((d) => d.recipients)).toEqual([[tester.lineUserId]]);
  });

  it("moves the progress bar while the worker sends, in both languages", async () => {
    await withWorkers(async () => {
      // LINE takes one multicast a second from this channel, so the page sees the six batches go one by one.
      lineFake().setRateLimits({ multicast: 1 });
      const scheduled = await scheduleBroadcast(TEST_SHOP_DOMAIN, draftId, { mode: "now" });
      expect(scheduled.ok).toBe(true);
      const pages = await Promise.all(["ja", "en"].map((locale) => admin.open(`/app/broadcasts/${draftId}/results`, locale)));
      const seen = new Set<number>();
      await waitUntil(async () => {
        for (const { page } of pages) {
          const value = Number(await page.locator("[data-progress]").getAttribute("data-progress"));
          if (value > 0 && value < 100 && ![...seen].some((v) => v > 0 && v < 100)) await screenshot(page, "broadcasts-results-sending-1280");
          seen.add(value);
        }
        return seen.has(100) && (await db.broadcast.findUniqueOrThrow({ where: { id: draftId } })).status === "sent";
      }, 60_000, 100);
      expect([...seen].some((value) => value > 0 && value < 100)).toBe(true);
      await screenshot(pages[0].page, "broadcasts-results-ja-1280");
      for (const [index, { page, errors }] of pages.entries()) {
        const locale = index === 0 ? "ja" : "en";
        await page.getByText(locale === "ja" ? "配信済み" : "Sent", { exact: true }).first().waitFor();
        for (const width of WIDTHS) {
          await atWidth(page, width);
          await screenshot(page, `broadcasts-results-${locale}-${width}`);
        }
        expect(errors).toEqual([]);
      }
      const multicasts = lineFake().sent(channelId).filter((d) => d.kind === "multicast");
      expect(multicasts.flatMap((d) => d.to)).toHaveLength(2_600);
    });
  }, 120_000);
});
