// かご落ちLINE analytics: per-day counts in the shop's time zone, exact, from reminders seeded across days,
// statuses, two accounts, two currencies and the midnight boundary of Asia/Tokyo (UTC+9).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { cartAnalytics, quotaState } from "~/abandoned-cart/analytics.server";
import { loader } from "~/routes/app.abandoned-cart_.analytics";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const OTHER = "other-shop.myshopify.com";
// 12:00 on 20 March in Tokyo: the window is 19 February – 20 March (Tokyo days).
const NOW = new Date("2025-03-20T03:00:00Z");
const at = (iso: string) => new Date(iso);

let n = 0;
type Seed = {
  account: { id: string; shop: string };
  friendId: string;
  checkoutId?: string;
  currency?: string;
  total?: string;
  createdAt: string;
  status: string;
  updatedAt?: string;
  sentAt?: string;
  clickedAt?: string;
  clicks?: number;
  recoveredAt?: string;
  revenue?: string;
  skipReason?: string;
  error?: string;
};

async function checkout(shop: string, currency = "JPY", total = "3000") {
  n += 1;
  return db.checkout.create({
    data: { shop, token: `tok-${n}`, currency, totalPrice: total, lineItems: [], startedAt: new Date(), shopifyUpdatedAt: new Date() },
  });
}

async function reminder(seed: Seed) {
  n += 1;
  const checkoutId = seed.checkoutId ?? (await checkout(seed.account.shop, seed.currency, seed.total)).id;
  let recoveredOrderId: string | null = null;
  let order: { id: string } | null = null;
  if (seed.recoveredAt) {
    recoveredOrderId = `order-${n}`;
    order = await db.order.create({
      data: { shop: seed.account.shop, orderId: recoveredOrderId, currency: seed.currency ?? "JPY", totalPrice: seed.revenue!, processedAt: at(seed.recoveredAt) },
    });
  }
  const row = await db.cartReminder.create({
    data: {
      shop: seed.account.shop,
      lineAccountId: seed.account.id,
      checkoutId,
      friendId: seed.friendId,
      matchedBy: "cart",
      status: seed.status,
      dueAt: at(seed.sentAt ?? seed.updatedAt ?? seed.createdAt),
      retryKey: `key-${n}`,
      createdAt: at(seed.createdAt),
      updatedAt: at(seed.updatedAt ?? seed.sentAt ?? seed.createdAt),
      sentAt: seed.sentAt ? at(seed.sentAt) : null,
      clickedAt: seed.clickedAt ? at(seed.clickedAt) : null,
      clicks: seed.clicks ?? (seed.clickedAt ? 1 : 0),
      recoveredAt: seed.recoveredAt ? at(seed.recoveredAt) : null,
      recoveredOrderId,
      recoveredRevenue: seed.revenue ?? null,
      skipReason: seed.skipReason ?? null,
      error: seed.error ?? null,
    },
  });
  // The recovery as order attribution records it (the figure the analytics read).
  if (order) {
    await db.orderAttribution.create({
      data: { shop: seed.account.shop, orderRef: order.id, kind: "cart-reminder", sourceId: row.id, rule: "click", touchedAt: at(seed.clickedAt ?? seed.sentAt!), currency: seed.currency ?? "JPY", revenue: seed.revenue! },
    });
  }
  return row;
}

