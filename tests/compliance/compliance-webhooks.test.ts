// The mandatory compliance webhooks over real rows: each does its work and touches nothing else.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { createFriend, createLineAccount, createShop, enableCartReminders } from "../support/factories";
import { offlineSession, signedWebhook } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";
import { sessionStorage } from "~/shopify.server";

const SHOP = "compliance-a.myshopify.com";
const OTHER = "compliance-b.myshopify.com";
const args = (request: Request) => ({ request, params: {}, context: {} });

async function world(shop: string) {
  await createShop(db, { shop });
  await sessionStorage.storeSession(offlineSession(shop));
  const account = await createLineAccount(db, shop);
  await enableCartReminders(db, account);
  await db.followerImport.create({ data: { shop, lineAccountId: account.id, status: "done", imported: 2, finishedAt: new Date() } });
  const customer = await createFriend(db, account, { shopifyCustomerId: "7001", displayName: "Hanako" });
  const bystander = await createFriend(db, account, { shopifyCustomerId: "7002", displayName: "Taro" });
  // A checkout webhook stored earlier names the customer in its payload.
  await db.webhookReceipt.create({
    data: {
      shop, topic: "CHECKOUTS_CREATE", dedupeKey: `chk-${shop}-1`, webhookId: `chk-${shop}-1`, processedAt: new Date(),
      payload: { token: "c1", email: "hanako@example.com", customer: { id: 7001, email: "hanako@example.com" } },
    },
  });
  await db.webhookReceipt.create({
    data: {
      shop, topic: "CHECKOUTS_CREATE", dedupeKey: `chk-${shop}-2`, webhookId: `chk-${shop}-2`, processedAt: new Date(),
      payload: { token: "c2", email: "taro@example.com", customer: { id: 7002, email: "taro@example.com" } },
    },
  });
  const activity = async (friend: { id: string }, customerId: string, name: string) => {
    await db.message.create({ data: { shop, lineAccountId: account.id, friendId: friend.id, direction: "in", kind: "text", text: `${name}: where is my order?` } });
    const checkout = await db.checkout.create({
      data: {
        shop, token: `chk-${customerId}`, customerId, currency: "JPY", totalPrice: 3200, startedAt: new Date(), shopifyUpdatedAt: new Date(),
        lineItems: [{ title: `${name}'s matcha`, quantity: 1, price: "3200" }],
      },
    });
    const reminder = await db.cartReminder.create({
      data: { shop, lineAccountId: account.id, checkoutId: checkout.id, friendId: friend.id, matchedBy: "customer", dueAt: new Date(), status: "sent", retryKey: `rk-${shop}-${customerId}` },
    });
    await db.reminderLink.create({
      data: { code: `${customerId}-${shop}`, shop, reminderId: reminder.id, targetUrl: `https://${shop}/cart/${name}`, kind: "recovery" },
    });
  };
  await activity(customer, "7001", "Hanako");
  await activity(bystander, "7002", "Taro");
  return { account, customer, bystander };
}

/** What the shop holds of its customers' activity: messages, checkouts, reminders and their links, by customer. */
async function activityOf(shop: string) {
  const rows = await Promise.all([
    db.message.findMany({ where: { shop }, select: { text: true } }),
    db.checkout.findMany({ where: { shop }, select: { customerId: true } }),
    db.cartReminder.findMany({ where: { shop }, select: { checkout: { select: { customerId: true } } } }),
    db.reminderLink.findMany({ where: { shop }, select: { targetUrl: true } }),
  ]);
  const [messages, checkouts, reminders, links] = rows;
  return {
    messages: messages.map((m) => m.text).sort(),
    checkouts: checkouts.map((c) => c.customerId).sort(),
    reminders: reminders.map((r) => r.checkout.customerId).sort(),
    links: links.map((l) => l.targetUrl).sort(),
  };
}

async function deliverAndProcess(request: Request, run: (args: { request: Request; params: {}; context: {} }) => Promise<Response>) {
  expect((await run(args(request))).status).toBe(200);
  // The seeded receipts are processed already, so this waits for the new delivery alone.
  await withWorkers(() => waitUntil(async () => (await db.webhookReceipt.count({ where: { processedAt: null } })) === 0));
}

beforeEach(async () => {
  await db.checkout.deleteMany();
  await db.webhookReceipt.deleteMany();
  await db.customerDataExport.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  await db.session.deleteMany();
  await db.shop.deleteMany();
});

