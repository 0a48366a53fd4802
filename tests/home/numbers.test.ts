// The home page's business numbers: the period's days are the shop's calendar days (stored times are UTC), each
// figure beside the period before, messages counted per recipient by kind, LINE revenue from attributed orders.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { homeNumbers } from "~/home/numbers.server";
import { parsePeriod } from "~/home/period";
import { loader as homeLoader } from "~/routes/app._index";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createLineAccount, createShop, lineUserId } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const OTHER = "someone-else.myshopify.com";
// 12:00 in Tokyo on 30 November: the 7-day period is 24–30 November (Tokyo), the one before 17–23 November.
const NOW = new Date("2026-11-30T03:00:00Z");

let seq = 0;
async function delivery(account: { id: string; shop: string }, kind: string, sentAt: string, recipients = 1, extra: { status?: string; excluded?: number; channel?: string } = {}) {
  seq += 1;
  return db.delivery.create({
    data: {
      shop: account.shop, lineAccountId: account.id, kind, channel: extra.channel ?? (recipients > 1 ? "multicast" : "push"), sourceId: `src${seq}`,
      recipients: Array.from({ length: recipients }, () => lineUserId()), messages: [{ type: "text", text: "hi" }], dueAt: new Date(sentAt),
      status: extra.status ?? "sent", sentAt: new Date(sentAt), excluded: extra.excluded ?? 0,
    },
  });
}

async function follower(account: { id: string; shop: string }, followedAt: string, more: { unfollowedAt?: string; shopifyCustomerId?: string } = {}) {
  const friend = await createFriend(db, account, { shopifyCustomerId: more.shopifyCustomerId ?? null });
  return db.friend.update({ where: { id: friend.id }, data: { followedAt: new Date(followedAt), unfollowedAt: more.unfollowedAt ? new Date(more.unfollowedAt) : null } });
}

async function attributed(shop: string, processedAt: string, total: string) {
  seq += 1;
  const order = await db.order.create({ data: { shop, orderId: String(700_000 + seq), name: `#${seq}`, customerId: "9001", currency: "JPY", totalPrice: total, refunded: "0", processedAt: new Date(processedAt) } });
  await db.orderAttribution.create({ data: { shop, orderRef: order.id, kind: "cart-reminder", sourceId: "r1", rule: "click", touchedAt: new Date(processedAt), currency: "JPY", revenue: total } });
}

beforeEach(async () => {
  for (const table of ["orderAttribution", "order", "delivery", "friend", "lineAccount", "shop", "session"] as const) {
    await (db[table] as { deleteMany: () => Promise<unknown> }).deleteMany();
  }
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
});

describe("home numbers", () => {
  it("counts the shop's calendar days, beside the period before", async () => {
    const account = await createLineAccount(db, SHOP);
    const elsewhere = await createLineAccount(db, OTHER);
    await follower(account, "2026-11-29T15:30:00Z"); // 30 Nov 00:30 in Tokyo
    await follower(account, "2026-11-23T15:00:00Z"); // 24 Nov 00:00 in Tokyo: the period's first instant
    await follower(account, "2026-11-23T14:59:00Z"); // 23 Nov 23:59 in Tokyo: the period before
    await follower(account, "2026-11-10T00:00:00Z", { unfollowedAt: "2026-11-25T00:00:00Z", shopifyCustomerId: "42" });
    await follower(account, "2026-11-05T00:00:00Z", { unfollowedAt: "2026-11-16T14:00:00Z" }); // 16 Nov 23:00: before both
    await follower(elsewhere, "2026-11-29T00:00:00Z");

    await delivery(account, "cart-reminder", "2026-11-28T01:00:00Z");
    await delivery(account, "broadcast", "2026-11-28T02:00:00Z", 3, { excluded: 1 });
    await delivery(account, "greeting", "2026-11-26T02:00:00Z", 1, { channel: "reply" });
    await delivery(account, "auto-reply", "2026-11-26T03:00:00Z", 1, { channel: "reply" });
    await delivery(account, "chat", "2026-11-29T16:00:00Z");
    await delivery(account, "step", "2026-11-20T00:00:00Z");
    await delivery(account, "broadcast", "2026-11-28T00:00:00Z", 5, { status: "failed" });
    await delivery(account, "test", "2026-11-28T00:00:00Z");
    await delivery(elsewhere, "broadcast", "2026-11-28T00:00:00Z", 4);

    await attributed(SHOP, "2026-11-27T00:00:00Z", "3000");
    await attributed(SHOP, "2026-11-20T00:00:00Z", "1000");
    await attributed(OTHER, "2026-11-27T00:00:00Z", "99999");

    const numbers = await homeNumbers(SHOP, "Asia/Tokyo", 7, NOW);
    expect(numbers.range).toEqual({ from: "2026-11-24", to: "2026-11-30" });
    expect(numbers.previousRange).toEqual({ from: "2026-11-17", to: "2026-11-23" });
    expect(numbers.current).toMatchObject({
      newFriends: 2,
      blocks: 1,
      messages: { "cart-reminder": 1, broadcast: 2, step: 0, "auto-reply": 2, chat: 1 },
      messagesTotal: 6,
      revenue: { orders: 1, revenue: [{ currency: "JPY", amount: "3000" }] },
    });
    expect(numbers.previous).toMatchObject({ newFriends: 1, blocks: 0, messagesTotal: 1, messages: { step: 1 }, revenue: { orders: 1 } });
    expect(numbers.linkedCustomers).toBe(1);
    expect(numbers.daily).toHaveLength(7);
    expect(numbers.daily.find((day) => day.date === "2026-11-30")).toEqual({ date: "2026-11-30", newFriends: 1, blocks: 0, messages: 1 });
    expect(numbers.daily.find((day) => day.date === "2026-11-24")).toMatchObject({ newFriends: 1 });
    expect(numbers.daily.find((day) => day.date === "2026-11-25")).toMatchObject({ blocks: 1 });
    expect(numbers.daily.find((day) => day.date === "2026-11-28")).toMatchObject({ messages: 3 });

    // Other time zones draw the line elsewhere: at 00:30 in Tokyo it is still 29 November in New York.
    const newYork = await homeNumbers(SHOP, "America/New_York", 7, NOW);
    expect(newYork.range).toEqual({ from: "2026-11-23", to: "2026-11-29" });
    expect(newYork.current.newFriends).toBe(3);
  });

  it("takes the period from the URL: 7, 30 or 90 days, 30 otherwise", async () => {
    expect([parsePeriod("7"), parsePeriod("90"), parsePeriod("30"), parsePeriod("12"), parsePeriod(null)]).toEqual([7, 90, 30, 30, 30]);
    const week = await homeLoader({ request: await adminRequest("/app?period=7"), params: {}, context: {} });
    expect(week.numbers.days).toBe(7);
    expect(week.numbers.daily).toHaveLength(7);
    const fallback = await homeLoader({ request: await adminRequest("/app?period=1000"), params: {}, context: {} });
    expect(fallback.numbers.days).toBe(30);
  });
});
