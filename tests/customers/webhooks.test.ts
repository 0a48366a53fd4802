// orders/*, refunds/create and customers/* webhooks, signed as Shopify signs them, through their routes, the
// receipt inbox and the worker: each changes the stored data and the linked customer's figures.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sweepCustomers } from "~/customers/sync.server";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { orderPayload } from "../support/customers";
import { offlineSession, signedWebhook } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";
import { sessionStorage } from "~/shopify.server";

const SHOP = "orders-a.myshopify.com";
const OTHER = "orders-b.myshopify.com";

async function deliver(topic: string, body: unknown, shop = SHOP) {
  const route = await import(`../../app/routes/webhooks.${topic.replace("/", ".")}.tsx`);
  const response: Response = await route.action({ request: signedWebhook({ topic, shop, body }), params: {}, context: {} });
  expect(response.status).toBe(200);
  await waitUntil(async () => (await db.webhookReceipt.count({ where: { processedAt: null, failedAt: null } })) === 0);
}

async function figures(customerId = "7001", shop = SHOP) {
  const customer = await db.customer.findUnique({
    where: { shop_customerId: { shop, customerId } },
    include: { spend: { orderBy: { currency: "asc" } } },
  });
  if (!customer) return null;
  return {
    ordersCount: customer.ordersCount,
    lastOrderAt: customer.lastOrderAt?.toISOString() ?? null,
    spend: customer.spend.map((s) => `${s.currency} ${s.totalSpent.toString()} / ${s.orders}`),
  };
}

beforeEach(async () => {
  await db.webhookReceipt.deleteMany();
  await db.order.deleteMany();
  await db.customer.deleteMany();
  await db.friend.deleteMany();
  for (const shop of [SHOP, OTHER]) {
    await createShop(db, { shop });
    await sessionStorage.storeSession(offlineSession(shop));
  }
  const account = await createLineAccount(db, SHOP);
  await createFriend(db, account, { shopifyCustomerId: "7001" });
  // Imported already: these tests are about webhooks.
  await db.customer.create({ data: { shop: SHOP, customerId: "7001", importStatus: "done" } });
});

describe("orders webhooks", () => {
  it("create, paid, updated, cancelled and refunds change the order and the figures; currency kept per order", async () => {
    await withWorkers(async () => {
      await deliver("orders/create", orderPayload({ id: 501, total: "3200.00", updatedAt: "2026-11-01T01:00:00Z", financialStatus: "pending" }));
      expect(await figures()).toEqual({ ordersCount: 1, lastOrderAt: "2026-11-01T01:00:00.000Z", spend: ["JPY 3200 / 1"] });
      const lines = await db.orderLine.findMany({ where: { shop: SHOP } });
      expect(lines).toEqual([expect.objectContaining({ productId: "801", variantId: "901", title: "Sencha", quantity: 2 })]);

      await deliver("orders/paid", orderPayload({ id: 501, total: "3200.00", updatedAt: "2026-11-01T01:05:00Z", financialStatus: "paid" }));
      expect(await db.order.findFirst({ where: { shop: SHOP, orderId: "501" } })).toMatchObject({ financialStatus: "paid", utmSource: "line", discountCodes: ["WINTER"] });

      await deliver("orders/create", orderPayload({ id: 502, total: "25.50", currency: "USD", updatedAt: "2026-11-02T01:00:00Z", createdAt: "2026-11-02T10:00:00+09:00" }));
      expect((await figures())?.spend).toEqual(["JPY 3200 / 1", "USD 25.5 / 1"]);

      // An edit lowered the total; then a refund of 200, delivered twice.
      await deliver("orders/updated", orderPayload({ id: 501, total: "3000.00", updatedAt: "2026-11-03T00:00:00Z", fulfillmentStatus: "fulfilled" }));
      const refund = { id: 9001, order_id: 501, transactions: [{ kind: "refund", status: "success", amount: "200.00" }] };
      await deliver("refunds/create", refund);
      await deliver("refunds/create", refund);
      expect((await figures())?.spend).toEqual(["JPY 2800 / 1", "USD 25.5 / 1"]);
      expect(await db.order.findFirst({ where: { shop: SHOP, orderId: "501" } })).toMatchObject({ fulfillmentStatus: "fulfilled" });

      // An older orders/updated arriving late regresses nothing, and does not drop the refund.
      await deliver("orders/updated", orderPayload({ id: 501, total: "3200.00", updatedAt: "2026-11-01T02:00:00Z", financialStatus: "pending" }));
      const order = await db.order.findFirstOrThrow({ where: { shop: SHOP, orderId: "501" } });
      expect(order).toMatchObject({ financialStatus: "paid", fulfillmentStatus: "fulfilled" });
      expect(order.totalPrice.toString()).toBe("3000");
      expect(order.refunded.toString()).toBe("200");
      expect(order.refunds).toEqual({ "9001": "200.0000" });

      // A later orders/updated listing the refund itself counts it once.
      await deliver("orders/updated", orderPayload({ id: 501, total: "3000.00", updatedAt: "2026-11-04T00:00:00Z", refunds: [{ id: 9001, amount: "200.00" }], fulfillmentStatus: "fulfilled", financialStatus: "partially_refunded" }));
      expect((await figures())?.spend).toEqual(["JPY 2800 / 1", "USD 25.5 / 1"]);

      await deliver("orders/cancelled", orderPayload({ id: 502, total: "25.50", currency: "USD", updatedAt: "2026-11-05T00:00:00Z", cancelledAt: "2026-11-05T00:00:00Z", createdAt: "2026-11-02T10:00:00+09:00" }));
      expect(await figures()).toEqual({ ordersCount: 1, lastOrderAt: "2026-11-01T01:00:00.000Z", spend: ["JPY 2800 / 1"] });
    });
  });

  it("keeps an unlinked buyer's order for cart recovery, without customer data or lines; another shop's ids touch nothing", async () => {
    await withWorkers(async () => {
      await deliver("orders/create", orderPayload({ id: 601, customerId: "8001", updatedAt: "2026-11-01T01:00:00Z" }));
      // The same customer id at another shop where nobody linked it.
      await deliver("orders/create", orderPayload({ id: 602, customerId: "7001", updatedAt: "2026-11-01T01:00:00Z" }), OTHER);
      await deliver("customers/update", { id: 7001, first_name: "Mallory", updated_at: "2026-11-09T00:00:00Z" }, OTHER);
    });
    expect(await db.order.count({ where: { shop: SHOP, orderId: "601" } })).toBe(1);
    expect(await db.order.count({ where: { shop: OTHER, orderId: "602" } })).toBe(1);
    expect(await db.customer.count({ where: { customerId: "8001" } })).toBe(0);
    expect(await db.customer.count({ where: { shop: OTHER } })).toBe(0);
    expect(await db.orderLine.count()).toBe(0);
    expect(await figures()).toMatchObject({ ordersCount: 0, spend: [] });
  });
});

