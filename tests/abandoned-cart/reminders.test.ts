// かご落ちLINE end to end: signed checkout/order webhooks → receipts → worker → scheduled reminder → push to the
// LINE fake, with the Admin API answered by a fake for product images.
import { beforeEach, describe, expect, it } from "vitest";
import type { messagingApi } from "@line/bot-sdk";
import { db } from "~/db.server";
import { cancelAccountReminders } from "~/abandoned-cart/reminders.server";
import { sendCartReminder } from "~/abandoned-cart/send.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as checkoutsUpdate } from "~/routes/webhooks.checkouts.update";
import { action as ordersCreate } from "~/routes/webhooks.orders.create";
import { loader as reminderLink } from "~/routes/r.$code";
import { sessionStorage, unauthenticated } from "~/shopify.server";
import { cartReminderQueue, shopifyWebhookQueue } from "../../jobs/queues";
import { checkoutPayload, orderPayload } from "../support/checkouts";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { adminFake } from "../support/shopify-admin-fake";
import { offlineSession, signedWebhook, TEST_SHOP_DOMAIN } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";

const admin = adminFake();

const args = (request: Request) => ({ request, params: {}, context: {} });
const HOUR = 3_600_000;

async function world(settings: Record<string, unknown> = {}, options: { customerId?: string } = {}) {
  await createShop(db, { shop: TEST_SHOP_DOMAIN, timeZone: "Asia/Tokyo" });
  await sessionStorage.storeSession(offlineSession());
  const connected = await connectedAccount(db, TEST_SHOP_DOMAIN);
  await db.cartReminderSettings.create({ data: { lineAccountId: connected.account.id, shop: TEST_SHOP_DOMAIN, enabled: true, ...settings } });
  const userId = lineUserId();
  const friend = await db.friend.create({
    data: { shop: TEST_SHOP_DOMAIN, lineAccountId: connected.account.id, lineUserId: userId, followStatus: "following", shopifyCustomerId: options.customerId ?? null },
  });
  return { ...connected, friend };
}

async function linkCart(friend: { id: string; lineAccountId: string }, cartToken: string) {
  await db.cartLink.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: friend.lineAccountId, friendId: friend.id, cartToken } });
}

async function deliver(topic: string, body: unknown, extra: { webhookId?: string } = {}) {
  const route = topic === "checkouts/create" ? checkoutsCreate : topic === "checkouts/update" ? checkoutsUpdate : ordersCreate;
  const response = await route(args(signedWebhook({ topic, body, ...extra })));
  expect(response.status).toBe(200);
}

const receiptsDone = () => waitUntil(async () => (await db.webhookReceipt.count({ where: { processedAt: null, failedAt: null } })) === 0);
const reminderSettled = () =>
  waitUntil(async () => (await db.cartReminder.count({ where: { status: { in: ["scheduled", "sending"] }, dueAt: { lte: new Date() } } })) === 0);
const pushes = (channelId: string) => lineFake().sent(channelId).filter((delivery) => delivery.kind === "push");

beforeEach(async () => {
  for (const table of ["reminderLink", "cartReminder", "checkout", "order", "cartLink", "friendTag", "tag", "friend", "cartReminderSettings", "lineAccount", "webhookReceipt", "productImage"] as const) {
    await (db[table] as { deleteMany: () => Promise<unknown> }).deleteMany();
  }
  await cartReminderQueue().obliterate({ force: true });
  await shopifyWebhookQueue().obliterate({ force: true });
  lineFake().reset();
  admin.products.clear();
  admin.calls.length = 0;
  admin.products.set("1001", { id: "1001", handle: "sencha", imageUrl: "https://cdn.shopify.com/s/files/sencha.jpg", variants: { "2001": null } });
});

