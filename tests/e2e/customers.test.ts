// Shopify customer data and revenue per message in Chromium, served by the real web process: the friend page's
// customer card, the friends list with customer names sorted by total spent, a segment on purchases picked with
// the (stubbed) App Bridge resource picker, a broadcast's revenue, the LINE revenue page and the home card — in
// Japanese and English at 1280 and 390 pixels. Screenshots go to tests/output/.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, screenshot, waitForToast } from "../support/browser";
import { createFriend } from "../support/factories";
import { connectedAccount } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const WIDTHS = [1280, 390] as const;
const DAY = 86_400_000;
const now = Date.now();
let hanakoId = "";
let broadcastId = "";

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await db.shop.create({ data: { shop: SHOP, timeZone: "Asia/Tokyo", currency: "JPY" } });
  const { account } = await connectedAccount(db, SHOP, { displayName: "Tokyo Tea", accessToken: true });
  const people = [
    { friend: "はなこ", customer: "7100000001", name: "山田 花子", spent: "48200", orders: 3, last: 2, tags: ["VIP", "常連"] },
    { friend: "けん", customer: "7100000002", name: "佐藤 健", spent: "12800", orders: 1, last: 20, tags: [] },
    { friend: "みさき", customer: "7100000003", name: "鈴木 美咲", spent: "96500", orders: 6, last: 40, tags: ["VIP"] },
    { friend: "Emily", customer: null, name: null, spent: null, orders: 0, last: null, tags: [] },
    { friend: "だいすけ", customer: "7100000005", name: "高橋 大輔", spent: null, orders: 0, last: null, tags: [] },
  ];
  for (const [i, p] of people.entries()) {
    const friend = await createFriend(db, account, { displayName: p.friend, shopifyCustomerId: p.customer, followStatus: "following", createdAt: new Date(now - (10 - i) * DAY) });
    if (p.friend === "はなこ") hanakoId = friend.id;
    if (!p.customer) continue;
    const customer = await db.customer.create({
      data: {
        shop: SHOP, customerId: p.customer, displayName: p.name, tags: p.tags, ordersCount: p.orders, emailMarketing: i === 0 ? "SUBSCRIBED" : "NOT_SUBSCRIBED",
        countryCode: "JP", provinceCode: "JP-13", firstOrderAt: p.last === null ? null : new Date(now - (p.last + 100) * DAY), lastOrderAt: p.last === null ? null : new Date(now - p.last * DAY),
        importStatus: p.friend === "だいすけ" ? "importing" : "done",
      },
    });
    if (p.spent) await db.customerSpend.create({ data: { shop: SHOP, customerRef: customer.id, currency: "JPY", totalSpent: p.spent, orders: p.orders } });
  }
  await db.customerSpend.create({ data: { shop: SHOP, customerRef: (await db.customer.findFirstOrThrow({ where: { customerId: "7100000001" } })).id, currency: "USD", totalSpent: "42.50", orders: 1 } });

  const broadcast = await db.broadcast.create({
    data: {
      shop: SHOP, lineAccountId: account.id, name: "冬のセール", messages: [{ type: "text", text: "冬のセール https://example.com/sale" }], audience: { type: "all" },
      utmParams: "utm_source=line&utm_medium=broadcast&utm_campaign=winter", status: "sent", recipients: 5, batches: 1,
      startedAt: new Date(now - 3 * DAY), finishedAt: new Date(now - 3 * DAY + 60_000), customAggregationUnit: "unitcustomerse2e",
    },
  });
  broadcastId = broadcast.id;
  const orders = [
    { customer: "7100000001", name: "#1001", total: "16800", refunded: "0", financial: "paid", fulfillment: "fulfilled", daysAgo: 2, product: "5001", title: "煎茶 100g", rule: "click" },
    { customer: "7100000001", name: "#1002", total: "9600", refunded: "1600", financial: "partially_refunded", fulfillment: null, daysAgo: 2.5, product: "5002", title: "玉露 50g", rule: "send" },
    { customer: "7100000003", name: "#1003", total: "21800", refunded: "0", financial: "paid", fulfillment: "fulfilled", daysAgo: 40, product: "5002", title: "玉露 50g", rule: null },
    { customer: null, name: "#1004", total: "5400", refunded: "0", financial: "pending", fulfillment: null, daysAgo: 1, product: "5001", title: "煎茶 100g", rule: "utm" },
  ];
  for (const [i, o] of orders.entries()) {
    const order = await db.order.create({
      data: { shop: SHOP, orderId: String(5_500_000_000 + i), name: o.name, customerId: o.customer, currency: "JPY", totalPrice: o.total, refunded: o.refunded, financialStatus: o.financial, fulfillmentStatus: o.fulfillment, processedAt: new Date(now - o.daysAgo * DAY) },
    });
    await db.orderLine.create({ data: { shop: SHOP, orderRef: order.id, productId: o.product, variantId: `6${o.product}`, title: o.title, quantity: 1 } });
    if (o.rule) {
      await db.orderAttribution.create({
        data: {
          shop: SHOP, orderRef: order.id, kind: "broadcast", sourceId: broadcast.id, rule: o.rule, friendId: o.customer ? hanakoId : null, touchedAt: new Date(now - 3 * DAY),
          currency: "JPY", revenue: String(Number(o.total) - Number(o.refunded)),
        },
      });
    }
  }
}

