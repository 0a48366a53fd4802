// The receipt claim in jobs/processors/shopify-webhook.ts: one stored delivery does its work once, however many
// times its job runs (a stalled job taken up again, a sweeper re-queue).
import type { Job } from "bullmq";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { processShopifyWebhook } from "../../jobs/processors/shopify-webhook";
import { shopifyWebhookQueue, type ShopifyWebhookJob } from "../../jobs/queues";
import { createShop } from "../support/factories";
import { signedWebhook, TEST_SHOP_DOMAIN } from "../support/shopify";

beforeEach(async () => {
  await db.webhookReceipt.deleteMany();
  await db.customerDataExport.deleteMany();
  await db.shop.deleteMany();
  await shopifyWebhookQueue().obliterate({ force: true });
});

describe("processShopifyWebhook", () => {
  it("does the work of one receipt once when its job runs twice", async () => {
    await createShop(db, { shop: TEST_SHOP_DOMAIN });
    const body = { shop_id: 1, shop_domain: TEST_SHOP_DOMAIN, customer: { id: 7001 }, orders_requested: [], data_request: { id: 5 } };
    const response = await dataRequest({ request: signedWebhook({ topic: "customers/data_request", body }), params: {}, context: {} });
    expect(response.status).toBe(200);
    const receipt = await db.webhookReceipt.findFirstOrThrow();
    const job = { data: { receiptId: receipt.id } } as Job<ShopifyWebhookJob>;

    expect(await processShopifyWebhook(job)).toBe("processed");
    expect(await processShopifyWebhook(job)).toBe("already-processed");

    expect(await db.customerDataExport.count()).toBe(1);
    expect(await db.webhookReceipt.findUniqueOrThrow({ where: { id: receipt.id } })).toMatchObject({ attempts: 1 });
  });
});
