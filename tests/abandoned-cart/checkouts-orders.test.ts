// The stored checkout and order as the worker writes them: out-of-order checkout deliveries, completions carried
// by any delivery, and the attribution window of a recovered reminder.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { cartAnalytics } from "~/abandoned-cart/analytics.server";
import { storeCheckout } from "~/abandoned-cart/checkouts.server";
import { recordOrder } from "~/abandoned-cart/orders.server";
import { checkoutPayload, orderPayload } from "../support/checkouts";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const DAY = 86_400_000;
const titles = (checkout: { lineItems: unknown }) => (checkout.lineItems as { title: string }[]).map((item) => item.title);

beforeEach(async () => {
  for (const table of ["cartReminder", "checkout", "order", "friend", "cartReminderSettings", "lineAccount"] as const) {
    await (db[table] as { deleteMany: () => Promise<unknown> }).deleteMany();
  }
});

describe("storeCheckout", () => {
  it("keeps the newest version, and takes a completion from whichever delivery carries it", async () => {
    const started = new Date("2026-11-21T01:00:00.000Z");
    const at = (seconds: number) => new Date(started.getTime() + seconds * 1_000);
    const base = { token: "tok-order", cartToken: "cartorder0001", createdAt: started };

    const first = await storeCheckout(SHOP, checkoutPayload({ ...base, updatedAt: at(20), items: [{ title: "煎茶", price: "1200.50", quantity: 2 }] }));
    expect(first).toMatchObject({ shop: SHOP, token: "tok-order", cartToken: "cartorder0001", startedAt: started, shopifyUpdatedAt: at(20), purchasedAt: null });
    expect(first.totalPrice.toString()).toBe("2401");
    expect(titles(first)).toEqual(["煎茶"]);

    // Late and older, but completed: the contents stay, the purchase counts.
    const late = await storeCheckout(SHOP, checkoutPayload({ ...base, updatedAt: at(10), completedAt: at(10), items: [{ title: "古い", price: "1" }] }));
    expect(late).toMatchObject({ id: first.id, shopifyUpdatedAt: at(20), completedAt: null, purchasedAt: at(10) });
    expect(titles(late)).toEqual(["煎茶"]);

    const newer = await storeCheckout(SHOP, checkoutPayload({ ...base, updatedAt: at(30), completedAt: at(30), items: [{ title: "玉露", price: "3000" }] }));
    expect(newer).toMatchObject({ id: first.id, shopifyUpdatedAt: at(30), completedAt: at(30), purchasedAt: at(10) });
    expect(titles(newer)).toEqual(["玉露"]);
    expect(await db.checkout.count()).toBe(1);
  });
});

describe("recordOrder", () => {
  it("stores the order once, marks its checkout purchased and recovers only reminders sent within the window", async () => {
    const account = await createLineAccount(db, SHOP);
    await db.cartReminderSettings.create({ data: { lineAccountId: account.id, shop: SHOP, enabled: true, attributionDays: 7 } });
    const friend = await createFriend(db, account);
    const orderedAt = new Date("2026-11-21T03:00:00.000Z");

    async function sentReminder(token: string, sentAt: Date) {
      const checkout = await storeCheckout(SHOP, checkoutPayload({ token, createdAt: new Date(sentAt.getTime() - DAY) }));
      await db.cartReminder.create({
        data: { shop: SHOP, lineAccountId: account.id, checkoutId: checkout.id, friendId: friend.id, matchedBy: "cart", status: "sent", sentAt, dueAt: sentAt, retryKey: `key-${token}` },
      });
      return checkout;
    }
    const recent = await sentReminder("tok-recent", new Date(orderedAt.getTime() - 7 * DAY));
    const old = await sentReminder("tok-old", new Date(orderedAt.getTime() - 7 * DAY - 1));

    const order = orderPayload({ checkoutToken: "tok-recent", total: "2400", createdAt: orderedAt });
    expect(await recordOrder(SHOP, order)).toBe("purchased");
    expect(await recordOrder(SHOP, order)).toBe("purchased"); // Shopify's retry
    expect(await recordOrder(SHOP, orderPayload({ checkoutToken: "tok-old", createdAt: orderedAt }))).toBe("purchased");
    expect(await recordOrder(SHOP, orderPayload({ checkoutToken: "tok-unknown", createdAt: orderedAt }))).toBe("stored");

    expect(await db.order.count()).toBe(3);
    expect(await db.checkout.findUniqueOrThrow({ where: { id: recent.id } })).toMatchObject({ purchasedAt: orderedAt, orderId: String(order.id) });
    const recovered = await db.cartReminder.findFirstOrThrow({ where: { checkoutId: recent.id } });
    expect(recovered).toMatchObject({ recoveredAt: orderedAt, recoveredOrderId: String(order.id) });
    expect(recovered.recoveredRevenue?.toString()).toBe("2400");
    expect(await db.cartReminder.findFirstOrThrow({ where: { checkoutId: old.id } })).toMatchObject({ recoveredAt: null });
  });
});