let first: { id: string; shop: string };
let second: { id: string; shop: string };

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  await createShop(db, { shop: OTHER, timeZone: "Asia/Tokyo" });
  first = await createLineAccount(db, SHOP, { displayName: "Tokyo Tea" });
  second = await createLineAccount(db, SHOP, { displayName: "Osaka Tea" });
  const theirs = await createLineAccount(db, OTHER);
  const hanako = (await createFriend(db, first, { displayName: "山田 花子" })).id;
  const ken = (await createFriend(db, second, { displayName: "佐藤 健" })).id;
  const stranger = (await createFriend(db, theirs)).id;
  const shared = await checkout(SHOP);

  // Created 23:59 on 17 March in Tokyo; sent 00:30 and clicked 01:00 on the 18th; recovered on the 19th.
  await reminder({ account: first, friendId: hanako, createdAt: "2025-03-17T14:59:00Z", status: "sent", sentAt: "2025-03-17T15:30:00Z", clickedAt: "2025-03-17T16:00:00Z", clicks: 3, recoveredAt: "2025-03-19T02:00:00Z", revenue: "5000" });
  // Created at 00:00 on the 18th (Tokyo), sent that morning; the same checkout also has a reminder from the other account.
  await reminder({ account: first, friendId: hanako, checkoutId: shared.id, createdAt: "2025-03-17T15:00:00Z", status: "sent", sentAt: "2025-03-18T01:00:00Z" });
  await reminder({ account: second, friendId: ken, checkoutId: shared.id, createdAt: "2025-03-18T02:00:00Z", status: "scheduled" });
  // Skipped at 22:00 on the 18th; cancelled at 01:00 on the 19th (Tokyo).
  await reminder({ account: first, friendId: hanako, createdAt: "2025-03-18T03:00:00Z", status: "skipped", skipReason: "not-following", updatedAt: "2025-03-18T13:00:00Z" });
  await reminder({ account: first, friendId: hanako, createdAt: "2025-03-18T03:30:00Z", status: "cancelled", skipReason: "purchased", updatedAt: "2025-03-18T16:00:00Z" });
  // The 19th: a failure, and a USD cart sent, clicked, and recovered at 10:00 on the 20th.
  await reminder({ account: first, friendId: hanako, createdAt: "2025-03-19T00:00:00Z", status: "failed", updatedAt: "2025-03-19T01:00:00Z", error: "400 The request body has 1 error(s)" });
  await reminder({ account: first, friendId: hanako, currency: "USD", total: "120.50", createdAt: "2025-03-19T04:00:00Z", status: "sent", sentAt: "2025-03-19T05:00:00Z", clickedAt: "2025-03-19T06:00:00Z", recoveredAt: "2025-03-20T01:00:00Z", revenue: "120.50" });
  // Created just before the window (23:00 on 18 February in Tokyo), sent just inside it (00:30 on the 19th).
  await reminder({ account: first, friendId: hanako, createdAt: "2025-02-18T14:00:00Z", status: "sent", sentAt: "2025-02-18T15:30:00Z" });
  // Long before the window, and another shop's.
  await reminder({ account: first, friendId: hanako, createdAt: "2024-12-01T00:00:00Z", status: "sent", sentAt: "2024-12-01T10:00:00Z" });
  await reminder({ account: theirs, friendId: stranger, createdAt: "2025-03-18T03:00:00Z", status: "sent", sentAt: "2025-03-18T04:00:00Z" });
});

const zero = { linked: 0, scheduled: 0, sent: 0, skipped: 0, skippedByReason: {}, failed: 0, clicked: 0, recovered: 0, revenue: [], clickRate: null, recoveryRate: null };

