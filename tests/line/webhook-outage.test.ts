// Outages at ingest. Redis down: events are stored and acknowledged, then swept, processed once, nothing lost.
// PostgreSQL down: the request fails (5xx) so that LINE delivers again.
import { describe, expect, it, vi } from "vitest";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineWebhookRequest, webhookBody } from "../support/line";
import { withEnv } from "../support/with-env";

const SHOP = "line-outage.myshopify.com";

describe("LINE webhook during outages", () => {
  it("stores events while Redis is down and the sweeper queues them once it is back", async () => {
    const { db } = await import("~/db.server");
    await createShop(db, { shop: SHOP });
    const { account, channelSecret } = await connectedAccount(db, SHOP);
    const users = [lineUserId(), lineUserId(), lineUserId()];
    const body = webhookBody("Ubot", users.map((userId) => lineEvents.follow({ userId })));

    await withEnv({ REDIS_URL: "redis://127.0.0.1:1" }, async () => {
      const { action } = await import("~/routes/webhooks.line.$accountId");
      const response = await action({ request: lineWebhookRequest(account.id, channelSecret, body), params: { accountId: account.id }, context: {} });
      expect(response.status).toBe(200);
      const { closeRedis } = await import("~/redis.server");
      const { closeQueues } = await import("../../jobs/queues");
      await closeQueues();
      await closeRedis();
      await (await import("~/db.server")).db.$disconnect();
    });
    expect(await db.lineEvent.count({ where: { enqueuedAt: null } })).toBe(3);

    vi.resetModules();
    const fresh = (await import("~/db.server")).db;
    const { sweepInboxes } = await import("../../jobs/processors/maintenance");
    const { waitUntil, withWorkers } = await import("../support/worker");
    const swept = await sweepInboxes(new Date(Date.now() + 10_000));
    expect(swept.lineEvents).toEqual({ found: 3, queued: 3 });
    await withWorkers(() => waitUntil(async () => (await fresh.lineEvent.count({ where: { processedAt: null } })) === 0));
    expect(await fresh.friend.count({ where: { followStatus: "following" } })).toBe(3);
    expect(await fresh.lineEvent.findMany({ select: { attempts: true } })).toEqual([{ attempts: 1 }, { attempts: 1 }, { attempts: 1 }]);
  });

  it("fails the request when PostgreSQL is down, so LINE delivers again", async () => {
    const { db } = await import("~/db.server");
    await createShop(db, { shop: `${SHOP}-pg` });
    const { account, channelSecret } = await connectedAccount(db, `${SHOP}-pg`);
    const body = webhookBody("Ubot", [lineEvents.follow({ userId: lineUserId() })]);
    await withEnv({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/nowhere" }, async () => {
      const { action } = await import("~/routes/webhooks.line.$accountId");
      const request = lineWebhookRequest(account.id, channelSecret, body);
      await expect(action({ request, params: { accountId: account.id }, context: {} })).rejects.toThrow();
      await (await import("~/db.server")).db.$disconnect();
    });
    expect(await db.lineEvent.count({ where: { lineAccountId: account.id } })).toBe(0);
  });
});
