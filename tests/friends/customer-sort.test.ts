// The friends list with Shopify customer data: the customer's name and figures on each row, and keyset pages that
// stay correct when sorted by total spent or last order (ties, friends without figures, another shop's customers).
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { FriendQueryError, listFriends, type FriendQuery } from "~/friends/friends.server";
import { createFriend, createLineAccount, createShop } from "../support/factories";

const SHOP = "friends-sort.myshopify.com";
const OTHER = "friends-sort-other.myshopify.com";
const NOW = Date.now();
const daysAgo = (days: number) => new Date(NOW - days * 86_400_000);

async function allPages(query: FriendQuery, limit: number) {
  const names: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < 20; page += 1) {
    const result = await listFriends(SHOP, { ...query, limit, after });
    names.push(...result.friends.map((f) => f.displayName ?? "?"));
    if (!result.nextCursor) return names;
    after = result.nextCursor;
  }
  throw new Error("pagination did not end");
}

beforeAll(async () => {
  await createShop(db, { shop: SHOP });
  await createShop(db, { shop: OTHER });
  await db.shop.updateMany({ where: { shop: { in: [SHOP, OTHER] } }, data: { currency: "JPY" } });
  const account = await createLineAccount(db, SHOP);
  const otherAccount = await createLineAccount(db, OTHER);
  // name, customer id, JPY spend, last order (days ago)
  const specs: [string, string | null, string | null, number | null][] = [
    ["a-big", "1", "30000", 20],
    ["b-tie1", "2", "5000", 3],
    ["c-tie2", "3", "5000", 1],
    ["d-usd-only", "4", null, 50],
    ["e-unlinked", null, null, null],
    ["f-unlinked", null, null, null],
    ["g-not-imported", "7", null, null],
  ];
  for (const [name, customerId, spent, last] of specs) {
    await createFriend(db, account, { displayName: name, shopifyCustomerId: customerId });
    if (!customerId || name === "g-not-imported") continue;
    const customer = await db.customer.create({
      data: { shop: SHOP, customerId, displayName: `Customer ${name}`, lastOrderAt: last === null ? null : daysAgo(last), ordersCount: 1, importStatus: name === "b-tie1" ? "importing" : "done" },
    });
    await db.customerSpend.create({ data: { shop: SHOP, customerRef: customer.id, currency: spent ? "JPY" : "USD", totalSpent: spent ?? "99", orders: 1 } });
  }
  // The other shop's customer 6 spent the most and ordered last; in this shop, no friend is customer 6 … and
  // customer 4 there is rich in yen, which must not lift this shop's d-usd-only.
  await createFriend(db, otherAccount, { displayName: "other", shopifyCustomerId: "6" });
  const rich = await db.customer.create({ data: { shop: OTHER, customerId: "4", displayName: "Other shop's 4", lastOrderAt: daysAgo(0), ordersCount: 9 } });
  await db.customerSpend.create({ data: { shop: OTHER, customerRef: rich.id, currency: "JPY", totalSpent: "999999", orders: 9 } });
});

describe("friends list with customers", () => {
  it("shows the customer's name, spend in the shop's currency and last order", async () => {
    const { friends } = await listFriends(SHOP, { sort: "totalSpent", limit: 3 });
    expect(friends.map((f) => [f.displayName, f.customer?.name, f.customer?.totalSpent, f.customer?.currency])).toEqual([
      ["a-big", "Customer a-big", "30000", "JPY"],
      ["c-tie2", "Customer c-tie2", "5000", "JPY"],
      ["b-tie1", "Customer b-tie1", "5000", "JPY"],
    ]);
    expect(friends[2]!.customer?.importStatus).toBe("importing");
  });

  it("pages by total spent: highest first, ties by id, friends without spend last, nobody twice", async () => {
    const whole = await allPages({ sort: "totalSpent" }, 100);
    expect(whole[0]).toBe("a-big");
    expect(new Set(whole.slice(1, 3))).toEqual(new Set(["b-tie1", "c-tie2"]));
    expect(new Set(whole.slice(3))).toEqual(new Set(["d-usd-only", "e-unlinked", "f-unlinked", "g-not-imported"]));
    for (const limit of [1, 2, 3]) expect(await allPages({ sort: "totalSpent" }, limit)).toEqual(whole);
  });

  it("pages by last order: latest first, friends without orders last", async () => {
    const whole = await allPages({ sort: "lastOrder" }, 100);
    expect(whole.slice(0, 4)).toEqual(["c-tie2", "b-tie1", "a-big", "d-usd-only"]);
    expect(new Set(whole.slice(4))).toEqual(new Set(["e-unlinked", "f-unlinked", "g-not-imported"]));
    for (const limit of [1, 2, 4]) expect(await allPages({ sort: "lastOrder" }, limit)).toEqual(whole);
  });

  it("keeps the newest-first order and filters with a sort, and refuses a cursor made for another sort", async () => {
    expect(await allPages({}, 2)).toEqual(await allPages({}, 100));
    const linked = await allPages({ sort: "totalSpent", linked: "true" }, 100);
    expect(new Set(linked)).toEqual(new Set(["a-big", "b-tie1", "c-tie2", "d-usd-only", "g-not-imported"]));
    expect(await allPages({ sort: "totalSpent", linked: "true" }, 2)).toEqual(linked);
    const newest = await listFriends(SHOP, { limit: 1 });
    await expect(listFriends(SHOP, { sort: "totalSpent", after: newest.nextCursor! })).rejects.toBeInstanceOf(FriendQueryError);
    const bySpend = await listFriends(SHOP, { sort: "totalSpent", limit: 1 });
    await expect(listFriends(SHOP, { sort: "lastOrder", after: bySpend.nextCursor! })).rejects.toBeInstanceOf(FriendQueryError);
    await expect(listFriends(SHOP, { sort: "spent" as "totalSpent" })).rejects.toBeInstanceOf(FriendQueryError);
  });
});
