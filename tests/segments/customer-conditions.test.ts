// The conditions on Shopify customer data against real rows: each condition's truth table over linked friends, the
// shop's currency, cancelled orders out, collections through CollectionProduct, and another shop's customers,
// orders and collections (same Shopify ids) never matching.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { countSegment, segmentWhere } from "~/segments/compile.server";
import { referencedIds, segmentDefinitionSchema, type Condition, type SegmentDefinition } from "~/segments/model";
import { createFriend, createLineAccount, createShop } from "../support/factories";

const SHOP = "segments-customers.myshopify.com";
const OTHER = "segments-customers-other.myshopify.com";
const NOW = new Date();
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

const one = (...conditions: Condition[]): SegmentDefinition => ({ match: "all", groups: [{ match: "all", conditions }] });

async function names(condition: Condition | SegmentDefinition, shop = SHOP) {
  const definition = "groups" in condition ? condition : one(condition);
  expect(segmentDefinitionSchema.safeParse(definition).success).toBe(true);
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT f."displayName" AS name FROM "Friend" f WHERE ${segmentWhere(shop, definition, NOW)} ORDER BY 1`;
  return rows.map((row) => row.name);
}

let order = 0;
async function seedCustomer(
  shop: string,
  customerId: string,
  data: { tags?: string[]; email?: string; sms?: string; country?: string; province?: string; first?: number; last?: number; count?: number },
  spend: Record<string, string>,
  orders: { daysAgo: number; lines: { product: string; variant: string }[]; cancelled?: boolean }[],
) {
  const customer = await db.customer.create({
    data: {
      shop, customerId, displayName: `Customer ${customerId}`, tags: data.tags ?? [], emailMarketing: data.email ?? null, smsMarketing: data.sms ?? null,
      countryCode: data.country ?? null, provinceCode: data.province ?? null, ordersCount: data.count ?? 0,
      firstOrderAt: data.first === undefined ? null : daysAgo(data.first), lastOrderAt: data.last === undefined ? null : daysAgo(data.last), importStatus: "done",
    },
  });
  for (const [currency, total] of Object.entries(spend)) {
    await db.customerSpend.create({ data: { shop, customerRef: customer.id, currency, totalSpent: total, orders: 1 } });
  }
  for (const spec of orders) {
    order += 1;
    const row = await db.order.create({
      data: { shop, orderId: String(500_000 + order), customerId, currency: "JPY", totalPrice: "1000", processedAt: daysAgo(spec.daysAgo), cancelledAt: spec.cancelled ? daysAgo(spec.daysAgo) : null },
    });
    for (const line of spec.lines) {
      await db.orderLine.create({ data: { shop, orderRef: row.id, productId: line.product, variantId: line.variant, title: "item", quantity: 1 } });
    }
  }
}

beforeAll(async () => {
  await createShop(db, { shop: SHOP });
  await createShop(db, { shop: OTHER });
  await db.shop.updateMany({ where: { shop: { in: [SHOP, OTHER] } }, data: { currency: "JPY" } });
  const account = await createLineAccount(db, SHOP);
  const otherAccount = await createLineAccount(db, OTHER);
  for (const [name, customer] of [["aoi", "101"], ["ben", "102"], ["chie", "103"], ["dan", null], ["eri", "104"]] as const) {
    await createFriend(db, account, { displayName: name, shopifyCustomerId: customer, followStatus: "following" });
  }
  await createFriend(db, otherAccount, { displayName: "other-aoi", shopifyCustomerId: "101", followStatus: "following" });

  await seedCustomer(SHOP, "101", { tags: ["VIP", "wholesale"], email: "SUBSCRIBED", sms: "NOT_SUBSCRIBED", country: "JP", province: "JP-13", first: 200, last: 10, count: 3 }, { JPY: "30000", USD: "500" }, [
    { daysAgo: 10, lines: [{ product: "5001", variant: "6001" }] },
    { daysAgo: 200, lines: [{ product: "5002", variant: "6003" }] },
  ]);
  await seedCustomer(SHOP, "102", { tags: ["new"], email: "NOT_SUBSCRIBED", sms: "SUBSCRIBED", country: "US", province: "CA", first: 100, last: 100, count: 1 }, { JPY: "5000" }, [
    { daysAgo: 100, lines: [{ product: "5002", variant: "6002" }] },
    { daysAgo: 5, lines: [{ product: "5001", variant: "6001" }], cancelled: true },
  ]);
  await seedCustomer(SHOP, "103", { country: "JP", province: "JP-27" }, {}, []);
  // The other shop: customer 103 is a big spender there, with product 5001, tagged VIP, subscribed, in Tokyo.
  await seedCustomer(OTHER, "103", { tags: ["VIP"], email: "SUBSCRIBED", sms: "SUBSCRIBED", country: "JP", province: "JP-13", first: 1, last: 1, count: 9 }, { JPY: "999999" }, [
    { daysAgo: 1, lines: [{ product: "5001", variant: "6001" }, { product: "5003", variant: "6009" }] },
  ]);
  await db.collectionProduct.createMany({
    data: [
      { shop: SHOP, collectionId: "7001", productId: "5001" },
      { shop: SHOP, collectionId: "7002", productId: "5999" },
      { shop: OTHER, collectionId: "7001", productId: "5002" },
      { shop: OTHER, collectionId: "7002", productId: "5003" },
    ],
  });
});

const purchased = (target: "product" | "variant" | "collection", ids: string[], extra: Partial<Extract<Condition, { field: "purchased" }>> = {}): Condition => ({
  field: "purchased", match: "any", target, items: ids.map((id) => ({ id, title: `#${id}` })), period: "ever", days: null, ...extra,
});

