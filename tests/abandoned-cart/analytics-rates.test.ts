// The cart analytics' rates cannot mislead: an order or a click days after its reminder's send counts on the day of
// the send, so a day's (or period's) rate is a share of that day's sends and never passes 100 %. Also the period
// from the URL, the previous period beside it, and the per-day CSV.
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { cartAnalytics } from "~/abandoned-cart/analytics.server";
import { analyticsCsv } from "~/abandoned-cart/analytics-csv.server";
import { niceTicks, tickText } from "~/abandoned-cart/chart-scale";
import { changeText, percentText, shareOf } from "~/abandoned-cart/rates";
import { db } from "~/db.server";
import { loader as csvLoader } from "~/routes/app.abandoned-cart_.analytics[.csv]";
import { loader } from "~/routes/app.abandoned-cart_.analytics";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
let n = 0;

/** A reminder sent at `sentAt`, clicked at `clickedAt`, with orders (processed later) attributed to it. */
async function sent(account: { id: string }, friendId: string, sentAt: string, more: { clickedAt?: string; orders?: { at: string; currency: string; total: string }[] } = {}) {
  n += 1;
  const checkout = await db.checkout.create({
    data: { shop: SHOP, token: `rate-${n}`, currency: "JPY", totalPrice: "3000", lineItems: [], startedAt: new Date(sentAt), shopifyUpdatedAt: new Date(sentAt) },
  });
  const reminder = await db.cartReminder.create({
    data: {
      shop: SHOP, lineAccountId: account.id, checkoutId: checkout.id, friendId, matchedBy: "cart", status: "sent", retryKey: `rate-${n}`,
      dueAt: new Date(sentAt), createdAt: new Date(Date.parse(sentAt) - 3_600_000), updatedAt: new Date(sentAt), sentAt: new Date(sentAt),
      clickedAt: more.clickedAt ? new Date(more.clickedAt) : null, clicks: more.clickedAt ? 2 : 0,
    },
  });
  for (const [index, order] of (more.orders ?? []).entries()) {
    const row = await db.order.create({ data: { shop: SHOP, orderId: `rate-${n}-${index}`, currency: order.currency, totalPrice: order.total, processedAt: new Date(order.at) } });
    await db.orderAttribution.create({
      data: { shop: SHOP, orderRef: row.id, kind: "cart-reminder", sourceId: reminder.id, rule: "send", touchedAt: new Date(sentAt), currency: order.currency, revenue: order.total },
    });
  }
  return reminder;
}

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  const account = await createLineAccount(db, SHOP, { displayName: "Tokyo Tea" });
  const friend = (await createFriend(db, account, { displayName: "山田 花子" })).id;
  // 1 March (Tokyo): one send, recovered the next day (the previous period of 3–5 March).
  await sent(account, friend, "2025-03-01T01:00:00Z", { orders: [{ at: "2025-03-02T01:00:00Z", currency: "JPY", total: "2000" }] });
  // 3 March: two sends. The first is clicked on the 5th and bought on the 6th; the second is bought on the 5th,
  // twice (yen and dollars): one recovered reminder, not two.
  await sent(account, friend, "2025-03-03T01:00:00Z", {
    clickedAt: "2025-03-05T03:00:00Z",
    orders: [{ at: "2025-03-06T03:00:00Z", currency: "JPY", total: "3000" }],
  });
  await sent(account, friend, "2025-03-03T02:00:00Z", {
    orders: [
      { at: "2025-03-05T03:00:00Z", currency: "JPY", total: "1000" },
      { at: "2025-03-05T04:00:00Z", currency: "USD", total: "10" },
    ],
  });
  // 5 March: one send, nothing came of it. Counting orders on their own day, the 5th would show 2 of 1 (200 %).
  await sent(account, friend, "2025-03-05T01:00:00Z");
});

