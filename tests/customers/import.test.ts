// The import of a linked customer and all their orders, through the friend-changed path, the customers queue's
// worker, the Shopify library and the Admin API fake that charges query cost (and refuses what exceeds it).
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { friendsChanged } from "~/friends/changes.server";
import { sessionStorage } from "~/shopify.server";
import { ORDERS_PER_PAGE, LINES_PER_ORDER } from "~/customers/queries";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { fakeCustomer, fakeOrder } from "../support/customers";
import { adminFake } from "../support/shopify-admin-fake";
import { offlineSession } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";

const SHOP = "import-a.myshopify.com";
const OTHER = "import-b.myshopify.com";

async function linkedFriend(shop: string, customerId: string) {
  const account = (await db.lineAccount.findFirst({ where: { shop } })) ?? (await createLineAccount(db, shop));
  const friend = await createFriend(db, account, { shopifyCustomerId: customerId });
  return friend;
}

const imported = (shop: string, customerId: string) =>
  waitUntil(async () => {
    const customer = await db.customer.findUnique({ where: { shop_customerId: { shop, customerId } }, include: { spend: true } });
    return customer && (customer.importStatus === "done" || customer.importStatus === "failed") ? customer : null;
  });

beforeEach(async () => {
  await db.order.deleteMany();
  await db.customer.deleteMany();
  await db.friend.deleteMany();
  for (const shop of [SHOP, OTHER]) {
    await createShop(db, { shop });
    await sessionStorage.storeSession(offlineSession(shop));
  }
  const fake = adminFake();
  fake.customers.clear();
  fake.calls.length = 0;
  fake.userErrors.clear();
  fake.bulkOperations.length = 0;
  fake.bulkFailure = null;
  fake.setBucket(2_000, 100);
  fake.throttled = 0;
});