describe("customers webhooks", () => {
  it("update the linked customer (older updates ignored), delete removes their data", async () => {
    const customer = {
      id: 7001, first_name: "Hanako", last_name: "Yamada", email: "hanako@example.com", phone: null, tags: "LINE, vip",
      email_marketing_consent: { state: "subscribed" }, sms_marketing_consent: null,
      default_address: { country_code: "JP", province_code: "JP-27" }, updated_at: "2026-11-02T00:00:00Z",
    };
    await withWorkers(async () => {
      await deliver("customers/update", customer);
      await deliver("customers/update", { ...customer, first_name: "Old", updated_at: "2026-11-01T00:00:00Z" });
      await deliver("customers/create", { id: 8001, first_name: "Unlinked", updated_at: "2026-11-01T00:00:00Z" });
    });
    expect(await db.customer.findFirst({ where: { shop: SHOP, customerId: "7001" } })).toMatchObject({
      firstName: "Hanako", displayName: "Hanako Yamada", hasEmail: true, hasPhone: false, tags: ["LINE", "vip"],
      emailMarketing: "SUBSCRIBED", countryCode: "JP", provinceCode: "JP-27",
    });
    expect(await db.customer.count({ where: { customerId: "8001" } })).toBe(0);

    await withWorkers(async () => {
      await deliver("orders/create", orderPayload({ id: 701, updatedAt: "2026-11-03T00:00:00Z" }));
      await deliver("customers/delete", { id: 7001 });
    });
    expect(await db.customer.count({ where: { shop: SHOP } })).toBe(0);
    expect(await db.customerSpend.count()).toBe(0);
    expect(await db.orderLine.count()).toBe(0);
  });

  it("deletes a customer's data when no friend references it any more", async () => {
    await withWorkers(() => deliver("orders/create", orderPayload({ id: 801, updatedAt: "2026-11-03T00:00:00Z" })));
    expect(await db.orderLine.count()).toBe(1);
    expect(await sweepCustomers()).toMatchObject({ deleted: 0 });
    await db.friend.updateMany({ where: { shop: SHOP }, data: { shopifyCustomerId: null } });
    expect(await sweepCustomers()).toMatchObject({ deleted: 1 });
    expect(await db.customer.count()).toBe(0);
    expect(await db.customerSpend.count()).toBe(0);
    expect(await db.orderLine.count()).toBe(0);
    expect(await db.order.count({ where: { shop: SHOP, orderId: "801" } })).toBe(1); // kept, as any buyer's order
  });
});

describe("the hourly sweep", () => {
  it("queues again an import that failed an hour ago, but not one of a customer Shopify no longer has", async () => {
    const { retryFailedImports } = await import("~/customers/sync.server");
    const account = await db.lineAccount.findFirstOrThrow({ where: { shop: SHOP } });
    await createFriend(db, account, { shopifyCustomerId: "7002" });
    const longAgo = new Date(Date.now() - 2 * 3_600_000);
    await db.customer.update({ where: { shop_customerId: { shop: SHOP, customerId: "7001" } }, data: { importStatus: "failed", importError: "HTTP 503" } });
    await db.customer.create({ data: { shop: SHOP, customerId: "7002", importStatus: "failed", importError: "not-found" } });
    await db.$executeRaw`UPDATE "Customer" SET "updatedAt" = ${longAgo} WHERE "shop" = ${SHOP}`;
    expect(await retryFailedImports()).toEqual([SHOP]);
    const rows = await db.customer.findMany({ where: { shop: SHOP }, orderBy: { customerId: "asc" }, select: { importStatus: true } });
    expect(rows.map((row) => row.importStatus)).toEqual(["pending", "failed"]);
  });
});