describe("rate definitions", () => {
  it("are shares of the sends: null without sends, refused above 100 %", () => {
    expect(shareOf(0, 0)).toBeNull();
    expect(shareOf(1, 4)).toBe(0.25);
    expect(shareOf(4, 4)).toBe(1);
    expect(() => shareOf(2, 1)).toThrow(/above 100/);
    expect(percentText(0.125, "en")).toBe("12.5%");
    expect(percentText(null, "ja")).toBe("—");
    expect(changeText(0.5, 0.25, "en", "rate")).toBe("+25 pt");
    expect(changeText(3, 4, "en", "count")).toBe("−25%");
    expect(changeText(3, 0, "en", "count")).toBeNull();
  });

  it("count an order and a click days after the send on the send's day", async () => {
    const result = await cartAnalytics(SHOP, { from: "2025-03-03", to: "2025-03-06" });
    const day = (d: string) => result.days.find((stats) => stats.day === d)!;
    expect(day("2025-03-03")).toMatchObject({
      sent: 2,
      clicked: 1,
      recovered: 2,
      clickRate: 0.5,
      recoveryRate: 1,
      revenue: [
        { currency: "JPY", amount: "4000" },
        { currency: "USD", amount: "10.00" },
      ],
    });
    expect(day("2025-03-05")).toMatchObject({ sent: 1, clicked: 0, recovered: 0, recoveryRate: 0, clickRate: 0, revenue: [] });
    expect(day("2025-03-06")).toMatchObject({ sent: 0, recovered: 0, recoveryRate: null, clickRate: null });
    for (const stats of [...result.days, result.totals]) {
      expect(stats.recovered).toBeLessThanOrEqual(stats.sent);
      expect(stats.clicked).toBeLessThanOrEqual(stats.sent);
    }
    expect(result.totals).toMatchObject({ sent: 3, clicked: 1, recovered: 2, recoveryRate: 2 / 3, clickRate: 1 / 3 });
  });

  it("leave out what its sends brought when the send is outside the period", async () => {
    // The 5th and 6th alone: the orders of those days belong to the 3rd's sends.
    const result = await cartAnalytics(SHOP, { from: "2025-03-05", to: "2025-03-06" });
    expect(result.totals).toMatchObject({ sent: 1, recovered: 0, revenue: [], recoveryRate: 0 });
  });
});

describe("analytics page data", () => {
  it("reads the period from the URL and puts the previous period beside it", async () => {
    const page = await loader({ request: await adminRequest("/app/abandoned-cart/analytics?from=2025-03-03&to=2025-03-05&compare=1"), params: {}, context: {} });
    expect(page.range).toEqual({ from: "2025-03-03", to: "2025-03-05", preset: "custom", compare: true });
    expect(page.days.map((d) => d.day)).toEqual(["2025-03-03", "2025-03-04", "2025-03-05"]);
    expect(page.totals).toMatchObject({ sent: 3, recovered: 2 });
    expect(page.previous).toMatchObject({ sent: 1, recovered: 1, recoveryRate: 1, revenue: [{ currency: "JPY", amount: "2000" }] });
  });

  it("falls back to the last 30 days for a period it cannot show", async () => {
    for (const query of ["from=2025-03-05&to=2025-03-03", "from=2025-02-30&to=2025-03-03", "from=2020-01-01&to=2025-03-03", "from=x"]) {
      const page = await loader({ request: await adminRequest(`/app/abandoned-cart/analytics?${query}`), params: {}, context: {} });
      expect(page.range.preset, query).toBe("last30");
      expect(page.days).toHaveLength(30);
      expect(page.previous).toBeNull();
    }
  });

  it("exports the per-day rows as CSV in the merchant's language", async () => {
    const response = await csvLoader({ request: await adminRequest("/app/abandoned-cart/analytics.csv?from=2025-03-03&to=2025-03-05&locale=ja"), params: {}, context: {} });
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="cart-analytics-2025-03-03-2025-03-05.csv"');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM: Excel then reads UTF-8
    const rows: string[][] = parse(new TextDecoder().decode(bytes));
    expect(rows[0]).toEqual(["日付", "カート連携", "予約", "配信数", "未配信", "失敗", "クリック数", "クリック率 (%)", "回収注文数", "回収率 (%)", "回収売上 (JPY)", "回収売上 (USD)"]);
    expect(rows.slice(1)).toEqual([
      ["2025-03-03", "2", "2", "2", "0", "0", "1", "50.0", "2", "100.0", "4000", "10.00"],
      ["2025-03-04", "0", "0", "0", "0", "0", "0", "", "0", "", "0", "0"],
      ["2025-03-05", "1", "1", "1", "0", "0", "0", "0.0", "0", "0.0", "0", "0"],
    ]);
    expect(parse(analyticsCsv({ days: [] }, "en"), { bom: true })[0][0]).toBe("Day");
  });
});

describe("chart axis", () => {
  it("rounds the top of the axis and labels ticks with units", () => {
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(97)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(3)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(56_000, 4, false)).toEqual([0, 20_000, 40_000, 60_000]);
    expect(tickText(120_000, "ja-JP", "JPY")).toBe("￥12万");
    expect(tickText(1500, "en", "USD")).toBe("$1.5K");
  });
});