describe("cartAnalytics", () => {
  it("counts each event on its day in the shop's time zone, over the last 30 days", async () => {
    const result = await cartAnalytics(SHOP, { now: NOW });
    expect(result).toMatchObject({ timeZone: "Asia/Tokyo", from: "2025-02-19", to: "2025-03-20" });
    expect(result.days).toHaveLength(30);
    expect(result.days[0].day).toBe("2025-02-19");
    const active = Object.fromEntries(
      result.days.filter((d) => JSON.stringify({ ...d, day: undefined }) !== JSON.stringify({ ...zero, day: undefined })).map(({ day, ...stats }) => [day, stats]),
    );
    expect(active).toEqual({
      "2025-02-19": { ...zero, sent: 1, clickRate: 0, recoveryRate: 0 },
      "2025-03-17": { ...zero, linked: 1, scheduled: 1 },
      // Recoveries count on the day the reminder was sent (the JPY one sent 00:30 on the 18th, recovered on the 19th).
      "2025-03-18": {
        ...zero,
        linked: 3,
        scheduled: 4,
        sent: 2,
        clicked: 1,
        skipped: 1,
        skippedByReason: { "not-following": 1 },
        recovered: 1,
        revenue: [{ currency: "JPY", amount: "5000" }],
        clickRate: 0.5,
        recoveryRate: 0.5,
      },
      "2025-03-19": {
        ...zero,
        linked: 2,
        scheduled: 2,
        sent: 1,
        clicked: 1,
        skipped: 1,
        skippedByReason: { purchased: 1 },
        failed: 1,
        recovered: 1,
        revenue: [{ currency: "USD", amount: "120.50" }],
        clickRate: 1,
        recoveryRate: 1,
      },
    });
    expect(result.totals).toEqual({
      linked: 6,
      scheduled: 7,
      sent: 4,
      skipped: 2,
      skippedByReason: { "not-following": 1, purchased: 1 },
      failed: 1,
      clicked: 2,
      recovered: 2,
      revenue: [
        { currency: "JPY", amount: "5000" },
        { currency: "USD", amount: "120.50" },
      ],
      clickRate: 0.5,
      recoveryRate: 0.5,
    });
  });

  it("moves events across midnight with the shop's time zone", async () => {
    await db.shop.update({ where: { shop: SHOP }, data: { timeZone: "UTC" } });
    try {
      const result = await cartAnalytics(SHOP, { now: NOW });
      const day = (d: string) => result.days.find((stats) => stats.day === d)!;
      expect(result.to).toBe("2025-03-20");
      expect([day("2025-03-17").sent, day("2025-03-18").sent]).toEqual([1, 1]);
      expect([day("2025-03-17").linked, day("2025-03-18").linked]).toEqual([2, 3]);
      expect(day("2025-03-18").skippedByReason).toEqual({ "not-following": 1, purchased: 1 });
      expect(day("2025-02-18")).toBeUndefined();
      expect(day("2025-02-19").sent).toBe(0);
    } finally {
      await db.shop.update({ where: { shop: SHOP }, data: { timeZone: "Asia/Tokyo" } });
    }
  });

  it("narrows to one account", async () => {
    const result = await cartAnalytics(SHOP, { now: NOW, lineAccountId: second.id });
    expect(result.totals).toEqual({ ...zero, linked: 1, scheduled: 1 });
    expect(result.recent.map((r) => [r.status, r.friendName])).toEqual([["scheduled", "佐藤 健"]]);
  });

  it("lists the most recent reminders with what happened to them", async () => {
    const { recent } = await cartAnalytics(SHOP, { now: NOW });
    expect(recent).toHaveLength(9);
    expect(recent[0]).toEqual({
      id: expect.any(String),
      status: "sent",
      friendName: "山田 花子",
      total: "120.50",
      currency: "USD",
      dueAt: at("2025-03-19T05:00:00Z"),
      sentAt: at("2025-03-19T05:00:00Z"),
      clicks: 1,
      skipReason: null,
      error: null,
      recovered: true,
      recoveredRevenue: "120.50",
      recoveredCurrency: "USD",
    });
    expect(recent.slice(1, 5).map((r) => [r.status, r.skipReason ?? r.error])).toEqual([
      ["failed", "400 The request body has 1 error(s)"],
      ["cancelled", "purchased"],
      ["skipped", "not-following"],
      ["scheduled", null],
    ]);
  });

  it("keeps only the 50 most recent", async () => {
    const shop = "busy-shop.myshopify.com";
    const account = await createLineAccount(db, shop);
    const friend = await createFriend(db, account);
    const checkouts = await Promise.all(Array.from({ length: 55 }, () => checkout(shop)));
    await db.cartReminder.createMany({
      data: checkouts.map((c, i) => ({
        shop, lineAccountId: account.id, checkoutId: c.id, friendId: friend.id, matchedBy: "cart", dueAt: NOW, retryKey: `busy-${i}`, createdAt: new Date(NOW.getTime() - i * 60_000),
      })),
    });
    const { recent, totals } = await cartAnalytics(shop, { now: NOW });
    expect(recent).toHaveLength(50);
    expect(recent[0].dueAt).toEqual(NOW);
    expect(totals.scheduled).toBe(55);
  });
});

describe("quotaState", () => {
  it("is exhausted from LINE's monthly-limit answer until it is cleared", async () => {
    expect(await quotaState(first.id)).toEqual({ exhausted: false, since: null });
    const since = at("2025-03-19T08:00:00Z");
    await db.cartReminderSettings.create({ data: { lineAccountId: first.id, shop: SHOP, quotaExhaustedAt: since } });
    expect(await quotaState(first.id)).toEqual({ exhausted: true, since });
    const page = await loader({ request: await adminRequest("/app/abandoned-cart/analytics"), params: {}, context: {} });
    expect(page.exhausted).toEqual(["Tokyo Tea"]);
    await db.cartReminderSettings.update({ where: { lineAccountId: first.id }, data: { quotaExhaustedAt: null } });
    expect(await quotaState(first.id)).toEqual({ exhausted: false, since: null });
  });
});
