// Storefront linking through the real app-proxy route, link endpoint, LINE fake (ID token verification) and DB.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader as proxyConnect } from "~/routes/proxy.connect";
import { action as linkAction } from "~/routes/liff.$accountId_.link";
import { safeReturnPath } from "~/storefront/intents.server";
import { findFriendForCheckout } from "~/storefront/match-checkout.server";
import { maintenanceQueue } from "../../jobs/queues";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { appProxyRequest, TEST_SHOP_DOMAIN } from "../support/shopify";

const LOGIN_CHANNEL = "2000000001";
const LIFF_ID = `${LOGIN_CHANNEL}-AbCdEfGh`;

async function setup() {
  await createShop(db, { shop: TEST_SHOP_DOMAIN });
  return connectedAccount(db, TEST_SHOP_DOMAIN, { loginChannelId: LOGIN_CHANNEL, liffId: LIFF_ID });
}

async function proxy(params: Record<string, string>, options: Parameters<typeof appProxyRequest>[2] = {}) {
  try {
    return await proxyConnect({ request: appProxyRequest("/proxy/connect", params, options), params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function startIntent(params: Record<string, string>, customerId?: string) {
  const response = await proxy(params, { customerId });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get("location")!);
  expect(location.origin + location.pathname).toBe(`https://liff.line.me/${LIFF_ID}`);
  return location.searchParams.get("intent")!;
}

async function link(accountId: string, intent: string, idToken: string, clientAddress = "203.0.113.7") {
  const request = new Request(`https://my-test-app.myshopify.io/liff/${accountId}/link`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ intent, idToken }),
  });
  const response = await linkAction({ request, params: { accountId }, context: { clientAddress } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const idToken = (sub: string, options: { audience?: string; expiresInSec?: number } = {}) =>
  lineFake().issueIdToken({ loginChannelId: options.audience ?? LOGIN_CHANNEL, sub, name: "花子", expiresInSec: options.expiresInSec });

beforeEach(async () => {
  await db.cartLink.deleteMany();
  await db.linkIntent.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  await maintenanceQueue().obliterate({ force: true });
  lineFake().reset();
});

describe("app proxy /apps/line/connect", () => {
  it("records a single-use intent from the signed query and redirects to the LIFF URL", async () => {
    const { account } = await setup();
    const intentId = await startIntent({ cart: "c1a2b3c4d5e6", return_to: "/products/sencha" }, "7001");
    const intent = await db.linkIntent.findUniqueOrThrow({ where: { id: intentId } });
    expect(intent).toMatchObject({ lineAccountId: account.id, customerId: "7001", cartToken: "c1a2b3c4d5e6", returnPath: "/products/sencha", consumedAt: null });
    expect(intent.expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(intentId.length).toBeGreaterThanOrEqual(32);
  });

  it("refuses forged and stale signatures, storing nothing", async () => {
    await setup();
    expect((await proxy({ cart: "c1a2b3c4d5e6" }, { secret: "not-the-app-secret" })).status).toBe(400);
    expect((await proxy({ cart: "c1a2b3c4d5e6" }, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(400);
    expect(await db.linkIntent.count()).toBe(0);
  });

  it("answers a readable 404 page when the shop has no LINE account with LIFF", async () => {
    await createShop(db, { shop: TEST_SHOP_DOMAIN });
    const response = await proxy({});
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toContain("application/liquid");
    expect(await response.text()).toContain("LINE 連携をご利用いただけません");
  });

  it("keeps only return paths on the store", () => {
    expect(safeReturnPath("/cart")).toBe("/cart");
    for (const bad of ["//evil.example/x", "https://evil.example", "javascript:alert(1)", "/\\evil", "cart"]) {
      expect(safeReturnPath(bad)).toBeNull();
    }
  });
});

describe("POST /liff/:accountId/link", () => {
  it("links a guest's cart: friend not yet following, cart tied to them", async () => {
    const { account } = await setup();
    const sub = lineUserId();
    const intent = await startIntent({ cart: "guestcart0001", return_to: "/cart" });
    const { status, body } = await link(account.id, intent, idToken(sub));
    expect(status).toBe(200);
    expect(body).toEqual({ linked: true, isFriend: false, friendAddUrl: account.friendAddUrl, returnUrl: `https://${TEST_SHOP_DOMAIN}/cart` });
    const friend = await db.friend.findFirstOrThrow({ where: { lineUserId: sub } });
    expect(friend).toMatchObject({ followStatus: "unknown", shopifyCustomerId: null, displayName: "花子" });
    expect(await db.cartLink.findMany({ select: { cartToken: true, friendId: true } })).toEqual([{ cartToken: "guestcart0001", friendId: friend.id }]);
    expect(await maintenanceQueue().count()).toBe(0); // no customer to tag
  });

  it("links a logged-in customer and queues the LINE tag in Shopify", async () => {
    const { account } = await setup();
    const sub = lineUserId();
    const intent = await startIntent({ cart: "custcart00001" }, "7001");
    expect((await link(account.id, intent, idToken(sub))).status).toBe(200);
    expect(await db.friend.findFirstOrThrow({ where: { lineUserId: sub } })).toMatchObject({ shopifyCustomerId: "7001" });
    const jobs = await maintenanceQueue().getJobs(["waiting"]);
    expect(jobs.map((job) => job.data)).toEqual([{ type: "tag-customer", shop: TEST_SHOP_DOMAIN, customerId: "7001" }]);
  });

  it("rejects a token for another channel or expired, without spending the intent", async () => {
    const { account } = await setup();
    const sub = lineUserId();
    const intent = await startIntent({});
    expect(await link(account.id, intent, idToken(sub, { audience: "2999999999" }))).toMatchObject({ status: 401, body: { error: "id-token-rejected" } });
    expect(await link(account.id, intent, idToken(sub, { expiresInSec: -10 }))).toMatchObject({ status: 401, body: { error: "id-token-rejected" } });
    expect(await link(account.id, intent, "not-a-token-at-all")).toMatchObject({ status: 401 });
    expect(await db.friend.count()).toBe(0);
    expect((await link(account.id, intent, idToken(sub))).status).toBe(200);
  });

  it("refuses a replayed or expired intent, and an unknown one", async () => {
    const { account } = await setup();
    const intent = await startIntent({});
    expect((await link(account.id, intent, idToken(lineUserId()))).status).toBe(200);
    expect(await link(account.id, intent, idToken(lineUserId()))).toMatchObject({ status: 409, body: { error: "intent-used" } });
    const expired = await startIntent({});
    await db.linkIntent.update({ where: { id: expired }, data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(await link(account.id, expired, idToken(lineUserId()))).toMatchObject({ status: 410, body: { error: "intent-expired" } });
    expect(await link(account.id, "x".repeat(32), idToken(lineUserId()))).toMatchObject({ status: 404, body: { error: "intent-unknown" } });
    expect(await db.friend.count()).toBe(1);
  });

  it("lets one shopper link from two browsers: one friend, two carts", async () => {
    const { account } = await setup();
    const sub = lineUserId();
    await link(account.id, await startIntent({ cart: "phonecart0001" }, "7001"), idToken(sub));
    await link(account.id, await startIntent({ cart: "laptopcart001" }, "7001"), idToken(sub));
    expect(await db.friend.count()).toBe(1);
    expect((await db.cartLink.findMany({ orderBy: { cartToken: "asc" } })).map((c) => c.cartToken)).toEqual(["laptopcart001", "phonecart0001"]);
  });

  it("answers 400 to a malformed body and 429 past the per-address limit", async () => {
    const { account } = await setup();
    const bad = new Request(`https://my-test-app.myshopify.io/liff/${account.id}/link`, { method: "POST", body: "{" });
    expect((await linkAction({ request: bad, params: { accountId: account.id }, context: {} })).status).toBe(400);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i += 1) statuses.push((await link(account.id, "y".repeat(32), "z".repeat(20), "198.51.100.9")).status);
    expect(statuses.slice(0, 19).every((s) => s !== 429)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe("checkout matching", () => {
  it("finds the friend by the linked cart first, then by the linked customer", async () => {
    const { account } = await setup();
    const cartOwner = lineUserId();
    const customerOwner = lineUserId();
    await link(account.id, await startIntent({ cart: "matchcart0001" }), idToken(cartOwner));
    await link(account.id, await startIntent({}, "8001"), idToken(customerOwner));

    const byCart = await findFriendForCheckout(TEST_SHOP_DOMAIN, { cart_token: "matchcart0001", customer: { id: 8001 } });
    expect(byCart).toMatchObject({ by: "cart", friend: { lineUserId: cartOwner } });
    const byCustomer = await findFriendForCheckout(TEST_SHOP_DOMAIN, { cart_token: "unknowncart01", customer: { id: 8001 } });
    expect(byCustomer).toMatchObject({ by: "customer", friend: { lineUserId: customerOwner } });
    expect(await findFriendForCheckout(TEST_SHOP_DOMAIN, { cart_token: "unknowncart01", customer: null })).toBeNull();
    expect(await findFriendForCheckout("other-shop.myshopify.com", { cart_token: "matchcart0001" })).toBeNull();
  });

  it("prefers a following friend when a customer is linked to several LINE users", async () => {
    const { account } = await setup();
    const first = lineUserId();
    const second = lineUserId();
    await link(account.id, await startIntent({}, "9001"), idToken(first));
    await link(account.id, await startIntent({}, "9001"), idToken(second));
    await db.friend.updateMany({ where: { lineUserId: first }, data: { followStatus: "following" } });
    expect(await findFriendForCheckout(TEST_SHOP_DOMAIN, { customer: { id: "9001" } })).toMatchObject({ friend: { lineUserId: first } });
  });
});
