// The stored checkout and order as the worker writes them: out-of-order checkout deliveries, completions carried
// by any delivery, and the attribution window of a recovered reminder.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { storeCheckout } from "~/abandoned-cart/checkouts.server";
import { recordOrder } from "~/abandoned-cart/orders.server";
import { checkoutPayload, orderPayload } from "../support/checkouts";
import { createFriend, createLineAccount } from "../support/factories";
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