const { open } = adminBrowser({ seed, timeout: 120_000 });

async function atWidth(page: Page, width: number) {
  await page.setViewportSize({ width, height: 900 });
  await page.waitForTimeout(100);
}

/** App Bridge's resource picker, stubbed: answers the products the merchant would pick. */
const withPicker = async (page: Page) => {
  // The picker joins whatever App Bridge (here its stand-in, with the save bar and toasts) puts on window.shopify.
  await page.addInitScript(() => {
    const picked = [{ id: "gid://shopify/Product/5001", title: "煎茶 100g" }];
    let current: object = {};
    Object.defineProperty(window, "shopify", {
      configurable: true,
      get: () => current,
      set: (value: object) => {
        current = Object.assign(value, { resourcePicker: async () => picked });
      },
    });
    (window as unknown as { shopify: object }).shopify = {};
  });
};

describe("customers and revenue in Chromium", () => {
  it("shows the linked customer on the friend page", async () => {
    for (const locale of ["ja", "en"] as const) {
      const { page, errors } = await open(`/app/friends/${hanakoId}`, locale);
      await page.getByRole("link", { name: "山田 花子" }).waitFor();
      expect(await page.getByRole("link", { name: "山田 花子" }).getAttribute("href")).toBe("shopify://admin/customers/7100000001");
      await page.getByText("#1001").waitFor();
      await page.getByText(locale === "ja" ? "累計購入金額（JPY）" : "Total spent (JPY)").waitFor();
      await page.getByText(locale === "ja" ? "一部返金済み" : "Partially refunded").first().waitFor();
      for (const width of WIDTHS) {
        await atWidth(page, width);
        await screenshot(page, `customers-friend-${locale}-${width}`);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("lists friends with customer names and sorts them by total spent", async () => {
    for (const locale of ["ja", "en"] as const) {
      const { page, errors } = await open("/app/friends", locale);
      await page.getByRole("link", { name: "鈴木 美咲" }).waitFor();
      await page.getByText(locale === "ja" ? "読み込み中…" : "Importing…").waitFor();
      await page.getByLabel(locale === "ja" ? "並べ替え" : "Sort by").selectOption("totalSpent");
      await page.waitForURL(/sort=totalSpent/);
      await page.waitForFunction(() => document.querySelector(".Polaris-IndexTable__TableRow")?.textContent?.includes("鈴木 美咲"));
      const rows = await page.locator(".Polaris-IndexTable__TableRow").allInnerTexts();
      expect(rows.map((row) => ["みさき", "はなこ", "けん"].find((name) => row.includes(name)) ?? "other").slice(0, 3)).toEqual(["みさき", "はなこ", "けん"]);
      for (const width of WIDTHS) {
        await atWidth(page, width);
        await screenshot(page, `customers-friends-list-${locale}-${width}`);
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("builds a segment on purchases with the product picker and saves it", async () => {
    const { page, errors } = await open("/app/segments/new", "ja", { prepare: withPicker });
    await page.getByTestId("segment-count").getByText("5人", { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "グループを追加" }).click();
    await page.getByRole("button", { name: "購入した商品（Shopify）", exact: true }).click();
    await page.getByRole("button", { name: "商品を選択" }).click();
    await page.getByText("煎茶 100g").waitFor();
    // Bought product 5001: only はなこ (the guest order #1004 has no friend).
    await page.getByTestId("segment-count").getByText("1人", { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "条件を追加" }).click();
    await page.getByRole("button", { name: "累計購入金額（Shopify）", exact: true }).click();
    await page.getByTestId("segment-count").getByText("1人", { exact: true }).waitFor({ timeout: 60_000 });
    await screenshot(page, "customers-segment-ja-1280");
    await page.getByLabel("セグメント名").fill("煎茶を買った人");
    await page.locator("ui-save-bar button", { hasText: /^保存$/ }).click();
    await waitForToast(page, "セグメントを保存しました");
    const saved = await db.segment.findFirstOrThrow({ where: { shop: SHOP, name: "煎茶を買った人" } });
    expect(saved.definition).toMatchObject({ groups: [{ conditions: [{ field: "purchased", target: "product", items: [{ id: "5001", title: "煎茶 100g" }] }, { field: "totalSpent", op: "gte", amount: 10000 }] }] });
    await atWidth(page, 390);
    await screenshot(page, "customers-segment-ja-390");
    expect(errors).toEqual([]);

    const english = await open(`/app/segments/${saved.id}`, "en", { prepare: withPicker, viewport: { width: 390, height: 844 } });
    await english.page.getByTestId("segment-count").getByText("1 friend", { exact: true }).waitFor({ timeout: 60_000 });
    await english.page.getByText("煎茶 100g").waitFor();
    await screenshot(english.page, "customers-segment-en-390");
    await atWidth(english.page, 1280);
    await screenshot(english.page, "customers-segment-en-1280");
    expect(english.errors).toEqual([]);
  });

  it("shows a broadcast's revenue, the attributed orders and the LINE revenue on the home page", async () => {
    for (const locale of ["ja", "en"] as const) {
      const results = await open(`/app/broadcasts/${broadcastId}/results`, locale);
      await results.page.getByText(locale === "ja" ? "この配信による売上" : "Revenue from this broadcast").waitFor();
      await results.page.getByText(/[¥￥]30,200/).first().waitFor();
      for (const width of WIDTHS) {
        await atWidth(results.page, width);
        await screenshot(results.page, `customers-broadcast-revenue-${locale}-${width}`);
      }
      expect(results.errors).toEqual([]);
      await results.page.close();

      const revenue = await open("/app/revenue", locale);
      await revenue.page.getByText("#1002").waitFor();
      await revenue.page.getByText(locale === "ja" ? "配信（クリックなし）" : "Send (no click)").first().waitFor();
      for (const width of WIDTHS) {
        await atWidth(revenue.page, width);
        await screenshot(revenue.page, `customers-revenue-${locale}-${width}`);
      }
      // A window out of range is refused with the merchant's words.
      await revenue.page.getByLabel(locale === "ja" ? "クリック後の日数" : "Days after a click").fill("120");
      await revenue.page.getByRole("button", { name: locale === "ja" ? "保存" : "Save" }).click();
      await revenue.page.getByText(locale === "ja" ? "1〜90の整数で日数を入力してください。" : "Enter a whole number of days from 1 to 90.").first().waitFor();
      await screenshot(revenue.page, `customers-revenue-error-${locale}-1280`);
      expect(revenue.errors).toEqual([]);
      await revenue.page.close();

      const home = await open("/app", locale);
      // Home shows LINE revenue among the period's numbers (the last 30 days by default).
      await home.page.getByRole("heading", { name: locale === "ja" ? "LINE経由の売上" : "LINE revenue", exact: true }).waitFor();
      await home.page.getByText(/[¥￥]30,200/).waitFor();
      for (const width of WIDTHS) {
        await atWidth(home.page, width);
        await screenshot(home.page, `customers-home-${locale}-${width}`);
      }
      expect(home.errors).toEqual([]);
      await home.page.close();
    }
  });
});