describe("scheduling", () => {
  it.each([0, 60, 360, 600, 1440])("schedules one job due %i minutes after the checkout started", async (delayMinutes) => {
    const { friend } = await world({ delayMinutes });
    const startedAt = new Date(Date.now() - 5 * 60_000);
    await linkCart(friend, "cartdelay0001");
    const checkout = { token: `tok-delay-${delayMinutes}`, cartToken: "cartdelay0001", createdAt: startedAt };
    await deliver("checkouts/create", checkoutPayload(checkout));
    await deliver("checkouts/update", checkoutPayload({ ...checkout, updatedAt: new Date() }));
    await withWorkers(receiptsDone);
    const reminder = await db.cartReminder.findFirstOrThrow();
    expect(reminder.dueAt.getTime()).toBe(startedAt.getTime() + delayMinutes * 60_000);
    const jobs = await cartReminderQueue().getJobs(["delayed", "waiting", "completed", "active"]);
    expect([...new Set(jobs.map((job) => job.id))]).toEqual([`reminder-${reminder.id}`]);
  });

  it("never adds a second reminder for updates, duplicates or out-of-order deliveries", async () => {
    const { friend } = await world({ delayMinutes: 600 });
    await linkCart(friend, "cartdupl00001");
    const started = new Date(Date.now() - 60_000);
    const base = { token: "tok-dup", cartToken: "cartdupl00001", createdAt: started };
    const newer = checkoutPayload({ ...base, updatedAt: new Date(started.getTime() + 30_000), items: [{ title: "玉露", price: "3000", quantity: 1 }] });
    const older = checkoutPayload({ ...base, updatedAt: new Date(started.getTime() + 10_000), items: [{ title: "古い", price: "1", quantity: 9 }] });
    await deliver("checkouts/create", checkoutPayload(base), { webhookId: "wh-1" });
    await deliver("checkouts/create", checkoutPayload(base), { webhookId: "wh-1" }); // Shopify's retry
    await deliver("checkouts/update", newer);
    await deliver("checkouts/update", older); // arrives late
    await withWorkers(receiptsDone);
    expect(await db.cartReminder.count()).toBe(1);
    expect(await cartReminderQueue().count()).toBe(1);
    const checkout = await db.checkout.findFirstOrThrow();
    expect((checkout.lineItems as { title: string }[]).map((item) => item.title)).toEqual(["玉露"]);
  });

  it("schedules nothing when reminders are off or the checkout has no LINE friend", async () => {
    const { friend } = await world({ enabled: false });
    await linkCart(friend, "cartoff000001");
    await deliver("checkouts/create", checkoutPayload({ cartToken: "cartoff000001" }));
    await deliver("checkouts/create", checkoutPayload({ cartToken: "unlinkedcart1" }));
    await withWorkers(receiptsDone);
    expect(await db.cartReminder.count()).toBe(0);
    expect(await db.checkout.count()).toBe(2);
  });

  it("matches by the logged-in customer when the cart is not linked", async () => {
    await world({ delayMinutes: 60 }, { customerId: "5555" });
    await deliver("checkouts/create", checkoutPayload({ cartToken: "someothercart", customerId: 5555 }));
    await withWorkers(receiptsDone);
    expect(await db.cartReminder.findFirstOrThrow()).toMatchObject({ matchedBy: "customer", status: "scheduled" });
  });

  it("cancels what is scheduled when reminders are turned off", async () => {
    const { friend, account } = await world({ delayMinutes: 600 });
    await linkCart(friend, "cartcancel001");
    await deliver("checkouts/create", checkoutPayload({ cartToken: "cartcancel001" }));
    await withWorkers(receiptsDone);
    expect(await cancelAccountReminders(account.shop, account.id, "disabled")).toBe(1);
    expect(await db.cartReminder.findFirstOrThrow()).toMatchObject({ status: "cancelled", skipReason: "disabled" });
    expect(await cartReminderQueue().count()).toBe(0);
  });
});

