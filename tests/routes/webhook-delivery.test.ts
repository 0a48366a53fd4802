// Webhook deliveries through the real web process, where app/server.ts hands them to their route's action
// without Remix's request handling: the same answers as through Remix (tests/line/webhook.test.ts,
// tests/webhooks/) must come back over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineWebhookRequest, webhookBody } from "../support/line";
import { offlineSession, signedWebhook, TEST_SHOP_DOMAIN } from "../support/shopify";
import { startWebServer, WEB_SERVER_HOOK_TIMEOUT_MS, type WebServer } from "../support/web-server";

let server: WebServer;

beforeAll(async () => {
  await createShop(db, { shop: TEST_SHOP_DOMAIN });
  await sessionStorage.storeSession(offlineSession());
  server = await startWebServer();
}, WEB_SERVER_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await server?.stop();
});

/** Sends a request built for the app's public URL to the running server instead. */
async function send(request: Request) {
  const { pathname, search } = new URL(request.url);
  const response = await fetch(`${server.url}${pathname}${search}`, {
    method: request.method,
    headers: request.headers,
    body: request.method === "GET" ? undefined : await request.text(),
  });
  return { status: response.status, body: await response.text() };
}

describe("LINE webhooks over HTTP", () => {
  it("stores a signed delivery and answers LINE's statuses", async () => {
    const { account, channelSecret } = await connectedAccount(db, TEST_SHOP_DOMAIN);
    const follow = lineEvents.follow({ userId: lineUserId() });
    const body = webhookBody("Ubot", [follow]);

    expect(await send(lineWebhookRequest(account.id, channelSecret, body))).toEqual({ status: 200, body: "OK" });
    expect(await db.lineEvent.findMany({ select: { webhookEventId: true, lineAccountId: true } })).toEqual([
      { webhookEventId: follow.webhookEventId, lineAccountId: account.id },
    ]);
    expect(await send(lineWebhookRequest(account.id, channelSecret, body, "f".repeat(32)))).toEqual({ status: 401, body: "Bad signature" });
    expect((await send(lineWebhookRequest("no-such-account", channelSecret, body))).status).toBe(404);
    expect(await send(lineWebhookRequest(account.id, channelSecret, '{"events": ['))).toEqual({ status: 400, body: "Malformed JSON body" });
    // Not a POST: Remix serves it, with the route's loader.
    expect((await send(new Request(`https://app.example/webhooks/line/${account.id}`))).status).toBe(405);
    expect(await db.lineEvent.count()).toBe(1);
  });
});

describe("Shopify webhooks over HTTP", () => {
  it("records a signed delivery once and refuses bad HMACs, missing headers and malformed JSON", async () => {
    const webhookId = crypto.randomUUID();
    const delivery = () => signedWebhook({ topic: "app/scopes_update", body: { id: 1, current: ["read_customers"] }, webhookId });
    expect((await send(delivery())).status).toBe(200);
    expect((await send(delivery())).status).toBe(200);
    expect(await db.webhookReceipt.count({ where: { webhookId } })).toBe(1);

    expect((await send(signedWebhook({ topic: "app/scopes_update", body: { id: 2 }, secret: "wrong" }))).status).toBe(401);
    expect((await send(signedWebhook({ topic: "app/scopes_update", body: { id: 3 }, omitHeaders: ["X-Shopify-Topic"] }))).status).toBe(400);
    expect((await send(signedWebhook({ topic: "app/scopes_update", body: "{not json" }))).status).toBe(400);
    expect(await db.webhookReceipt.count()).toBe(1);
  });

  it("refuses a body over 5 MB before holding it", async () => {
    const webhookId = crypto.randomUUID();
    const huge = signedWebhook({ topic: "app/scopes_update", body: { id: 4, padding: "x".repeat(6 * 1024 * 1024) }, webhookId });
    // The server answers 413 and closes the connection while the client is still writing: depending on timing the
    // client reads the 413 or only sees the connection closed under it (EPIPE / ECONNRESET). Either way the body was
    // refused: nothing is stored and the server keeps answering.
    const answer = await send(huge).then(
      (response) => response.status,
      (error: Error & { cause?: { code?: string } }) => {
        if (["EPIPE", "ECONNRESET"].includes(error.cause?.code ?? "")) return "closed";
        throw error;
      },
    );
    expect([413, "closed"]).toContain(answer);
    expect(await db.webhookReceipt.count({ where: { webhookId } })).toBe(0);
    // The connection was closed, not left half read: the next delivery is answered as usual.
    expect((await send(signedWebhook({ topic: "app/scopes_update", body: { id: 5 } }))).status).toBe(200);
  });

  it("leaves paths no webhook route serves to Remix", async () => {
    expect((await send(signedWebhook({ topic: "products/create", body: { id: 1 } }))).status).toBe(404);
  });
});
