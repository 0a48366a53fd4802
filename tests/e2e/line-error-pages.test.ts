// LINE's stored refusals on an admin page, in Chromium: a finished broadcast whose batches LINE refused ("400 The
// property, 'to', …", "500 Internal server error", an answer we do not know) shows each in the merchant's language
// with what to do, LINE's own words only in small print marked translate="no", in ja and en at 1280 and 390 px.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { translate } from "~/i18n/messages";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, screenshot } from "../support/browser";
import { createShop, lineUserId } from "../support/factories";
import { DESKTOP, expectFits, PHONE, SAME_IN_JAPANESE } from "../support/layout";
import { connectedAccount } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

let broadcastId = "";

const REFUSALS = [
  { status: 400, reason: "400 The property, 'to', in the request body is invalid (line: -, column: -)", key: "line.error.invalidRecipient" },
  { status: 500, reason: "500 Internal server error", key: "line.error.unavailable" },
  { status: 418, reason: "418 I'm a teapot", key: "line.error.unknown" },
] as const;

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: TEST_SHOP_DOMAIN });
  const { account } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea", accessToken: true });
  const now = new Date();
  const broadcast = await db.broadcast.create({
    data: {
      shop: TEST_SHOP_DOMAIN,
      lineAccountId: account.id,
      name: "冬のセール",
      messages: [{ type: "text", text: "冬のセールのお知らせ" }],
      audience: { type: "all" },
      utmParams: "",
      status: "failed",
      recipients: 3,
      batches: 3,
      startedAt: now,
      finishedAt: now,
      customAggregationUnit: `errors${Date.now()}`,
    },
  });
  broadcastId = broadcast.id;
  for (const refusal of REFUSALS) {
    await db.delivery.create({
      data: {
        shop: TEST_SHOP_DOMAIN,
        lineAccountId: account.id,
        kind: "broadcast",
        channel: "multicast",
        sourceId: broadcast.id,
        recipients: [lineUserId()],
        messages: [{ type: "text", text: "冬のセールのお知らせ" }],
        status: "failed",
        reason: refusal.reason,
        errorStatus: refusal.status,
        dueAt: now,
      },
    });
  }
}

const { open } = adminBrowser({ seed });

/** Latin words in the failures banner outside LINE's own words (translate="no"). */
async function englishOutsideOriginals(page: Page): Promise<string[]> {
  const words = await page.evaluate(() => {
    const banner = document.querySelector('[role="alert"]');
    if (!banner) return ["(no critical banner)"];
    const walker = document.createTreeWalker(banner, NodeFilter.SHOW_TEXT);
    const words: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement?.closest('[translate="no"]')) continue;
      words.push(...((node.textContent ?? "").match(/[A-Za-z][A-Za-z']+/g) ?? []));
    }
    return words;
  });
  return words.filter((word) => ![...SAME_IN_JAPANESE, "HTTP"].includes(word));
}

describe("LINE's refusals on the broadcast results page", () => {
  for (const locale of ["ja", "en"] as const) {
    for (const viewport of [DESKTOP, PHONE]) {
      it(`${locale} at ${viewport.width} px`, async () => {
        const { page } = await open(`/app/broadcasts/${broadcastId}/results`, locale, { viewport });
        const first = translate(locale, REFUSALS[0].key);
        await page.getByText(first.slice(0, 20), { exact: false }).first().waitFor();
        for (const refusal of REFUSALS) {
          const explanation = translate(locale, refusal.key, { status: String(refusal.status) });
          await expect(page.getByText(explanation.slice(0, 30), { exact: false }).count()).resolves.toBeGreaterThan(0);
          await expect(page.locator('[translate="no"]', { hasText: refusal.reason }).count()).resolves.toBe(1);
        }
        if (locale === "ja") {
          await expect(page.getByText("LINEが受け付けませんでした：", { exact: false }).count()).resolves.toBe(1);
          expect(await englishOutsideOriginals(page)).toEqual([]);
        } else {
          await expect(page.getByText("LINE refused: ", { exact: false }).count()).resolves.toBe(1);
        }
        await expectFits(page);
        await screenshot(page, `line-errors-broadcast-${locale}-${viewport.width}`);
      });
    }
  }
});
