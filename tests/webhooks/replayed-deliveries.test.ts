// Shopify signs a webhook's body, not its headers: a captured body replayed with another shop or topic header must
// do nothing, and deliveries for shops that never installed must leave no rows.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as uninstalled } from "~/routes/webhooks.app.uninstalled";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { action as customersRedact } from "~/routes/webhooks.customers.redact";
import { action as dataRequest } from "~/routes/webhooks.customers.data_request";
import { action as shopRedact } from "~/routes/webhooks.shop.redact";
import { sessionStorage } from "~/shopify.server";
import { shopifyWebhookQueue } from "../../jobs/queues";
import { checkoutPayload } from "../support/checkouts";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { offlineSession, shopPayload, signedWebhook } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";

const VICTIM = "replay-victim.myshopify.com";
const SENDER = "replay-sender.myshopify.com";
const STRANGER = "never-installed.myshopify.com";

type Action = (args: { request: Request; params: {}; context: {} }) => Promise<Response>;

async function deliver(route: Action, request: Request) {
  try {
    return await route({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

/** An installed shop with a session and a linked friend (customer 7001). */
async function installed(shop: string) {
  await createShop(db, { shop });
  await sessionStorage.storeSession(offlineSession(shop));
  const account = await createLineAccount(db, shop);
  return createFriend(db, account, { shopifyCustomerId: "7001", displayName: `friend of ${shop}` });
}

const redactBody = (shop: string) => ({
  shop_id: 1, shop_domain: shop, customer: { id: 7001, email: "hanako@example.com", phone: null }, orders_to_redact: [],
});

async function victimUntouched(friendId: string) {
  expect(await db.friend.findUnique({ where: { id: friendId } })).not.toBeNull();
  expect(await db.shop.findUniqueOrThrow({ where: { shop: VICTIM } })).toMatchObject({ uninstalledAt: null });
  expect(await db.session.count({ where: { shop: VICTIM } })).toBe(1);
  expect(await db.webhookReceipt.count({ where: { shop: VICTIM } })).toBe(0);
}

beforeEach(async () => {
  await db.webhookReceipt.deleteMany();
  await db.checkout.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  await db.session.deleteMany();
  await db.shop.deleteMany();
  await shopifyWebhookQueue().obliterate({ force: true });
});

describe("a captured body replayed with another shop header", () => {
  it("customers/redact naming its own shop is refused for any other shop", async () => {
    await installed(SENDER);
    const friend = await installed(VICTIM);
    const response = await deliver(customersRedact, signedWebhook({ topic: "customers/redact", shop: VICTIM, body: redactBody(SENDER) }));
    expect(response.status).toBe(400);
    await victimUntouched(friend.id);
  });

  it("customers/data_request naming its own shop is refused for any other shop", async () => {
    await installed(SENDER);
    const friend = await installed(VICTIM);
    const body = { ...redactBody(SENDER), data_request: { id: 9 }, orders_requested: [] };
    const response = await deliver(dataRequest, signedWebhook({ topic: "customers/data_request", shop: VICTIM, body }));
    expect(response.status).toBe(400);
    expect(await db.customerDataExport.count()).toBe(0);
    await victimUntouched(friend.id);
  });

  it("shop/redact naming its own shop is refused for any other shop", async () => {
    await installed(SENDER);
    const friend = await installed(VICTIM);
    const response = await deliver(shopRedact, signedWebhook({ topic: "shop/redact", shop: VICTIM, body: { shop_id: 1, shop_domain: SENDER } }));
    expect(response.status).toBe(400);
    await victimUntouched(friend.id);
  });

  it("app/uninstalled naming its own shop is refused for any other shop", async () => {
    await installed(SENDER);
    const friend = await installed(VICTIM);
    const response = await deliver(uninstalled, signedWebhook({ topic: "app/uninstalled", shop: VICTIM, body: shopPayload(SENDER) }));
    expect(response.status).toBe(400);
    await victimUntouched(friend.id);
  });

  it("a body without the shop field (another topic's body) is refused on the topics that carry one", async () => {
    const friend = await installed(VICTIM);
    const checkout = checkoutPayload({ token: "captured" });
    for (const [route, topic] of [[shopRedact, "shop/redact"], [customersRedact, "customers/redact"], [uninstalled, "app/uninstalled"]] as const) {
      expect((await deliver(route, signedWebhook({ topic, shop: VICTIM, body: checkout }))).status).toBe(400);
    }
    await victimUntouched(friend.id);
  });
});

describe("a captured body replayed with another topic header", () => {
  it("is refused when the topic header disagrees with the route, whichever way round", async () => {
    const friend = await installed(VICTIM);
    // The victim's own signed shop/redact body, sent to the checkouts route with its true topic header…
    const redact = signedWebhook({ topic: "shop/redact", shop: VICTIM, body: { shop_id: 1, shop_domain: VICTIM } });
    expect((await deliver(checkoutsCreate, redact)).status).toBe(400);
    // …and a checkout body sent to the shop/redact route.
    const checkout = signedWebhook({ topic: "checkouts/create", shop: VICTIM, body: checkoutPayload({ token: "c1" }) });
    expect((await deliver(shopRedact, checkout)).status).toBe(400);
    await victimUntouched(friend.id);
    expect(await shopifyWebhookQueue().count()).toBe(0);
  });
});

describe("shops that never installed", () => {
  it("get 200 and leave no rows, on every topic", async () => {
    const deliveries: [Action, Request][] = [
      [uninstalled, signedWebhook({ topic: "app/uninstalled", shop: STRANGER, body: shopPayload(STRANGER) })],
      [checkoutsCreate, signedWebhook({ topic: "checkouts/create", shop: STRANGER, body: checkoutPayload({ token: "s1" }) })],
      [customersRedact, signedWebhook({ topic: "customers/redact", shop: STRANGER, body: redactBody(STRANGER) })],
      [shopRedact, signedWebhook({ topic: "shop/redact", shop: STRANGER, body: { shop_id: 1, shop_domain: STRANGER } })],
    ];
    for (const [route, request] of deliveries) expect((await deliver(route, request)).status).toBe(200);
    expect(await db.webhookReceipt.count()).toBe(0);
    expect(await db.shop.count()).toBe(0);
    expect(await db.checkout.count()).toBe(0);
    expect(await shopifyWebhookQueue().count()).toBe(0);
  });

  it("a shop known only by its session (installed before the Shop row existed) is served", async () => {
    await sessionStorage.storeSession(offlineSession(VICTIM));
    const response = await deliver(uninstalled, signedWebhook({ topic: "app/uninstalled", shop: VICTIM, body: shopPayload(VICTIM) }));
    expect(response.status).toBe(200);
    expect(await db.webhookReceipt.count({ where: { shop: VICTIM, topic: "APP_UNINSTALLED" } })).toBe(1);
  });
});

describe("an uninstalled shop Shopify still writes to", () => {
  it("gets its compliance webhooks processed", async () => {
    const friend = await installed(VICTIM);
    expect((await deliver(uninstalled, signedWebhook({ topic: "app/uninstalled", shop: VICTIM, body: shopPayload(VICTIM) }))).status).toBe(200);
    await withWorkers(() => waitUntil(async () => (await db.shop.findUniqueOrThrow({ where: { shop: VICTIM } })).uninstalledAt));
    expect(await db.session.count({ where: { shop: VICTIM } })).toBe(0);

    expect((await deliver(customersRedact, signedWebhook({ topic: "customers/redact", shop: VICTIM, body: redactBody(VICTIM) }))).status).toBe(200);
    await withWorkers(() => waitUntil(async () => (await db.webhookReceipt.count({ where: { processedAt: null } })) === 0));
    expect(await db.friend.findUnique({ where: { id: friend.id } })).toBeNull();

    expect((await deliver(shopRedact, signedWebhook({ topic: "shop/redact", shop: VICTIM, body: { shop_id: 1, shop_domain: VICTIM } }))).status).toBe(200);
    await withWorkers(() => waitUntil(async () => (await db.shop.count({ where: { shop: VICTIM } })) === 0));
    expect(await db.lineAccount.count({ where: { shop: VICTIM } })).toBe(0);
  });
});
