// Revenue per message through the real routes: totals per currency (home, revenue page), per broadcast (results),
// the attributed orders with message and rule, paged; the attribution windows validated (1–90 / 0–30) and applied
// to recent orders in the worker; another shop's rows never shown; the friend page's customer card data.
import type { Job } from "bullmq";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { attributedOrders, messageRevenue, revenueTotals } from "~/customers/revenue.server";
import { loader as homeLoader } from "~/routes/app._index";
import { action as revenueAction, loader as revenueLoader } from "~/routes/app.revenue";
import { loader as resultsLoader } from "~/routes/app.broadcasts.$id_.results";
import { loader as friendLoader } from "~/routes/app.friends.$id";
import { sessionStorage } from "~/shopify.server";
import { processMaintenance } from "../../jobs/processors/maintenance";
import { maintenanceQueue, type MaintenanceJob } from "../../jobs/queues";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const OTHER = "revenue-other.myshopify.com";
const HOUR = 3_600_000;
const now = Date.now();

const call = async <T,>(fn: (args: never) => Promise<T>, request: Request, params: Record<string, string> = {}) => {
  try {
    return await fn({ request, params, context: {} } as never);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown as unknown as T;
    throw thrown;
  }
};
// Loader data as the browser receives it (a json() Response, or the value itself).
const body = async (value: unknown): Promise<any> => (value instanceof Response ? value.json() : value);

let seq = 0;
async function attributed(shop: string, data: { kind?: string; sourceId: string; currency?: string; total: string; refunded?: string; rule?: string; hoursAgo?: number; friendId?: string }) {
  seq += 1;
  const processedAt = new Date(now - (data.hoursAgo ?? 1) * HOUR);
  const order = await db.order.create({
    data: { shop, orderId: String(800_000 + seq), name: `#${2000 + seq}`, customerId: "9001", currency: data.currency ?? "JPY", totalPrice: data.total, refunded: data.refunded ?? "0", processedAt },
  });
  const revenue = (Number(data.total) - Number(data.refunded ?? 0)).toFixed(2);
  await db.orderAttribution.create({
    data: { shop, orderRef: order.id, kind: data.kind ?? "broadcast", sourceId: data.sourceId, rule: data.rule ?? "click", touchedAt: new Date(processedAt.getTime() - HOUR), currency: data.currency ?? "JPY", revenue, friendId: data.friendId ?? null },
  });
  return order;
}

beforeEach(async () => {
  for (const table of ["orderAttribution", "order", "customerSpend", "customer", "broadcast", "friend", "lineAccount", "shop", "session"] as const) {
    await (db[table] as { deleteMany: () => Promise<unknown> }).deleteMany();
  }
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: SHOP });
  await createShop(db, { shop: OTHER });
  await maintenanceQueue().obliterate({ force: true });
});

