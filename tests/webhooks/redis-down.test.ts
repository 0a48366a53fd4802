// Redis down while a webhook arrives: the delivery is still stored and acknowledged, and the sweeper queues
// it once Redis is back; the worker then processes it exactly once.
import { describe, expect, it, vi } from "vitest";
import { signedWebhook, TEST_SHOP_DOMAIN } from "../support/shopify";

describe("Shopify webhook while Redis is down", () => {
  it("stores, acknowledges, and is recovered by the sweeper", async () => {
    const workingRedis = process.env.REDIS_URL!;
    process.env.REDIS_URL = "redis://127.0.0.1:1";
    vi.resetModules();
    const down = {
      route: await import("~/routes/webhooks.app.uninstalled"),
      db: (await import("~/db.server")).db,
      redis: await import("~/redis.server"),
      queues: await import("../../jobs/queues"),
    };
    await down.db.shop.create({ data: { shop: TEST_SHOP_DOMAIN, installedAt: new Date(Date.now() - 3_600_000) } });

    const response = await down.route.action({
      request: signedWebhook({ topic: "app/uninstalled", body: { id: 1 } }),
      params: {},
      context: {},
    });
    expect(response.status).toBe(200);
    const stored = await down.db.webhookReceipt.findFirstOrThrow();
    expect(stored.enqueuedAt).toBeNull();
    await down.queues.closeQueues();
    await down.redis.closeRedis();
    await down.db.$disconnect();

    process.env.REDIS_URL = workingRedis;
    vi.resetModules();
    const { db } = await import("~/db.server");
    const { sweepWebhookReceipts } = await import("../../jobs/processors/maintenance");
    const { waitUntil, withWorkers } = await import("../support/worker");

    // Not yet past the grace period: a receipt still being queued by its web request is left alone.
    expect(await sweepWebhookReceipts(new Date(stored.receivedAt.getTime() + 1_000))).toEqual({ found: 0, queued: 0 });
    expect(await sweepWebhookReceipts(new Date(Date.now() + 10_000))).toEqual({ found: 1, queued: 1 });
    expect(await sweepWebhookReceipts(new Date(Date.now() + 10_000))).toEqual({ found: 0, queued: 0 });

    await withWorkers(() => waitUntil(async () => (await db.webhookReceipt.findFirstOrThrow()).processedAt));
    const receipt = await db.webhookReceipt.findFirstOrThrow();
    expect(receipt.attempts).toBe(1);
    expect((await db.shop.findUniqueOrThrow({ where: { shop: TEST_SHOP_DOMAIN } })).uninstalledAt).not.toBeNull();
  });
});
