// The friends list (search, filters, keyset pages), one friend's record, and the operator block.
import type { Friend, LineAccount } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import {
  blockFriend,
  encodeCursor,
  FriendQueryError,
  getFriend,
  listFriends,
  unblockFriend,
  type FriendQuery,
} from "~/friends/friends.server";
import { createFriend, createLineAccount } from "../support/factories";

const SHOP = "friends-list.myshopify.com";
const OTHER = "someone-else.myshopify.com";

let main: LineAccount;
let second: LineAccount;
let vip: string;
let sale: string;
const named: Record<string, Friend> = {};

async function ids(query: FriendQuery | URLSearchParams, shop = SHOP) {
  return (await listFriends(shop, query)).friends.map((friend) => friend.id);
}

async function allPages(query: FriendQuery, shop = SHOP) {
  const seen: string[] = [];
  let after: string | undefined;
  let pages = 0;
  do {
    const page = await listFriends(shop, { ...query, after });
    seen.push(...page.friends.map((friend) => friend.id));
    after = page.nextCursor ?? undefined;
    pages += 1;
  } while (after && pages < 100);
  return { seen, pages };
}

beforeAll(async () => {
  main = await createLineAccount(db, SHOP, { displayName: "Tokyo Tea" });
  second = await createLineAccount(db, SHOP, { displayName: "Osaka Tea" });
  const other = await createLineAccount(db, OTHER);
  const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 9, minutes));
  const specs: [string, Parameters<typeof createFriend>[2], LineAccount?][] = [
    ["Sato Hanako", { createdAt: at(1), shopifyCustomerId: "1001" }],
    ["佐藤 花子", { createdAt: at(2) }],
    ["SATOSHI", { createdAt: at(3), followStatus: "blocked" }],
    ["100% Matcha", { createdAt: at(4), followStatus: "unknown", shopifyCustomerId: "gid://shopify/Customer/1002" }],
    ["under_score", { createdAt: at(5), operatorBlockedAt: at(6) }],
    ["Suzuki Ichiro", { createdAt: at(7) }, second],
  ];
  for (const [displayName, overrides, account] of specs) {
    named[displayName] = await createFriend(db, account ?? main, { ...overrides, displayName });
  }
  await createFriend(db, other, { displayName: "Sato Other Shop", createdAt: at(8) });

  vip = (await db.tag.create({ data: { shop: SHOP, name: "VIP", color: "success" } })).id;
  sale = (await db.tag.create({ data: { shop: SHOP, name: "Sale", color: "info" } })).id;
  for (const [name, tagId] of [["Sato Hanako", vip], ["Sato Hanako", sale], ["SATOSHI", vip]] as const) {
    await db.friendTag.create({ data: { shop: SHOP, friendId: named[name].id, tagId } });
  }
});