describe("Shopify customer conditions", () => {
  it("total spent in the shop's currency, ≥ and ≤ (no spend counts as 0; other currencies ignored)", async () => {
    expect(await names({ field: "totalSpent", op: "gte", amount: 20000 })).toEqual(["aoi"]);
    expect(await names({ field: "totalSpent", op: "gte", amount: 5000 })).toEqual(["aoi", "ben"]);
    expect(await names({ field: "totalSpent", op: "lte", amount: 5000 })).toEqual(["ben", "chie"]);
    expect(await names({ field: "totalSpent", op: "lte", amount: 1000 })).toEqual(["chie"]);
    expect(await names({ field: "totalSpent", op: "lte", amount: 1e9 })).toEqual(["aoi", "ben", "chie"]);
    await db.shop.update({ where: { shop: SHOP }, data: { currency: "USD" } });
    try {
      expect(await names({ field: "totalSpent", op: "gte", amount: 400 })).toEqual(["aoi"]);
    } finally {
      await db.shop.update({ where: { shop: SHOP }, data: { currency: "JPY" } });
    }
  });

  it("orders count", async () => {
    expect(await names({ field: "ordersCount", op: "gte", count: 2 })).toEqual(["aoi"]);
    expect(await names({ field: "ordersCount", op: "lte", count: 1 })).toEqual(["ben", "chie"]);
    expect(await names({ field: "ordersCount", op: "gte", count: 0 })).toEqual(["aoi", "ben", "chie"]);
  });

  it("first and last order date within / not within N days", async () => {
    expect(await names({ field: "orderDate", which: "last", within: true, days: 30 })).toEqual(["aoi"]);
    expect(await names({ field: "orderDate", which: "last", within: false, days: 30 })).toEqual(["ben", "chie"]);
    expect(await names({ field: "orderDate", which: "first", within: true, days: 150 })).toEqual(["ben"]);
    expect(await names({ field: "orderDate", which: "first", within: false, days: 150 })).toEqual(["aoi", "chie"]);
  });

  it("purchased a product, a variant or a product of a collection, ever or within N days; cancelled orders never count", async () => {
    expect(await names(purchased("product", ["5001"]))).toEqual(["aoi"]);
    expect(await names(purchased("product", ["5002"]))).toEqual(["aoi", "ben"]);
    expect(await names(purchased("product", ["5002"], { period: "lastDays", days: 150 }))).toEqual(["ben"]);
    expect(await names(purchased("product", ["5001"], { match: "none" }))).toEqual(["ben", "chie"]);
    expect(await names(purchased("variant", ["6002"]))).toEqual(["ben"]);
    expect(await names(purchased("variant", ["6001", "6003"]))).toEqual(["aoi"]);
    expect(await names(purchased("collection", ["7001"]))).toEqual(["aoi"]);
    expect(await names(purchased("collection", ["7001"], { match: "none" }))).toEqual(["ben", "chie"]);
    expect(await names(purchased("collection", ["7002"]))).toEqual([]);
  });

  it("customer tags, marketing consent and the default address", async () => {
    expect(await names({ field: "customerTag", match: "any", tags: ["VIP", "nobody"] })).toEqual(["aoi"]);
    expect(await names({ field: "customerTag", match: "all", tags: ["VIP", "wholesale"] })).toEqual(["aoi"]);
    expect(await names({ field: "customerTag", match: "all", tags: ["VIP", "new"] })).toEqual([]);
    expect(await names({ field: "customerTag", match: "none", tags: ["VIP"] })).toEqual(["ben", "chie"]);
    expect(await names({ field: "marketingConsent", channel: "email", subscribed: true })).toEqual(["aoi"]);
    expect(await names({ field: "marketingConsent", channel: "email", subscribed: false })).toEqual(["ben", "chie"]);
    expect(await names({ field: "marketingConsent", channel: "sms", subscribed: true })).toEqual(["ben"]);
    expect(await names({ field: "location", match: "any", countryCode: "JP", provinceCodes: [] })).toEqual(["aoi", "chie"]);
    expect(await names({ field: "location", match: "any", countryCode: "JP", provinceCodes: ["13"] })).toEqual(["aoi"]);
    expect(await names({ field: "location", match: "any", countryCode: "US", provinceCodes: ["CA"] })).toEqual(["ben"]);
    expect(await names({ field: "location", match: "none", countryCode: "JP", provinceCodes: [] })).toEqual(["ben"]);
  });

  it("combines with friend conditions, and counts the same", async () => {
    const definition: SegmentDefinition = {
      match: "any",
      groups: [
        { match: "all", conditions: [{ field: "totalSpent", op: "gte", amount: 20000 }, purchased("collection", ["7001"], { period: "lastDays", days: 90 })] },
        { match: "all", conditions: [{ field: "linked", linked: false }] },
      ],
    };
    expect(await names(definition)).toEqual(["aoi", "dan"]);
    expect(await countSegment(SHOP, definition)).toBe(2);
  });

  it("never matches with another shop's customers, orders or collections", async () => {
    // In the other shop, customer 103 matches all of these; in this shop chie (103) matches none.
    expect(await names({ field: "totalSpent", op: "gte", amount: 100000 })).toEqual([]);
    expect(await names(purchased("product", ["5003"]))).toEqual([]);
    expect(await names(purchased("collection", ["7002"]))).toEqual([]);
    expect(await names({ field: "orderDate", which: "last", within: true, days: 5 })).toEqual([]);
    expect(await names({ field: "customerTag", match: "any", tags: ["VIP"] })).toEqual(["aoi"]);
    // And the other shop's friend (customer 101 there, who has no Customer row there) matches nothing of it.
    expect(await names({ field: "ordersCount", op: "gte", count: 0 }, OTHER)).toEqual([]);
  });

  it("validates Shopify ids, amounts, days and codes, and names the collections to read", () => {
    const bad = (condition: unknown) => !segmentDefinitionSchema.safeParse({ match: "all", groups: [{ match: "all", conditions: [condition] }] }).success;
    expect(bad({ ...purchased("product", ["gid://shopify/Product/1"]) })).toBe(true);
    expect(bad({ ...purchased("product", ["0123"]) })).toBe(true);
    expect(bad({ ...purchased("product", []) })).toBe(true);
    expect(bad({ ...purchased("product", ["5001"], { period: "lastDays", days: null }) })).toBe(true);
    expect(bad({ field: "totalSpent", op: "gte", amount: -1 })).toBe(true);
    expect(bad({ field: "ordersCount", op: "gte", count: 1.5 })).toBe(true);
    expect(bad({ field: "location", match: "any", countryCode: "jpn", provinceCodes: [] })).toBe(true);
    expect(bad({ field: "customerTag", match: "any", tags: [""] })).toBe(true);
    expect(bad(purchased("collection", ["7001"]))).toBe(false);
    expect(referencedIds(one(purchased("collection", ["7001", "7002"]), purchased("product", ["5001"]), purchased("collection", ["7001"]))).collectionIds).toEqual(["7001", "7002"]);
  });
});
