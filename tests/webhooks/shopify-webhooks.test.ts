// Shopify webhooks through the real routes, PostgreSQL, Redis and worker.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as scopesUpdate } from "~/routes/webhooks.app.scopes_update";
import { shopifyWebhookQueue } from "../../jobs/queues";
import { createShop } from "../support/factories";
import { offlineSession, signedWebhook, TEST_SHOP_DOMAIN } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";
import { sessionStorage } from "~/shopify.server";

const args = (request: Request) => ({ request, params: {}, context: {} });

async function post(request: Request) {
  try {
    return await uninstalled(args(request));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

beforeEach(async () => {
  await db.webhookReceipt.deleteMany();
  await db.session.deleteMany();
  await db.shop.deleteMany();
  await shopifyWebhookQueue().obliterate({ force: true });
});

describe("app/uninstalled", () => {
  it("is acknowledged once stored and queued, and processed by the worker", async () => {
    await createShop(db, { shop: TEST_SHOP_DOMAIN });
    await sessionStorage.storeSession(offlineSession());
    const request = signedWebhook({ topic: "app/uninstalled", body: { id: 1, domain: TEST_SHOP_DOMAIN } });

    const response = await post(request);

    expect(response.status).toBe(200);
    const receipt = await db.webhookReceipt.findFirstOrThrow();
    expect(receipt).toMatchObject({ shop: TEST_SHOP_DOMAIN, topic: "APP_UNINSTALLED", processedAt: null });
    expect(receipt.enqueuedAt).not.toBeNull();
    expect(await shopifyWebhookQueue().getJobCounts("waiting")).toEqual({ waiting: 1 });

    await withWorkers(() =>
      waitUntil(async () => (await db.webhookReceipt.findUniqueOrThrow({ where: { id: receipt.id } })).processedAt),
    );
    const shop = await db.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP_DOMAIN } });
    expect(shop.uninstalledAt).not.toBeNull();
    expect(await db.session.count({ where: { shop: TEST_SHOP_DOMAIN } })).toBe(0);
  });

  it("processes the same delivery once", async () => {
    await createShop(db, { shop: TEST_SHOP_DOMAIN });
    const delivery = { topic: "app/uninstalled", body: { id: 1 }, webhookId: "b1f0c3a6-0000-4000-8000-000000000001" };
    expect((await post(signedWebhook(delivery))).status).toBe(200);
    expect((await post(signedWebhook(delivery))).status).toBe(200);
    // A duplicate event (same X-Shopify-Event-Id, another delivery id) is a repeat too.
    const event = { topic: "app/uninstalled", body: { id: 1 }, eventId: "evt-42" };
    expect((await post(signedWebhook(event))).status).toBe(200);
    expect((await post(signedWebhook(event))).status).toBe(200);

    expect(await db.webhookReceipt.count()).toBe(2);
    await withWorkers(() =>
      waitUntil(async () => (await db.webhookReceipt.count({ where: { processedAt: { not: null } } })) === 2),
    );
    const receipts = await db.webhookReceipt.findMany();
    expect(receipts.map((r) => r.attempts)).toEqual([1, 1]);
  });

  it("rejects a bad HMAC with 401 and stores nothing", async () => {
    const response = await post(signedWebhook({ topic: "app/uninstalled", body: { id: 1 }, secret: "wrong-secret" }));
    expect(response.status).toBe(401);
    expect(await db.webhookReceipt.count()).toBe(0);
    expect(await shopifyWebhookQueue().count()).toBe(0);
  });

  it("answers 400 to malformed JSON and stores nothing", async () => {
    const response = await post(signedWebhook({ topic: "app/uninstalled", body: '{"id": 1,' }));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/Malformed JSON/);
    expect(await db.webhookReceipt.count()).toBe(0);
  });

  it("answers 400 when Shopify's headers are missing", async () => {
    const response = await post(
      signedWebhook({ topic: "app/uninstalled", body: { id: 1 }, omitHeaders: ["X-Shopify-Webhook-Id"] }),
    );
    expect(response.status).toBe(400);
    expect(await db.webhookReceipt.count()).toBe(0);
  });

  it("answers 400 to a delivery without an HMAC and 405 to anything but POST, storing nothing", async () => {
    const unsigned = signedWebhook({ topic: "app/uninstalled", body: { id: 1 }, omitHeaders: ["X-Shopify-Hmac-Sha256"] });
    expect((await post(unsigned)).status).toBe(400);
    const signed = signedWebhook({ topic: "app/uninstalled", body: { id: 1 } });
    expect((await post(new Request(signed.url, { method: "PUT", headers: signed.headers, body: await signed.text() }))).status).toBe(405);
    expect(await db.webhookReceipt.count()).toBe(0);
  });

  it("stores what the headers say, and the body as sent", async () => {
    const triggeredAt = new Date("2026-11-21T08:00:00.123Z");
    const body = { id: 1, domain: TEST_SHOP_DOMAIN, nested: { list: [1, "two", null] } };
    const delivery = { topic: "app/uninstalled", body, eventId: "evt-stored", webhookId: "b1f0c3a6-0000-4000-8000-000000000002", triggeredAt };
    expect((await post(signedWebhook(delivery))).status).toBe(200);
    expect(await db.webhookReceipt.findFirstOrThrow()).toMatchObject({
      shop: TEST_SHOP_DOMAIN,
      topic: "APP_UNINSTALLED",
      dedupeKey: "evt-stored",
      eventId: "evt-stored",
      webhookId: delivery.webhookId,
      apiVersion: "2026-10",
      triggeredAt,
      payload: body,
      attempts: 0,
    });
  });

  it("ignores an uninstall triggered before the latest reinstall", async () => {
    await db.shop.create({ data: { shop: TEST_SHOP_DOMAIN, installedAt: new Date() } });
    await sessionStorage.storeSession(offlineSession());
    const stale = signedWebhook({ topic: "app/uninstalled", body: { id: 1 }, triggeredAt: new Date(Date.now() - 60_000) });
    expect((await post(stale)).status).toBe(200);
    await withWorkers(() => waitUntil(async () => (await db.webhookReceipt.findFirstOrThrow()).processedAt));
    const shop = await db.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP_DOMAIN } });
    expect(shop.uninstalledAt).toBeNull();
    expect(await db.session.count()).toBe(1);
  });
});