describe("recovered revenue", () => {
  const orderedAt = new Date("2026-11-21T03:00:00.000Z");

  async function sentReminder(token: string, currency: string, sentAt = new Date(orderedAt.getTime() - DAY)) {
    const account = await createLineAccount(db, SHOP);
    const friend = await createFriend(db, account);
    const checkout = await storeCheckout(SHOP, checkoutPayload({ token, currency, createdAt: new Date(sentAt.getTime() - DAY) }));
    return db.cartReminder.create({
      data: { shop: SHOP, lineAccountId: account.id, checkoutId: checkout.id, friendId: friend.id, matchedBy: "cart", status: "sent", sentAt, dueAt: sentAt, retryKey: `key-${token}` },
    });
  }

  /** An order paid in `paid`, in a shop whose own currency is JPY: total_price is in yen, presentment_money is not. */
  function paidIn(token: string, paid: { amount: string; currency_code: string }, shopMoney: string) {
    return {
      ...orderPayload({ checkoutToken: token, createdAt: orderedAt, total: shopMoney, currency: "JPY" }),
      presentment_currency: paid.currency_code,
      total_price_set: { shop_money: { amount: shopMoney, currency_code: "JPY" }, presentment_money: paid },
    };
  }

  it("is what the shopper paid, in the currency paid, with that currency's decimals", async () => {
    await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
    const yen = await sentReminder("tok-jpy", "JPY");
    const dollars = await sentReminder("tok-usd", "USD");
    const dinars = await sentReminder("tok-kwd", "KWD");
    await recordOrder(SHOP, paidIn("tok-jpy", { amount: "2400.00", currency_code: "JPY" }, "2400.00"));
    await recordOrder(SHOP, paidIn("tok-usd", { amount: "12.34", currency_code: "USD" }, "1850.00"));
    await recordOrder(SHOP, paidIn("tok-kwd", { amount: "3.125", currency_code: "KWD" }, "1530.00"));

    const orders = await db.order.findMany({ orderBy: { currency: "asc" } });
    expect(orders.map((order) => [order.currency, order.totalPrice.toString()])).toEqual([["JPY", "2400"], ["KWD", "3.125"], ["USD", "12.34"]]);
    const recovered = async (id: string) => {
      const reminder = await db.cartReminder.findUniqueOrThrow({ where: { id } });
      return [reminder.recoveredCurrency, reminder.recoveredRevenue?.toString()];
    };
    expect([await recovered(yen.id), await recovered(dollars.id), await recovered(dinars.id)]).toEqual([["JPY", "2400"], ["USD", "12.34"], ["KWD", "3.125"]]);

    const { totals, recent } = await cartAnalytics(SHOP, { now: orderedAt });
    expect(totals.revenue.sort((a, b) => a.currency.localeCompare(b.currency))).toEqual([
      { currency: "JPY", amount: "2400" },
      { currency: "KWD", amount: "3.125" },
      { currency: "USD", amount: "12.34" },
    ]);
    expect(recent.map((r) => [r.recoveredCurrency, r.recoveredRevenue]).sort()).toEqual([["JPY", "2400"], ["KWD", "3.125"], ["USD", "12.34"]]);
  });

  it("labels an order without total_price_set with the shop's currency, in which total_price is", async () => {
    await sentReminder("tok-plain", "USD");
    const plain = { ...orderPayload({ checkoutToken: "tok-plain", createdAt: orderedAt, total: "1850.00", currency: "JPY" }), presentment_currency: "USD" };
    await recordOrder(SHOP, plain);
    expect(await db.order.findFirstOrThrow()).toMatchObject({ currency: "JPY" });
    expect(await db.cartReminder.findFirstOrThrow()).toMatchObject({ recoveredCurrency: "JPY" });
  });

  it("credits only a reminder sent before the order", async () => {
    const before = await sentReminder("tok-before", "JPY", new Date(orderedAt.getTime() - 1));
    const after = await sentReminder("tok-after", "JPY", new Date(orderedAt.getTime() + 60_000)); // the order's webhook came late
    await recordOrder(SHOP, orderPayload({ checkoutToken: "tok-before", createdAt: orderedAt }));
    await recordOrder(SHOP, orderPayload({ checkoutToken: "tok-after", createdAt: orderedAt }));
    expect((await db.cartReminder.findUniqueOrThrow({ where: { id: before.id } })).recoveredAt).toEqual(orderedAt);
    expect((await db.cartReminder.findUniqueOrThrow({ where: { id: after.id } })).recoveredAt).toBeNull();
  });
});