describe("revenue per message", () => {
  it("sums per currency for the shop, per broadcast and over 30 days, never another shop's", async () => {
    const account = await createLineAccount(db, SHOP);
    const broadcast = await db.broadcast.create({
      data: { shop: SHOP, lineAccountId: account.id, name: "Winter sale", messages: [{ type: "text", text: "hi" }], audience: { type: "all" }, utmParams: "utm_source=line", status: "sent", startedAt: new Date(now - 5 * HOUR), finishedAt: new Date(now - 4 * HOUR), customAggregationUnit: "unitrev1" },
    });
    await attributed(SHOP, { sourceId: broadcast.id, total: "5000" });
    await attributed(SHOP, { sourceId: broadcast.id, total: "3000", refunded: "1000", rule: "send" });
    await attributed(SHOP, { sourceId: broadcast.id, total: "12.50", currency: "USD", rule: "utm" });
    await attributed(SHOP, { kind: "cart-reminder", sourceId: "r1", total: "2000" });
    await attributed(SHOP, { sourceId: broadcast.id, total: "7000", hoursAgo: 24 * 40 }); // older than 30 days
    await attributed(OTHER, { sourceId: broadcast.id, total: "99999" });

    expect(await messageRevenue(SHOP, "broadcast", broadcast.id)).toEqual({
      orders: 4,
      revenue: [{ currency: "JPY", amount: "14000" }, { currency: "USD", amount: "12.50" }],
      byRule: { click: 2, send: 1, utm: 1 },
    });
    const home = await body(await call(homeLoader, await adminRequest("/app")));
    expect(home.lineRevenue).toEqual({ orders: 4, revenue: [{ currency: "JPY", amount: "9000" }, { currency: "USD", amount: "12.50" }], byRule: { click: 2, send: 1, utm: 1 } });
    const results = await body(await call(resultsLoader, await adminRequest(`/app/broadcasts/${broadcast.id}/results`), { id: broadcast.id }));
    expect(results.revenue.orders).toBe(4);
    expect(await revenueTotals(OTHER)).toMatchObject({ orders: 1, revenue: [{ currency: "JPY", amount: "99999" }] });
  });

  it("lists attributed orders newest first with message and rule, in pages, filtered by message", async () => {
    const account = await createLineAccount(db, SHOP);
    const friend = await createFriend(db, account, { displayName: "Hanako" });
    const broadcast = await db.broadcast.create({
      data: { shop: SHOP, lineAccountId: account.id, name: "Spring", messages: [], audience: { type: "all" }, utmParams: "", status: "sent", customAggregationUnit: "unitrev2" },
    });
    for (let i = 1; i <= 5; i += 1) await attributed(SHOP, { sourceId: broadcast.id, total: String(i * 1000), hoursAgo: i, friendId: friend.id });
    await attributed(SHOP, { kind: "cart-reminder", sourceId: "r9", total: "100", hoursAgo: 3.5 });
    await attributed(OTHER, { sourceId: broadcast.id, total: "1", hoursAgo: 0.5 });

    const first = await attributedOrders(SHOP, {}, 4);
    expect(first.orders.map((o) => o.revenue)).toEqual(["1000", "2000", "3000", "100"]);
    expect(first.orders[0]).toMatchObject({ kind: "broadcast", messageName: "Spring", messageUrl: `/app/broadcasts/${broadcast.id}/results`, rule: "click", friendName: "Hanako" });
    const second = await attributedOrders(SHOP, { after: first.nextCursor! }, 4);
    expect(second.orders.map((o) => o.revenue)).toEqual(["4000", "5000"]);
    expect(second.nextCursor).toBeNull();
    const onlyBroadcast = await attributedOrders(SHOP, { kind: "broadcast", sourceId: broadcast.id });
    expect(onlyBroadcast.orders).toHaveLength(5);

    const page = await body(await call(revenueLoader, await adminRequest(`/app/revenue?kind=cart-reminder&sourceId=r9`)));
    expect(page.orders.map((o: { revenue: string }) => o.revenue)).toEqual(["100"]);
    expect(page.settings).toEqual({ clickDays: 7, sendDays: 1 });
  });

  it("validates the windows with a readable 4xx, saves them and attributes recent orders again in the worker", async () => {
    const post = async (fields: Record<string, string>, locale = "en") =>
      call(revenueAction, await adminRequest("/app/revenue", { method: "POST", locale, body: new URLSearchParams(fields) }));
    const bad = (await post({ clickDays: "0", sendDays: "31" })) as Response;
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors).toEqual({ clickDays: "customers.settings.error.clickDays", sendDays: "customers.settings.error.sendDays" });
    expect(((await post({ clickDays: "91", sendDays: "0" })) as Response).status).toBe(422);
    expect(((await post({ clickDays: "7.5", sendDays: "1" })) as Response).status).toBe(422);

    const account = await createLineAccount(db, SHOP);
    const friend = await createFriend(db, account, { shopifyCustomerId: "9001" });
    await db.linkClick.create({ data: { shop: SHOP, friendId: friend.id, kind: "cart-reminder", sourceId: "r1", clickedAt: new Date(now - 10 * 24 * HOUR) } });
    const order = await db.order.create({ data: { shop: SHOP, orderId: "777", customerId: "9001", currency: "JPY", totalPrice: "4000", processedAt: new Date(now - HOUR) } });

    const ok = (await post({ clickDays: "14", sendDays: "0" })) as Response;
    expect(ok.status).toBe(200);
    expect(await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ attributionClickDays: 14, attributionSendDays: 0 });
    const jobs = await maintenanceQueue().getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.map((j) => j.data)).toEqual([{ type: "reattribute-shop", shop: SHOP }]);
    expect(await processMaintenance({ data: jobs[0]!.data } as Job<MaintenanceJob>)).toEqual({ orders: 1 });
    expect(await db.orderAttribution.findUnique({ where: { orderRef: order.id } })).toMatchObject({ rule: "click", sourceId: "r1" });
  });

  it("gives the friend page the linked customer with spend per currency and recent orders", async () => {
    const account = await createLineAccount(db, SHOP);
    const friend = await createFriend(db, account, { shopifyCustomerId: "9001", displayName: "Hanako" });
    const customer = await db.customer.create({ data: { shop: SHOP, customerId: "9001", displayName: "山田 花子", tags: ["VIP"], ordersCount: 2, importStatus: "done", lastOrderAt: new Date(now - HOUR) } });
    await db.customerSpend.createMany({
      data: [
        { shop: SHOP, customerRef: customer.id, currency: "JPY", totalSpent: "9000", orders: 2 },
        { shop: SHOP, customerRef: customer.id, currency: "USD", totalSpent: "10.5", orders: 1 },
      ],
    });
    await attributed(SHOP, { sourceId: "b1", total: "5000" });
    await db.customer.create({ data: { shop: OTHER, customerId: "9001", displayName: "Someone else" } });

    const page = await body(await call(friendLoader, await adminRequest(`/app/friends/${friend.id}`), { id: friend.id }));
    expect(page.customer).toMatchObject({
      customerId: "9001",
      name: "山田 花子",
      ordersCount: 2,
      tags: ["VIP"],
      spend: [
        { currency: "JPY", total: "9000", orders: 2, average: "4500" },
        { currency: "USD", total: "10.50", orders: 1, average: "10.50" },
      ],
    });
    expect(page.customer.orders).toHaveLength(1);
    expect(page.customer.orders[0]).toMatchObject({ total: "5000", attribution: { kind: "broadcast", rule: "click" } });
  });
});