describe("sending", () => {
  async function dueCheckout(friend: { id: string; lineAccountId: string }, options: Parameters<typeof checkoutPayload>[0] = {}) {
    const cartToken = options.cartToken ?? `cart${Math.random().toString(36).slice(2, 12)}`;
    await linkCart(friend, cartToken!);
    const payload = checkoutPayload({ createdAt: new Date(Date.now() - 11 * HOUR), ...options, cartToken });
    await deliver("checkouts/create", payload);
    return payload;
  }

  it("pushes the Flex reminder with tracked links that keep the UTM parameters, then applies the tags", async () => {
    const { friend, channel } = await world({ tagsToAdd: ["かご落ち送信済み"], tagsToRemove: ["カート放置"] });
    await db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name: "カート放置", friends: { create: { friendId: friend.id, shop: TEST_SHOP_DOMAIN } } } });
    await dueCheckout(friend, {
      items: [
        { productId: 1001, variantId: 2001, title: "煎茶 100g", variantTitle: "缶入り", quantity: 2, price: "1200" },
        { productId: 1002, variantId: 2002, title: "玉露", quantity: 1, price: "3000" },
        { productId: 1003, variantId: 2003, title: "ほうじ茶", quantity: 1, price: "800" },
        { productId: 1004, variantId: 2004, title: "抹茶", quantity: 1, price: "2500" },
      ],
    });
    await withWorkers(async () => {
      await receiptsDone();
      await reminderSettled();
    });

    const [push] = pushes(channel.channelId);
    expect(push.to).toEqual([friend.lineUserId]);
    const message = push.messages[0] as messagingApi.FlexMessage;
    const json = JSON.stringify(message);
    expect(json).toContain("煎茶 100g");
    expect(json).toContain("ほか2点の商品"); // the 3rd-item text with {count}
    expect(json).not.toContain("ほうじ茶");
    expect(json).toContain("https://cdn.shopify.com/s/files/sencha.jpg");

    const reminder = await db.cartReminder.findFirstOrThrow({ include: { links: true } });
    expect(reminder).toMatchObject({ status: "sent", matchedBy: "cart" });
    expect(push.retryKey).toBe(reminder.retryKey);
    const recovery = reminder.links.find((l) => l.kind === "recovery")!;
    expect(recovery.targetUrl).toMatch(/\/checkouts\/[0-9a-f]+\/recover\?key=abc123&utm_source=line&utm_medium=abandoned_cart&utm_campaign=recover$/);
    const product = reminder.links.find((l) => l.kind === "product")!;
    expect(product.targetUrl).toBe(`https://${TEST_SHOP_DOMAIN}/products/sencha?variant=2001&utm_source=line&utm_medium=abandoned_cart&utm_campaign=recover`);
    expect(json).toContain(`/r/${recovery.code}`);

    const click = await reminderLink({ request: new Request(`https://x/r/${recovery.code}`), params: { code: recovery.code }, context: {} });
    expect(click.status).toBe(302);
    expect(click.headers.get("location")).toBe(recovery.targetUrl);
    expect(await db.cartReminder.findFirstOrThrow()).toMatchObject({ clicks: 1 });

    const tags = await db.friendTag.findMany({ where: { friendId: friend.id }, include: { tag: true } });
    expect(tags.map((t) => t.tag.name)).toEqual(["かご落ち送信済み"]);
  });

  it("skips, recording why, when the friend blocked the account or staff blocked them", async () => {
    const { friend, channel, account } = await world();
    const blocked = await db.friend.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, lineUserId: lineUserId(), followStatus: "following", operatorBlockedAt: new Date() } });
    await db.friend.update({ where: { id: friend.id }, data: { followStatus: "blocked" } });
    await dueCheckout(friend);
    await dueCheckout(blocked);
    await withWorkers(async () => {
      await receiptsDone();
      await reminderSettled();
    });
    expect(pushes(channel.channelId)).toEqual([]);
    expect((await db.cartReminder.findMany({ orderBy: { skipReason: "asc" } })).map((r) => [r.status, r.skipReason])).toEqual([
      ["skipped", "not-following"],
      ["skipped", "operator-blocked"],
    ]);
  });

  it("sends nothing for a checkout completed before the due time, and cancels on orders/create", async () => {
    const { friend, channel } = await world({ delayMinutes: 600 });
    await linkCart(friend, "cartdone00001");
    const started = new Date(Date.now() - 60_000);
    await deliver("checkouts/create", checkoutPayload({ token: "tok-done", cartToken: "cartdone00001", createdAt: started }));
    await withWorkers(receiptsDone);
    expect(await db.cartReminder.findFirstOrThrow()).toMatchObject({ status: "scheduled" });
    await deliver("orders/create", orderPayload({ checkoutToken: "tok-done" }));
    await withWorkers(receiptsDone);
    expect(await db.cartReminder.findFirstOrThrow()).toMatchObject({ status: "cancelled", skipReason: "purchased" });
    expect(await cartReminderQueue().count()).toBe(0);
    expect(await db.checkout.findFirstOrThrow()).toMatchObject({ orderId: expect.any(String) });
    expect(pushes(channel.channelId)).toEqual([]);

    // completed_at on an update does the same for another checkout.
    await linkCart(friend, "cartdone00002");
    await deliver("checkouts/create", checkoutPayload({ token: "tok-done2", cartToken: "cartdone00002", createdAt: started }));
    await deliver("checkouts/update", checkoutPayload({ token: "tok-done2", cartToken: "cartdone00002", createdAt: started, updatedAt: new Date(), completedAt: new Date() }));
    await withWorkers(receiptsDone);
    // Whichever of the two deliveries the worker handles first, nothing stays scheduled for a completed checkout.
    expect(await db.cartReminder.count({ where: { status: "scheduled" } })).toBe(0);
    expect((await db.checkout.findFirstOrThrow({ where: { token: "tok-done2" } })).purchasedAt).not.toBeNull();
    expect(pushes(channel.channelId)).toEqual([]);
  });

  it("marks an order after the reminder as recovered, with its revenue, within the attribution window", async () => {
    const { friend } = await world({ attributionDays: 7 });
    const payload = await dueCheckout(friend);
    await withWorkers(async () => {
      await receiptsDone();
      await reminderSettled();
    });
    await deliver("orders/create", orderPayload({ checkoutToken: payload.token, total: "2400" }));
    await withWorkers(receiptsDone);
    const reminder = await db.cartReminder.findFirstOrThrow();
    expect(reminder.recoveredAt).not.toBeNull();
    expect(reminder.recoveredRevenue?.toString()).toBe("2400");
  });

  it("defers a reminder due in quiet hours to the end of the window", async () => {
    const { friend } = await world({ delayMinutes: 600, quietHoursEnabled: true, quietStart: "22:00", quietEnd: "08:00" });
    await dueCheckout(friend, { createdAt: new Date() }); // not due yet: the worker leaves it alone
    await withWorkers(receiptsDone);
    const reminder = await db.cartReminder.findFirstOrThrow();
    const at2300Tokyo = new Date("2026-11-21T14:00:00Z");
    const outcome = await sendCartReminder(reminder.id, async () => async () => Response.json({}), at2300Tokyo);
    expect(outcome).toEqual({ status: "deferred", until: new Date("2026-11-21T23:00:00Z") });
    expect((await db.cartReminder.findFirstOrThrow()).dueAt).toEqual(new Date("2026-11-21T23:00:00Z"));
  });

  it("retries 5xx with the same retry key and LINE accepts the push once", async () => {
    const { friend, channel } = await world();
    lineFake().failNext(2, { status: 500, path: "/v2/bot/message/push" });
    await dueCheckout(friend);
    await withWorkers(async () => {
      await receiptsDone();
      await waitUntil(async () => (await db.cartReminder.findFirst({ where: { status: "sent" } })) !== null, 20_000);
    });
    const attempts = lineFake().requests.filter((r) => r.path === "/v2/bot/message/push");
    expect(attempts.map((r) => r.status)).toEqual([500, 500, 200]);
    expect(new Set(attempts.map((r) => r.headers["x-line-retry-key"])).size).toBe(1);
    expect(pushes(channel.channelId)).toHaveLength(1);
  });

  it("waits out a 429 and then sends", async () => {
    const { friend, channel } = await world();
    lineFake().failNext(1, { status: 429, path: "/v2/bot/message/push", body: { message: "Too many requests" } });
    await dueCheckout(friend);
    await withWorkers(async () => {
      await receiptsDone();
      await waitUntil(async () => (await db.cartReminder.findFirst({ where: { status: "sent" } })) !== null, 20_000);
    });
    expect(lineFake().requests.filter((r) => r.path === "/v2/bot/message/push").map((r) => r.status)).toEqual([429, 200]);
    expect(pushes(channel.channelId)).toHaveLength(1);
    expect((await db.cartReminder.findFirstOrThrow()).attempts).toBe(2);
  });

  it("pauses only the channel LINE answered 429: another merchant's reminder goes out meanwhile", async () => {
    const { friend, channel } = await world({ delayMinutes: 600 });
    const other = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "Osaka Store" });
    await db.cartReminderSettings.create({ data: { lineAccountId: other.account.id, shop: TEST_SHOP_DOMAIN, enabled: true, delayMinutes: 600 } });
    const otherFriend = await db.friend.create({
      data: { shop: TEST_SHOP_DOMAIN, lineAccountId: other.account.id, lineUserId: lineUserId(), followStatus: "following" },
    });
    await dueCheckout(friend, { createdAt: new Date() }); // not due for 10 hours: sent by hand below
    await dueCheckout(otherFriend, { createdAt: new Date() });
    await withWorkers(receiptsDone);
    const reminderOf = async (lineAccountId: string) => (await db.cartReminder.findFirstOrThrow({ where: { lineAccountId } })).id;
    const [first, second] = [await reminderOf(friend.lineAccountId), await reminderOf(other.account.id)];
    const images = async () => {
      const { admin: client } = await unauthenticated.admin(TEST_SHOP_DOMAIN);
      return (query: string, options?: { variables?: Record<string, unknown> }) => client.graphql(query, options);
    };

    lineFake().failNext(1, { status: 429, path: "/v2/bot/message/push" });
    const throttled = await sendCartReminder(first, images);
    expect(throttled.status).toBe("throttled");
    expect(await sendCartReminder(second, images)).toEqual({ status: "sent" });
    const pushStatuses = () => lineFake().requests.filter((r) => r.path === "/v2/bot/message/push").map((r) => r.status);
    // The first channel stays paused without asking LINE again; its reminder keeps its retry key for later. (Only
    // while the pause lasts: on a machine so busy that it ended already, the next send may rightly go out.)
    const pausedUntil = (throttled as { until: Date }).until.getTime();
    const again = await sendCartReminder(first, images);
    if (Date.now() < pausedUntil) {
      expect(again.status).toBe("throttled");
      expect(pushStatuses()).toEqual([429, 200]);
    }
    expect(pushes(other.channel.channelId)).toHaveLength(1);

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, pausedUntil - Date.now() + 50)));
    if (again.status === "throttled") expect(await sendCartReminder(first, images)).toEqual({ status: "sent" });
    expect(pushStatuses()).toEqual([429, 200, 200]);
    expect(pushes(channel.channelId)).toHaveLength(1);
  });

  it("stores LINE's reason when it answers 400, and stops for the month when the quota is used up", async () => {
    const { friend, channel, account } = await world();
    const invalid = await db.friend.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, lineUserId: "Unot-a-real-user", followStatus: "following" } });
    await dueCheckout(invalid);
    await withWorkers(async () => {
      await receiptsDone();
      await reminderSettled();
    });
    expect(await db.cartReminder.findFirstOrThrow()).toMatchObject({ status: "failed", error: expect.stringMatching(/^400 /) });

    lineFake().channel(channel.channelId).quota = { type: "limited", value: 0 };
    await dueCheckout(friend);
    await withWorkers(async () => {
      await receiptsDone();
      await reminderSettled();
    });
    expect(await db.cartReminder.findFirstOrThrow({ where: { friendId: friend.id } })).toMatchObject({ status: "skipped", skipReason: "quota-exhausted" });
    expect((await db.cartReminderSettings.findFirstOrThrow()).quotaExhaustedAt).not.toBeNull();
  });
});
