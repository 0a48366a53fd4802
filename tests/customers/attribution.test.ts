// Order attribution: the last touch before an order (a click within the click window, else a send within the send
// window, else our marker / UTM parameters in the landing site), revenue net of refunds, one row per order.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { attributeOrder } from "~/customers/attribution.server";
import { followReminderLink } from "~/abandoned-cart/clicks.server";
import { createFriend, createLineAccount, createShop } from "../support/factories";

const SHOP = "attribution-a.myshopify.com";
const OTHER = "attribution-b.myshopify.com";
const DAY = 86_400_000;
const HOUR = 3_600_000;
const orderedAt = new Date("2026-11-20T12:00:00.000Z");
const before = (ms: number) => new Date(orderedAt.getTime() - ms);

let sequence = 0;

beforeEach(async () => {
  for (const table of ["orderAttribution", "linkClick", "delivery", "reminderLink", "cartReminder", "checkout", "order", "broadcast", "friend", "lineAccount", "shop"] as const) {
    await (db[table] as { deleteMany: () => Promise<unknown> }).deleteMany();
  }
});

async function world(shop = SHOP) {
  await createShop(db, { shop });
  const account = await createLineAccount(db, shop);
  const friend = await createFriend(db, account, { shopifyCustomerId: "7001", followStatus: "following" });
  return { account, friend };
}

function order(shop: string, overrides: Partial<{ customerId: string | null; processedAt: Date; total: string; refunded: string; cancelledAt: Date | null; landingSite: string | null; utmMedium: string; utmCampaign: string; currency: string; checkoutToken: string }> = {}) {
  sequence += 1;
  return db.order.create({
    data: {
      shop,
      orderId: String(9_000_000 + sequence),
      name: `#${1000 + sequence}`,
      customerId: overrides.customerId === undefined ? "7001" : overrides.customerId,
      currency: overrides.currency ?? "JPY",
      totalPrice: overrides.total ?? "5000",
      refunded: overrides.refunded ?? "0",
      processedAt: overrides.processedAt ?? orderedAt,
      cancelledAt: overrides.cancelledAt ?? null,
      landingSite: overrides.landingSite ?? null,
      utmMedium: overrides.utmMedium ?? null,
      utmCampaign: overrides.utmCampaign ?? null,
      checkoutToken: overrides.checkoutToken ?? null,
    },
  });
}

function click(shop: string, friendId: string, sourceId: string, clickedAt: Date, kind = "cart-reminder") {
  return db.linkClick.create({ data: { shop, friendId, kind, sourceId, clickedAt } });
}

async function broadcast(shop: string, accountId: string, startedAt: Date, utmParams = "utm_source=line&utm_medium=broadcast&utm_campaign=winter") {
  sequence += 1;
  return db.broadcast.create({
    data: { shop, lineAccountId: accountId, name: `B${sequence}`, messages: [], audience: { type: "all" }, utmParams, status: "sent", startedAt, customAggregationUnit: `unit${sequence}` },
  });
}

function send(shop: string, accountId: string, sentAt: Date, to: { friendId?: string; recipients: string[] }, sourceId: string, kind = "broadcast") {
  return db.delivery.create({
    data: {
      shop, lineAccountId: accountId, kind, channel: to.friendId ? "push" : "multicast", sourceId, recipients: to.recipients,
      friendId: to.friendId ?? null, messages: [], status: "sent", dueAt: sentAt, sentAt, createdAt: sentAt,
    },
  });
}

const attribution = (orderRef: string) => db.orderAttribution.findUnique({ where: { orderRef } });