describe("listFriends", () => {
  it("lists the shop's friends newest first, with tags and account", async () => {
    const { friends, nextCursor } = await listFriends(SHOP);
    expect(friends.map((f) => f.displayName)).toEqual([
      "Suzuki Ichiro", "under_score", "100% Matcha", "SATOSHI", "佐藤 花子", "Sato Hanako",
    ]);
    expect(nextCursor).toBeNull();
    const hanako = friends.find((f) => f.displayName === "Sato Hanako");
    expect(hanako?.tags.map((t) => t.tag.name)).toEqual(["Sale", "VIP"]);
    expect(hanako?.lineAccount).toEqual({ id: main.id, displayName: "Tokyo Tea" });
  });

  it("searches names case-insensitively, in Japanese too, with % and _ taken literally", async () => {
    expect(await ids({ q: "sato" })).toEqual([named.SATOSHI.id, named["Sato Hanako"].id]);
    expect(await ids({ q: "  HANAKO " })).toEqual([named["Sato Hanako"].id]);
    expect(await ids({ q: "佐藤" })).toEqual([named["佐藤 花子"].id]);
    expect(await ids({ q: "%" })).toEqual([named["100% Matcha"].id]);
    // Unescaped, "r_" would also match the "ro" of Ichiro.
    expect(await ids({ q: "r_" })).toEqual([named["under_score"].id]);
    expect(await ids({ q: "nobody" })).toEqual([]);
  });

  it("filters by follow status", async () => {
    expect(await ids({ status: "blocked" })).toEqual([named.SATOSHI.id]);
    expect(await ids({ status: "unknown" })).toEqual([named["100% Matcha"].id]);
    expect(await ids({ status: "following" })).toHaveLength(4);
  });

  it("filters by operator block", async () => {
    expect(await ids({ operatorBlocked: true })).toEqual([named["under_score"].id]);
    expect(await ids(new URLSearchParams("operatorBlocked=false"))).toHaveLength(5);
  });

  it("filters by tag", async () => {
    expect(await ids({ tagId: vip })).toEqual([named.SATOSHI.id, named["Sato Hanako"].id]);
    expect(await ids({ tagId: sale })).toEqual([named["Sato Hanako"].id]);
    expect(await ids({ tagId: "no-such-tag" })).toEqual([]);
  });

  it("filters by link to a Shopify customer", async () => {
    expect(await ids(new URLSearchParams("linked=true"))).toEqual([named["100% Matcha"].id, named["Sato Hanako"].id]);
    expect(await ids({ linked: false })).toHaveLength(4);
  });

  it("filters by LINE account, and combines filters", async () => {
    expect(await ids({ lineAccountId: second.id })).toEqual([named["Suzuki Ichiro"].id]);
    expect(await ids({ q: "sato", tagId: vip, status: "following" })).toEqual([named["Sato Hanako"].id]);
    expect(await ids(new URLSearchParams("q=&status=&tagId=&shop=x&id_token=y"))).toHaveLength(6);
  });

  it("never shows another shop's friends, whatever the query", async () => {
    expect(await ids({ q: "Other Shop" })).toEqual([]);
    const otherShop = await listFriends(OTHER, {});
    expect(otherShop.friends.map((f) => f.displayName)).toEqual(["Sato Other Shop"]);
    // A cursor names a position, not a shop: it cannot reach across.
    expect(await ids({ after: encodeCursor(named["Suzuki Ichiro"]) }, OTHER)).toEqual([]);
  });

  it("refuses a damaged cursor, an unknown status and a bad limit with a readable message", async () => {
    const refused = async (query: FriendQuery) => listFriends(SHOP, query).then(() => null, (error: unknown) => error);
    const cursor = await refused({ after: "not-a-cursor" });
    expect(cursor).toBeInstanceOf(FriendQueryError);
    expect((cursor as FriendQueryError).status).toBe(400);
    expect((cursor as Error).message).toMatch(/after: this page link is damaged or out of date/);
    expect(((await refused({ after: Buffer.from("123.abc'; --").toString("base64url") })) as Error).message).toMatch(/after/);
    expect(((await refused({ status: "asleep" as never })) as Error).message).toMatch(/status must be following, blocked or unknown/);
    expect(((await refused({ limit: "1000" })) as Error).message).toMatch(/limit/);
    expect(await refused({ linked: "maybe" as never })).toBeInstanceOf(FriendQueryError);
  });
});