describe("import at link time", () => {
  it("fetches the customer and every order page by page, within the cost bucket, and writes the figures per currency", async () => {
    const orders = [
      ...Array.from({ length: 44 }, (_, i) => fakeOrder({ total: "1000.0", lines: i === 0 ? LINES_PER_ORDER + 3 : 2 })),
      fakeOrder({ total: "50.00", currency: "USD" }),
      fakeOrder({ total: "2000.0", refunded: "500.0" }),
      fakeOrder({ total: "9999.0", cancelled: true }),
    ];
    adminFake().customers.set("7001", fakeCustomer("7001", orders));
    // Small enough that a page must wait for the bucket to refill: without waiting the fake answers THROTTLED.
    adminFake().setBucket(800, 400);
    const friend = await linkedFriend(SHOP, "7001");

    // Announced as the LIFF link does, then the worker runs what it queued.
    await friendsChanged(SHOP, [friend.id], { type: "linked", customerId: "7001" });
    const customer = await withWorkers(() => imported(SHOP, "7001"));

    expect(customer).toMatchObject({
      importStatus: "done", displayName: "Hanako Yamada", hasEmail: true, hasPhone: false, tags: ["LINE", "vip"],
      emailMarketing: "SUBSCRIBED", smsMarketing: "NOT_SUBSCRIBED", countryCode: "JP", provinceCode: "JP-13", ordersCount: 46,
    });
    const spend = Object.fromEntries(customer.spend.map((s) => [s.currency, [s.totalSpent.toString(), s.orders]]));
    expect(spend).toEqual({ JPY: ["45500", 45], USD: ["50", 1] });
    expect(await db.order.count({ where: { shop: SHOP, customerId: "7001" } })).toBe(47);
    const pages = adminFake().calls.filter((call) => /CustomerImport/.test(call.query));
    expect(pages).toHaveLength(Math.ceil(47 / ORDERS_PER_PAGE));
    // The first order's lines took a second request.
    expect(adminFake().calls.filter((call) => /OrderLines/.test(call.query))).toHaveLength(1);
    expect(await db.orderLine.count({ where: { shop: SHOP, order: { orderId: orders[0].id.split("/").pop() } } })).toBe(LINES_PER_ORDER + 3);
    const stored = await db.order.findFirstOrThrow({ where: { shop: SHOP, orderId: orders[45].id.split("/").pop() } });
    expect(stored).toMatchObject({ financialStatus: "partially_refunded", utmSource: "line", utmMedium: "broadcast", utmCampaign: "spring", discountCodes: ["WELCOME10"] });
    expect(stored.refunded.toString()).toBe("500");
    expect(adminFake().throttled).toBe(0);
  });

  it("waits and asks again when Shopify answers THROTTLED", async () => {
    adminFake().customers.set("7002", fakeCustomer("7002", [fakeOrder({}), fakeOrder({})]));
    adminFake().setBucket(1_000, 500);
    adminFake().bucket.currentlyAvailable = 0; // another app drained it
    const friend = await linkedFriend(SHOP, "7002");
    await friendsChanged(SHOP, [friend.id], { type: "linked", customerId: "7002" });
    const customer = await withWorkers(() => imported(SHOP, "7002"));
    expect(customer.importError).toBeNull();
    expect(customer).toMatchObject({ importStatus: "done", ordersCount: 2 });
    expect(adminFake().throttled).toBe(1);
  });

  it("imports nothing of a customer another shop's fake holds, and leaves that shop's data alone", async () => {
    adminFake().customers.set("7003", fakeCustomer("7003", [fakeOrder({})], { shop: OTHER }));
    const mine = await linkedFriend(SHOP, "7003");
    const theirs = await linkedFriend(OTHER, "7003");
    await friendsChanged(OTHER, [theirs.id], { type: "linked", customerId: "7003" });
    await friendsChanged(SHOP, [mine.id], { type: "linked", customerId: "7003" });
    await withWorkers(async () => {
      await imported(OTHER, "7003");
      await imported(SHOP, "7003");
    });
    expect(await db.customer.findUniqueOrThrow({ where: { shop_customerId: { shop: SHOP, customerId: "7003" } } })).toMatchObject({
      importStatus: "failed", importError: "not-found", ordersCount: 0,
    });
    expect(await db.customer.findUniqueOrThrow({ where: { shop_customerId: { shop: OTHER, customerId: "7003" } } })).toMatchObject({
      importStatus: "done", ordersCount: 1,
    });
    expect(await db.order.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("imports many customers linked at once with one bulk operation", async () => {
    const ids = Array.from({ length: 30 }, (_, i) => String(7100 + i));
    for (const id of ids) adminFake().customers.set(id, fakeCustomer(id, [fakeOrder({ total: "1500.0", lines: 3 }), fakeOrder({ total: "500.0" })]));
    const friends = [];
    for (const id of ids) friends.push(await linkedFriend(SHOP, id));
    // A linked customer Shopify no longer has.
    const gone = await linkedFriend(SHOP, "7199");
    // Linked while no worker runs (a burst of links): every import job finds the shop with more than
    // BULK_THRESHOLD customers waiting and hands them to one bulk operation.
    for (const [index, friend] of [...friends, gone].entries()) {
      await friendsChanged(SHOP, [friend.id], { type: "linked", customerId: index < ids.length ? ids[index] : "7199" });
    }
    await withWorkers(async () => {
      await waitUntil(async () => (await db.customer.count({ where: { shop: SHOP, importStatus: { in: ["done", "failed"] } } })) === ids.length + 1);
    });
    expect(adminFake().bulkOperations).toHaveLength(1);
    expect(adminFake().calls.filter((call) => /CustomerImport/.test(call.query))).toHaveLength(0);
    const customers = await db.customer.findMany({ where: { shop: SHOP }, include: { spend: true } });
    const done = customers.filter((c) => c.importStatus === "done");
    expect(done).toHaveLength(ids.length);
    for (const customer of done) {
      expect(customer.ordersCount).toBe(2);
      expect(customer.spend.map((s) => [s.currency, s.totalSpent.toString()])).toEqual([["JPY", "2000"]]);
    }
    expect(customers.find((c) => c.customerId === "7199")).toMatchObject({ importStatus: "failed", importError: "not-found" });
    expect(await db.orderLine.count({ where: { shop: SHOP } })).toBe(ids.length * 5);
  });
});