describe("attributeOrder", () => {
  it("credits a click within the click window, and not one older than it", async () => {
    const { friend } = await world();
    await click(SHOP, friend.id, "reminder-1", before(6 * DAY));
    const inside = await order(SHOP);
    await attributeOrder(SHOP, inside.id);
    expect(await attribution(inside.id)).toMatchObject({ kind: "cart-reminder", sourceId: "reminder-1", rule: "click", friendId: friend.id, touchedAt: before(6 * DAY), currency: "JPY" });

    await db.shop.update({ where: { shop: SHOP }, data: { attributionClickDays: 5 } });
    await attributeOrder(SHOP, inside.id);
    expect(await attribution(inside.id)).toBeNull();
  });

  it("credits a send without a click within the send window (push or multicast), never one after the order", async () => {
    const { account, friend } = await world();
    const b = await broadcast(SHOP, account.id, before(3 * HOUR));
    const multicast = await send(SHOP, account.id, before(3 * HOUR), { recipients: ["Uother", friend.lineUserId] }, b.id);
    const first = await order(SHOP);
    await attributeOrder(SHOP, first.id);
    expect(await attribution(first.id)).toMatchObject({ kind: "broadcast", sourceId: b.id, rule: "send", deliveryId: multicast.id, friendId: friend.id, touchedAt: before(3 * HOUR) });

    // A push after the order does not take it over; a send older than the window does not count.
    await send(SHOP, account.id, new Date(orderedAt.getTime() + HOUR), { friendId: friend.id, recipients: [friend.lineUserId] }, "later");
    await attributeOrder(SHOP, first.id);
    expect(await attribution(first.id)).toMatchObject({ sourceId: b.id });

    const old = await order(SHOP, { processedAt: new Date(orderedAt.getTime() + 2 * DAY) });
    await attributeOrder(SHOP, old.id);
    expect(await attribution(old.id)).toBeNull();
  });

  it("never credits a message sent or clicked after the order", async () => {
    const { account, friend } = await world();
    const early = await order(SHOP, { processedAt: before(DAY) });
    await send(SHOP, account.id, before(HOUR), { friendId: friend.id, recipients: [friend.lineUserId] }, "b-later");
    await click(SHOP, friend.id, "r-later", before(HOUR));
    await attributeOrder(SHOP, early.id);
    expect(await attribution(early.id)).toBeNull();
  });

  it("lets the last click win, and a click win over a later send", async () => {
    const { account, friend } = await world();
    await click(SHOP, friend.id, "first", before(3 * DAY));
    await click(SHOP, friend.id, "last", before(2 * DAY), "step");
    await send(SHOP, account.id, before(HOUR), { friendId: friend.id, recipients: [friend.lineUserId] }, "a-send");
    const o = await order(SHOP);
    await attributeOrder(SHOP, o.id);
    expect(await attribution(o.id)).toMatchObject({ kind: "step", sourceId: "last", rule: "click" });
  });

  it("lets the last send win when nothing was clicked", async () => {
    const { account, friend } = await world();
    await send(SHOP, account.id, before(5 * HOUR), { friendId: friend.id, recipients: [friend.lineUserId] }, "older");
    await send(SHOP, account.id, before(2 * HOUR), { recipients: [friend.lineUserId] }, "newer");
    await send(SHOP, account.id, before(HOUR), { friendId: friend.id, recipients: [friend.lineUserId] }, "chat-1", "chat");
    const o = await order(SHOP);
    await attributeOrder(SHOP, o.id);
    expect(await attribution(o.id)).toMatchObject({ sourceId: "newer", rule: "send" });
  });

  it("subtracts refunds, removes a cancelled order, and recomputes to the same single row", async () => {
    const { friend } = await world();
    await click(SHOP, friend.id, "r1", before(HOUR));
    const o = await order(SHOP, { total: "12.34", refunded: "2.30", currency: "USD" });
    await attributeOrder(SHOP, o.id);
    await attributeOrder(SHOP, o.id);
    const rows = await db.orderAttribution.findMany();
    expect(rows).toHaveLength(1);
    expect([rows[0]!.currency, rows[0]!.revenue.toString()]).toEqual(["USD", "10.04"]);

    await db.order.update({ where: { id: o.id }, data: { refunded: "20" } });
    await attributeOrder(SHOP, o.id);
    expect((await attribution(o.id))!.revenue.toString()).toBe("0");

    await db.order.update({ where: { id: o.id }, data: { cancelledAt: orderedAt } });
    await attributeOrder(SHOP, o.id);
    expect(await db.orderAttribution.count()).toBe(0);
  });

  it("reads our marker or a broadcast's UTM parameters for a buyer who is not linked", async () => {
    const { account } = await world();
    const marked = await broadcast(SHOP, account.id, before(2 * DAY), "utm_source=line&utm_medium=broadcast&utm_campaign=other");
    const byCampaign = await broadcast(SHOP, account.id, before(DAY));
    const guest = await order(SHOP, { customerId: null, landingSite: `/products/tea?utm_source=line&line_m=b.${marked.id}` });
    await attributeOrder(SHOP, guest.id);
    expect(await attribution(guest.id)).toMatchObject({ kind: "broadcast", sourceId: marked.id, rule: "utm", friendId: null, touchedAt: before(2 * DAY) });

    const campaign = await order(SHOP, { customerId: "8888", landingSite: "https://shop.example/?utm_source=line&utm_medium=broadcast&utm_campaign=winter" });
    await attributeOrder(SHOP, campaign.id);
    expect(await attribution(campaign.id)).toMatchObject({ sourceId: byCampaign.id, rule: "utm" });

    // A broadcast that started after the order, or parameters that name none: nothing.
    const earlier = await order(SHOP, { customerId: null, processedAt: before(3 * DAY), landingSite: `/?line_m=b.${marked.id}` });
    const unknown = await order(SHOP, { customerId: null, landingSite: "/?utm_source=line&utm_medium=broadcast&utm_campaign=nobody" });
    await attributeOrder(SHOP, earlier.id);
    await attributeOrder(SHOP, unknown.id);
    expect(await attribution(earlier.id)).toBeNull();
    expect(await attribution(unknown.id)).toBeNull();
  });

  it("never uses another shop's clicks, sends, broadcasts or orders", async () => {
    const mine = await world(SHOP);
    const theirs = await world(OTHER);
    // The other shop's friend has the same customer id and the same LINE user id in a multicast.
    await click(OTHER, theirs.friend.id, "their-click", before(HOUR));
    await send(OTHER, theirs.account.id, before(HOUR), { recipients: [mine.friend.lineUserId, theirs.friend.lineUserId] }, "their-send");
    const theirBroadcast = await broadcast(OTHER, theirs.account.id, before(DAY));
    const o = await order(SHOP, { landingSite: `/?line_m=b.${theirBroadcast.id}&utm_medium=broadcast&utm_campaign=winter` });
    await attributeOrder(SHOP, o.id);
    expect(await attribution(o.id)).toBeNull();

    // Their order, named with my shop: nothing happens.
    const theirOrder = await order(OTHER);
    await attributeOrder(SHOP, theirOrder.id);
    expect(await db.orderAttribution.count()).toBe(0);
  });

  it("records a cart reminder click as the friend's click and keeps the reminder's recovered figures in step", async () => {
    const { account, friend } = await world();
    const sentAt = before(3 * DAY);
    const checkout = await db.checkout.create({
      data: { shop: SHOP, token: "tok-1", currency: "JPY", totalPrice: "5000", lineItems: [], startedAt: before(4 * DAY), shopifyUpdatedAt: before(4 * DAY) },
    });
    const reminder = await db.cartReminder.create({
      data: { shop: SHOP, lineAccountId: account.id, checkoutId: checkout.id, friendId: friend.id, matchedBy: "cart", status: "sent", sentAt, dueAt: sentAt, retryKey: "k1" },
    });
    await db.reminderLink.create({ data: { code: "abcdefgh1234", shop: SHOP, reminderId: reminder.id, targetUrl: "https://shop.example/cart", kind: "recovery" } });
    expect(await followReminderLink("abcdefgh1234")).toBe("https://shop.example/cart");
    expect(await db.linkClick.findMany()).toMatchObject([{ shop: SHOP, friendId: friend.id, kind: "cart-reminder", sourceId: reminder.id }]);

    // The click is recorded now: the order comes after it.
    const o = await order(SHOP, { checkoutToken: "tok-1", customerId: null, total: "5000", refunded: "1000", processedAt: new Date(Date.now() + 1_000) });
    await attributeOrder(SHOP, o.id);
    expect(await attribution(o.id)).toMatchObject({ kind: "cart-reminder", sourceId: reminder.id, rule: "click" });
    expect(await db.cartReminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ recoveredOrderId: o.orderId, recoveredCurrency: "JPY" });
    expect((await db.cartReminder.findUniqueOrThrow({ where: { id: reminder.id } })).recoveredRevenue?.toString()).toBe("4000");

    await db.order.update({ where: { id: o.id }, data: { cancelledAt: orderedAt } });
    await attributeOrder(SHOP, o.id);
    expect(await db.cartReminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ recoveredOrderId: null, recoveredAt: null });
  });
});