describe("app/scopes_update", () => {
  it("updates the stored scopes of the shop's sessions", async () => {
    await createShop(db, { shop: TEST_SHOP_DOMAIN });
    await sessionStorage.storeSession(offlineSession());
    const body = { id: 1, previous: ["read_orders"], current: ["read_orders", "read_products"] };
    const response = await scopesUpdate(args(signedWebhook({ topic: "app/scopes_update", body })));
    expect(response.status).toBe(200);
    await withWorkers(() => waitUntil(async () => (await db.webhookReceipt.findFirstOrThrow()).processedAt));
    expect((await db.session.findFirstOrThrow()).scope).toBe("read_orders,read_products");
    expect((await db.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP_DOMAIN } })).scopes).toBe("read_orders,read_products");
  });

  it("fails a malformed payload at once, recording why, and the sweeper leaves it alone", async () => {
    await createShop(db, { shop: TEST_SHOP_DOMAIN });
    const response = await scopesUpdate(args(signedWebhook({ topic: "app/scopes_update", body: { id: 1 } })));
    expect(response.status).toBe(200);
    const receipt = await withWorkers(() =>
      waitUntil(() => db.webhookReceipt.findFirst({ where: { failedAt: { not: null } } })),
    );
    expect(receipt).toMatchObject({ attempts: 1, processedAt: null, lastError: "payload has no current scopes" });
    const { sweepWebhookReceipts } = await import("../../jobs/processors/maintenance");
    expect(await sweepWebhookReceipts(new Date(Date.now() + 3_600_000))).toEqual({ found: 0, queued: 0 });
  });
});
