// customers/data_request and customers/redact over customer data stored by real webhook flows: the customer row,
// spend per currency, orders with their lines, and the customers/* receipts naming them.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { orderPayload } from "../support/customers";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { offlineSession, signedWebhook } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";

const SHOP = "compliance-data.myshopify.com";

async function deliver(topic: string, body: unknown) {
  const route = await import(`../../app/routes/webhooks.${topic.replace("/", ".")}.tsx`);
  const response: Response = await route.action({ request: signedWebhook({ topic, shop: SHOP, body }), params: {}, context: {} });
  expect(response.status).toBe(200);
  await waitUntil(async () => (await db.webhookReceipt.count({ where: { processedAt: null, failedAt: null } })) === 0);
}

const customer = (id: number, name: string) => ({
  id, first_name: name, last_name: "Sato", email: `${name.toLowerCase()}@example.com`, phone: "+81312345678", tags: "LINE",
  updated_at: "2026-11-02T00:00:00Z", default_address: { country_code: "JP", province_code: "JP-01" },
});

beforeEach(async () => {
  for (const table of [db.webhookReceipt, db.customerDataExport, db.order, db.customer, db.friend, db.lineAccount] as { deleteMany: () => Promise<unknown> }[]) {
    await table.deleteMany();
  }
  await createShop(db, { shop: SHOP });
  await sessionStorage.storeSession(offlineSession(SHOP));
  const account = await createLineAccount(db, SHOP);
  for (const id of ["7001", "7002"]) {
    await createFriend(db, account, { shopifyCustomerId: id });
    await db.customer.create({ data: { shop: SHOP, customerId: id, importStatus: "done" } });
  }
  await withWorkers(async () => {
    await deliver("customers/update", customer(7001, "Hanako"));
    await deliver("customers/update", customer(7002, "Taro"));
    await deliver("orders/create", orderPayload({ id: 901, customerId: "7001", updatedAt: "2026-11-03T00:00:00Z", total: "4200.00" }));
    await deliver("orders/create", orderPayload({ id: 902, customerId: "7002", updatedAt: "2026-11-03T00:00:00Z", total: "1100.00" }));
  });
});

describe("compliance over customer data", () => {
  it("exports the customer, their spend, orders and lines, and the customers/update receipts naming them", async () => {
    const body = { shop_id: 1, shop_domain: SHOP, orders_requested: [901], data_request: { id: 77 }, customer: { id: 7001, email: "hanako@example.com" } };
    await withWorkers(() => deliver("customers/data_request", body));
    const exported = await db.customerDataExport.findFirstOrThrow({ where: { shop: SHOP, customerId: "7001" } });
    const data = exported.data as Record<string, Record<string, unknown>[]>;
    expect(data.Customer).toEqual([expect.objectContaining({ firstName: "Hanako", hasEmail: true, hasPhone: true, provinceCode: "JP-01", ordersCount: 1 })]);
    expect(data.CustomerSpend).toEqual([expect.objectContaining({ currency: "JPY", orders: 1 })]);
    expect(data.Order).toEqual([expect.objectContaining({ orderId: "901", financialStatus: "paid", utmSource: "line", discountCodes: ["WINTER"] })]);
    expect(data.OrderLine).toEqual([expect.objectContaining({ productId: "801", title: "Sencha", quantity: 2 })]);
    expect(data.WebhookReceipt.map((r) => r.topic).sort()).toEqual(["CUSTOMERS_UPDATE", "ORDERS_CREATE"]);
    expect(JSON.stringify(data)).not.toContain("Taro");
  });

  it("redacts the customer's row, spend, orders, lines and receipts, and nobody else's", async () => {
    const body = { shop_id: 1, shop_domain: SHOP, orders_to_redact: [901], customer: { id: 7001, email: "hanako@example.com" } };
    await withWorkers(() => deliver("customers/redact", body));
    expect(await db.customer.findMany({ where: { shop: SHOP }, select: { customerId: true } })).toEqual([{ customerId: "7002" }]);
    expect(await db.customerSpend.count()).toBe(1);
    expect(await db.order.findMany({ where: { shop: SHOP }, select: { orderId: true } })).toEqual([{ orderId: "902" }]);
    expect(await db.orderLine.count()).toBe(1);
    const receipts = await db.webhookReceipt.findMany({ where: { topic: "CUSTOMERS_UPDATE" }, select: { payload: true } });
    expect(receipts.map((r) => (r.payload as { first_name?: string } | null)?.first_name ?? null).sort()).toEqual(["Taro", null]);
  });
});
