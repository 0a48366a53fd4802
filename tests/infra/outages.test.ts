// PostgreSQL or Redis that keeps its connections but stops answering, in front of the real web process: nothing
// hangs. Webhooks answer 5xx while PostgreSQL is silent (LINE and Shopify deliver again), are stored and answered
// 200 while Redis is silent (the sweeper queues them later), /healthz says which one is down, and all recovers
// once the server answers again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { checkoutPayload } from "../support/checkouts";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineWebhookRequest, webhookBody } from "../support/line";
import { offlineSession, signedWebhook, TEST_SHOP_DOMAIN } from "../support/shopify";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { testEnvironment } from "../support/test-env";
import { startWebServer, WEB_SERVER_HOOK_TIMEOUT_MS, type WebServer } from "../support/web-server";
import { waitUntil } from "../support/worker";

let postgres: TcpProxy;
let redis: TcpProxy;
let web: WebServer;
let line: Awaited<ReturnType<typeof connectedAccount>>;

function through(proxy: TcpProxy, url: string) {
  const proxied = new URL(url);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  return proxied.toString();
}

async function send(request: Request) {
  const { pathname } = new URL(request.url);
  const response = await fetch(`${web.url}${pathname}`, { method: "POST", headers: request.headers, body: await request.text() });
  await response.arrayBuffer();
  return response.status;
}

const health = async () => {
  const response = await fetch(`${web.url}/healthz`);
  return { status: response.status, body: await response.json() };
};
const shopifyDelivery = () => signedWebhook({ topic: "checkouts/create", body: checkoutPayload() });
const lineDelivery = () =>
  lineWebhookRequest(line.account.id, line.channelSecret, webhookBody("Ubot", [lineEvents.follow({ userId: lineUserId() })]));

beforeAll(async () => {
  await createShop(db, { shop: TEST_SHOP_DOMAIN });
  await sessionStorage.storeSession(offlineSession());
  line = await connectedAccount(db, TEST_SHOP_DOMAIN);
  const env = testEnvironment();
  postgres = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(env.DATABASE_URL).port || 5432) });
  redis = await startTcpProxy({ host: "127.0.0.1", port: Number(new URL(env.REDIS_URL).port || 6379) });
  web = await startWebServer({
    DATABASE_URL: through(postgres, env.DATABASE_URL),
    REDIS_URL: through(redis, env.REDIS_URL),
    DATABASE_CONNECT_TIMEOUT_MS: "5000",
    DATABASE_STATEMENT_TIMEOUT_MS: "4000",
    DATABASE_QUERY_TIMEOUT_MS: "5000",
    REDIS_COMMAND_TIMEOUT_MS: "3000",
  });
}, WEB_SERVER_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await web?.stop();
  await postgres?.close();
  await redis?.close();
});

describe("PostgreSQL stops answering", () => {
  it("fails webhooks with 5xx and /healthz with 503, and all recovers when it answers again", async () => {
    postgres.freeze();
    try {
      expect(await send(shopifyDelivery())).toBeGreaterThanOrEqual(500);
      expect(await send(lineDelivery())).toBeGreaterThanOrEqual(500);
      expect(await health()).toEqual({ status: 503, body: { status: "degraded", database: "down", redis: "up" } });
    } finally {
      postgres.thaw();
    }
    expect(await health()).toEqual({ status: 200, body: { status: "ok", database: "up", redis: "up" } });
    expect(await send(shopifyDelivery())).toBe(200);
    expect(await send(lineDelivery())).toBe(200);
    expect(await db.webhookReceipt.count({ where: { enqueuedAt: { not: null } } })).toBeGreaterThanOrEqual(1);
    // LINE's answer goes out once the events are stored; they are queued right after.
    await waitUntil(async () => (await db.lineEvent.count({ where: { enqueuedAt: { not: null } } })) >= 1);
  }, 180_000);
});

describe("Redis stops answering", () => {
  it("stores and acknowledges webhooks for the sweeper, fails /healthz with 503, and recovers", async () => {
    await db.webhookReceipt.deleteMany();
    await db.lineEvent.deleteMany();
    redis.freeze();
    try {
      expect(await send(shopifyDelivery())).toBe(200);
      // Two LINE deliveries: the second one must not wait behind the first one's unanswered enqueue.
      expect(await send(lineDelivery())).toBe(200);
      expect(await send(lineDelivery())).toBe(200);
      expect(await health()).toEqual({ status: 503, body: { status: "degraded", database: "up", redis: "down" } });
    } finally {
      redis.thaw();
    }
    expect(await db.webhookReceipt.count()).toBe(1);
    expect(await db.lineEvent.count()).toBe(2);

    expect(await health()).toEqual({ status: 200, body: { status: "ok", database: "up", redis: "up" } });
    await db.webhookReceipt.deleteMany();
    await db.lineEvent.deleteMany();
    expect(await send(shopifyDelivery())).toBe(200);
    expect(await send(lineDelivery())).toBe(200);
    expect(await db.webhookReceipt.findFirstOrThrow()).toMatchObject({ enqueuedAt: expect.any(Date) });
    await waitUntil(async () => (await db.lineEvent.findFirstOrThrow()).enqueuedAt);
  }, 180_000);
});