describe("keyset pagination", () => {
  const SHOP_P = "paging.myshopify.com";
  let expected: string[];

  beforeAll(async () => {
    const account = await createLineAccount(db, SHOP_P);
    const same = new Date(Date.UTC(2026, 1, 1, 12, 0, 0, 0));
    const rows = Array.from({ length: 130 }, (_, i) => ({
      shop: SHOP_P,
      lineAccountId: account.id,
      lineUserId: `U${i.toString(16).padStart(32, "0")}`,
      displayName: `Pager ${i}`,
      followStatus: i % 3 === 0 ? "blocked" : "following",
      // 60 friends share one creation time (an import writes whole pages at once); the others are spread out.
      createdAt: i < 60 ? same : new Date(same.getTime() + (i - 59) * 1000 * (i % 2 ? 1 : -1)),
    }));
    await db.friend.createMany({ data: rows });
    const all = await db.friend.findMany({ where: { shop: SHOP_P }, select: { id: true, createdAt: true } });
    expected = all
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((f) => f.id);
  });

  it("walks every friend exactly once, in order, across pages that split equal creation times", async () => {
    const { seen, pages } = await allPages({ limit: 25 }, SHOP_P);
    expect(pages).toBe(6);
    expect(new Set(seen).size).toBe(130);
    expect(seen).toEqual(expected);
  });

  it("keeps the filter on every page", async () => {
    const { seen } = await allPages({ limit: 7, status: "blocked" }, SHOP_P);
    const blocked = await db.friend.findMany({ where: { shop: SHOP_P, followStatus: "blocked" }, select: { id: true } });
    expect(seen).toHaveLength(blocked.length);
    expect(seen).toEqual(expected.filter((id) => blocked.some((b) => b.id === id)));
  });

  it("says there is no next page exactly when the last row was shown", async () => {
    const blocked = await db.friend.count({ where: { shop: SHOP_P, followStatus: "blocked" } });
    expect(blocked).toBe(44);
    const exact = await listFriends(SHOP_P, { status: "blocked", limit: 44 });
    expect(exact.friends).toHaveLength(44);
    expect(exact.nextCursor).toBeNull();
    const short = await listFriends(SHOP_P, { status: "blocked", limit: 43 });
    expect(short.nextCursor).not.toBeNull();
    expect(await ids({ status: "blocked", after: short.nextCursor ?? "" }, SHOP_P)).toEqual([exact.friends[43].id]);
  });

  it("uses 50 rows per page by default", async () => {
    const first = await listFriends(SHOP_P);
    expect(first.friends).toHaveLength(50);
    expect(first.friends.map((f) => f.id)).toEqual(expected.slice(0, 50));
  });
});

describe("getFriend", () => {
  it("returns tags, the latest 50 messages oldest first, and the account without secrets", async () => {
    const friend = named["Sato Hanako"];
    const start = Date.UTC(2026, 2, 1);
    await db.message.createMany({
      data: Array.from({ length: 60 }, (_, i) => ({
        shop: SHOP,
        lineAccountId: main.id,
        friendId: friend.id,
        direction: i % 2 ? "out" : "in",
        kind: "text",
        text: `message ${i}`,
        createdAt: new Date(start + i * 60_000),
      })),
    });
    const found = await getFriend(SHOP, friend.id);
    expect(found?.tags.map((t) => [t.name, t.source])).toEqual([["Sale", "manual"], ["VIP", "manual"]]);
    expect(found?.messages).toHaveLength(50);
    expect(found?.messages[0].text).toBe("message 10");
    expect(found?.messages.at(-1)?.text).toBe("message 59");
    expect(found?.lineAccount).toEqual({
      id: main.id, displayName: "Tokyo Tea", status: "connected", botDisplayName: "Tokyo Tea", botBasicId: "@123abcde",
    });
    expect(JSON.stringify(found)).not.toContain(main.channelSecret);
  });

  it("does not show another shop's friend", async () => {
    expect(await getFriend(OTHER, named["Sato Hanako"].id)).toBeNull();
    expect(await getFriend(SHOP, "missing")).toBeNull();
  });
});

describe("operator block", () => {
  it("sets and clears operatorBlockedAt, keeping the first block time", async () => {
    const friend = named["佐藤 花子"];
    expect(await blockFriend(SHOP, friend.id)).toBe(true);
    const first = (await db.friend.findUniqueOrThrow({ where: { id: friend.id } })).operatorBlockedAt;
    expect(first).toBeInstanceOf(Date);
    expect(await blockFriend(SHOP, friend.id)).toBe(true);
    expect((await db.friend.findUniqueOrThrow({ where: { id: friend.id } })).operatorBlockedAt).toEqual(first);
    expect(await ids({ operatorBlocked: true })).toContain(friend.id);

    expect(await unblockFriend(SHOP, friend.id)).toBe(true);
    expect((await db.friend.findUniqueOrThrow({ where: { id: friend.id } })).operatorBlockedAt).toBeNull();
  });

  it("cannot block or unblock another shop's friend", async () => {
    const friend = named["under_score"];
    expect(await unblockFriend(OTHER, friend.id)).toBe(false);
    expect(await blockFriend(OTHER, named["佐藤 花子"].id)).toBe(false);
    const after = await db.friend.findMany({ where: { id: { in: [friend.id, named["佐藤 花子"].id] } } });
    expect(after.find((f) => f.id === friend.id)?.operatorBlockedAt).not.toBeNull();
    expect(after.find((f) => f.id !== friend.id)?.operatorBlockedAt).toBeNull();
  });
});