describe("customers/redact", () => {
  it("deletes the customer's friend link and scrubs payloads naming them, and nothing else", async () => {
    const a = await world(SHOP);
    const b = await world(OTHER);
    const body = { shop_id: 1, shop_domain: SHOP, customer: { id: 7001, email: "hanako@example.com", phone: null }, orders_to_redact: [] };
    await deliverAndProcess(signedWebhook({ topic: "customers/redact", shop: SHOP, body }), customersRedact);

    expect(await db.friend.findUnique({ where: { id: a.customer.id } })).toBeNull();
    expect(await db.friend.findUnique({ where: { id: a.bystander.id } })).not.toBeNull();
    expect(await db.friend.findUnique({ where: { id: b.customer.id } })).not.toBeNull(); // same id, other shop
    expect(await db.followerImport.count()).toBe(2); // no shopper data: kept
    const receipts = await db.webhookReceipt.findMany({ where: { topic: "CHECKOUTS_CREATE" }, orderBy: { dedupeKey: "asc" } });
    const byKey = Object.fromEntries(receipts.map((r) => [r.dedupeKey, r.payload]));
    expect(byKey[`chk-${SHOP}-1`]).toBeNull();
    expect(byKey[`chk-${SHOP}-2`]).toMatchObject({ token: "c2" });
    expect(byKey[`chk-${OTHER}-1`]).toMatchObject({ token: "c1" });

    expect(await activityOf(SHOP)).toEqual({
      messages: ["Taro: where is my order?"],
      checkouts: ["7002"],
      reminders: ["7002"],
      links: [`https://${SHOP}/cart/Taro`],
    });
    expect(await activityOf(OTHER)).toMatchObject({ checkouts: ["7001", "7002"], reminders: ["7001", "7002"] });
    expect((await activityOf(OTHER)).messages).toHaveLength(2);
    expect((await activityOf(OTHER)).links).toHaveLength(2);
  });
});

describe("customers/data_request", () => {
  it("stores an export of everything held about the customer", async () => {
    await world(SHOP);
    const body = {
      shop_id: 1, shop_domain: SHOP, orders_requested: [], data_request: { id: 9999 },
      customer: { id: 7001, email: "hanako@example.com", phone: null },
    };
    await deliverAndProcess(signedWebhook({ topic: "customers/data_request", shop: SHOP, body }), dataRequest);

    const exported = await db.customerDataExport.findFirstOrThrow({ where: { shop: SHOP, customerId: "7001" } });
    expect(exported.dataRequestId).toBe("9999");
    const data = exported.data as Record<string, unknown[]>;
    expect(data.Friend).toHaveLength(1);
    expect(data.Friend[0]).toMatchObject({ displayName: "Hanako" });
    expect(data.WebhookReceipt).toHaveLength(1);
    expect(data.Message).toEqual([expect.objectContaining({ direction: "in", text: "Hanako: where is my order?" })]);
    expect(data.Checkout).toEqual([expect.objectContaining({ token: "chk-7001" })]);
    expect(data.CartReminder).toEqual([expect.objectContaining({ status: "sent" })]);
    expect(data.ReminderLink).toEqual([expect.objectContaining({ targetUrl: `https://${SHOP}/cart/Hanako`, kind: "recovery" })]);
    expect(JSON.stringify(data)).not.toContain("Taro");
  });
});

describe("shop/redact", () => {
  it("deletes every row of the shop and leaves other shops alone", async () => {
    await world(SHOP);
    await world(OTHER);
    await deliverAndProcess(signedWebhook({ topic: "shop/redact", shop: SHOP, body: { shop_id: 1, shop_domain: SHOP } }), shopRedact);

    const counts = async (shop: string) => ({
      shop: await db.shop.count({ where: { shop } }),
      sessions: await db.session.count({ where: { shop } }),
      accounts: await db.lineAccount.count({ where: { shop } }),
      settings: await db.cartReminderSettings.count({ where: { shop } }),
      friends: await db.friend.count({ where: { shop } }),
      receipts: await db.webhookReceipt.count({ where: { shop } }),
      imports: await db.followerImport.count({ where: { shop } }),
    });
    expect(await counts(SHOP)).toEqual({ shop: 0, sessions: 0, accounts: 0, settings: 0, friends: 0, receipts: 0, imports: 0 });
    expect(await counts(OTHER)).toEqual({ shop: 1, sessions: 1, accounts: 1, settings: 1, friends: 2, receipts: 2, imports: 1 });
    expect(await activityOf(SHOP)).toEqual({ messages: [], checkouts: [], reminders: [], links: [] });
    expect(await activityOf(OTHER)).toMatchObject({ checkouts: ["7001", "7002"], reminders: ["7001", "7002"] });
    expect((await activityOf(OTHER)).links).toHaveLength(2);
  });
});
