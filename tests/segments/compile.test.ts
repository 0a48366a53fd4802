// The segment engine against real rows: every condition, AND/OR inside and between groups, the shop's time zone
// for date ranges, staff-blocked friends never in a segment, and another shop's rows never counted.
import type { LineAccount } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { countSegment, friendsWhere, segmentWhere, type FilterDefinition } from "~/segments/compile.server";
import { segmentDefinitionSchema, type Condition, type SegmentDefinition } from "~/segments/model";
import { createFriend, createLineAccount, createShop } from "../support/factories";

const SHOP = "segments-compile.myshopify.com";
const OTHER = "segments-other.myshopify.com";
const NOW = new Date();
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

let tokyo: LineAccount;
let osaka: LineAccount;
const tags: Record<string, string> = {};
const links: Record<string, string> = {};

async function names(definition: SegmentDefinition, shop = SHOP) {
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT f."displayName" AS name FROM "Friend" f WHERE ${segmentWhere(shop, definition, NOW)} ORDER BY 1`;
  return rows.map((row) => row.name);
}

const one = (...conditions: Condition[]): SegmentDefinition => ({ match: "all", groups: [{ match: "all", conditions }] });

beforeAll(async () => {
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  await createShop(db, { shop: OTHER, timeZone: "America/Los_Angeles" });
  tokyo = await createLineAccount(db, SHOP, { displayName: "Tokyo" });
  osaka = await createLineAccount(db, SHOP, { displayName: "Osaka" });
  const other = await createLineAccount(db, OTHER);
  for (const name of ["VIP", "Sale"]) tags[name] = (await db.tag.create({ data: { shop: SHOP, name } })).id;
  const otherVip = await db.tag.create({ data: { shop: OTHER, name: "VIP" } });
  for (const name of ["Instagram", "Flyer"]) {
    links[name] = (await db.trackingLink.create({ data: { shop: SHOP, lineAccountId: tokyo.id, code: `code${name}`, name, tagNames: [] } })).id;
  }

  // createdAt in UTC; the comments give the shop's Tokyo time.
  const specs = [
    { name: "hana", account: tokyo, createdAt: "2026-03-31T15:30:00Z" /* 04-01 00:30 */, followStatus: "following", customer: "1", last: 2, language: "ja", tags: ["VIP", "Sale"], link: "Instagram" },
    { name: "taro", account: tokyo, createdAt: "2026-03-31T14:59:00Z" /* 03-31 23:59 */, followStatus: "blocked", customer: null, last: 40, language: "en", tags: ["VIP"], link: "Flyer" },
    { name: "yuki", account: osaka, createdAt: "2026-04-30T14:59:00Z" /* 04-30 23:59 */, followStatus: "following", customer: "2", last: null, language: null, tags: [], link: null },
    { name: "ken", account: tokyo, createdAt: "2026-04-30T15:00:00Z" /* 05-01 00:00 */, followStatus: "unknown", customer: null, last: 10, language: "zh-Hant", tags: ["Sale"], link: null },
    { name: "staff-blocked", account: tokyo, createdAt: daysAgo(1).toISOString(), followStatus: "following", customer: "3", last: 1, language: "ja", tags: ["VIP"], link: "Instagram", blocked: true },
    { name: "recent", account: osaka, createdAt: daysAgo(3).toISOString(), followStatus: "following", customer: null, last: 0.5, language: "JA", tags: [], link: null },
  ] as const;
  for (const spec of specs) {
    const friend = await createFriend(db, spec.account, {
      displayName: spec.name,
      followStatus: spec.followStatus,
      shopifyCustomerId: spec.customer,
      createdAt: new Date(spec.createdAt),
      operatorBlockedAt: "blocked" in spec ? daysAgo(1) : undefined,
    });
    await db.friend.update({ where: { id: friend.id }, data: { language: spec.language, lastMessageAt: spec.last === null ? null : daysAgo(spec.last) } });
    for (const tag of spec.tags) await db.friendTag.create({ data: { shop: SHOP, friendId: friend.id, tagId: tags[tag] } });
    if (spec.link) await db.friendSource.create({ data: { shop: SHOP, friendId: friend.id, trackingLinkId: links[spec.link], params: {} } });
  }
  // Another shop's friend who would match everything by its values.
  const outsider = await createFriend(db, other, { displayName: "outsider", shopifyCustomerId: "1", createdAt: daysAgo(1) });
  await db.friend.update({ where: { id: outsider.id }, data: { language: "ja", lastMessageAt: daysAgo(1) } });
  await db.friendTag.create({ data: { shop: OTHER, friendId: outsider.id, tagId: otherVip.id } });
});

describe("each condition", () => {
  it("no conditions: every friend of the shop but the staff-blocked one", async () => {
    expect(await names({ match: "all", groups: [] })).toEqual(["hana", "ken", "recent", "taro", "yuki"]);
    expect(await countSegment(SHOP, { match: "any", groups: [] })).toBe(5);
  });

  it("account", async () => {
    expect(await names(one({ field: "account", accountIds: [osaka.id] }))).toEqual(["recent", "yuki"]);
    expect(await names(one({ field: "account", accountIds: [osaka.id, tokyo.id] }))).toHaveLength(5);
  });

  it("follow status", async () => {
    expect(await names(one({ field: "followStatus", statuses: ["blocked", "unknown"] }))).toEqual(["ken", "taro"]);
  });

  it("tags: any, all, none", async () => {
    expect(await names(one({ field: "tags", match: "any", tagIds: [tags.VIP, tags.Sale] }))).toEqual(["hana", "ken", "taro"]);
    expect(await names(one({ field: "tags", match: "all", tagIds: [tags.VIP, tags.Sale] }))).toEqual(["hana"]);
    expect(await names(one({ field: "tags", match: "none", tagIds: [tags.VIP] }))).toEqual(["ken", "recent", "yuki"]);
  });

  it("friend since: calendar days in the shop's time zone, both ends included", async () => {
    const april = one({ field: "friendSince", mode: "dates", from: "2026-04-01", to: "2026-04-30" });
    expect(await names(april)).toEqual(["hana", "yuki"]);
    expect(await names(one({ field: "friendSince", mode: "dates", from: "2026-05-01" }))).toEqual(["ken", "recent"]);
    expect(await names(one({ field: "friendSince", mode: "dates", to: "2026-03-31" }))).toEqual(["taro"]);
    expect(await names(one({ field: "friendSince", mode: "lastDays", days: 7 }))).toEqual(["recent"]);
  });

  it("friend since follows the shop's time zone when it changes", async () => {
    await db.shop.update({ where: { shop: SHOP }, data: { timeZone: "UTC" } });
    try {
      // In UTC, taro joined on 03-31 and ken on 04-30.
      expect(await names(one({ field: "friendSince", mode: "dates", from: "2026-04-01", to: "2026-04-30" }))).toEqual(["ken", "yuki"]);
    } finally {
      await db.shop.update({ where: { shop: SHOP }, data: { timeZone: "Asia/Tokyo" } });
    }
  });

  it("source: any or none of the tracking links", async () => {
    expect(await names(one({ field: "source", match: "any", trackingLinkIds: [links.Instagram] }))).toEqual(["hana"]);
    expect(await names(one({ field: "source", match: "any", trackingLinkIds: [links.Instagram, links.Flyer] }))).toEqual(["hana", "taro"]);
    expect(await names(one({ field: "source", match: "none", trackingLinkIds: [links.Instagram] }))).toEqual(["ken", "recent", "taro", "yuki"]);
  });

  it("linked to a Shopify customer or not", async () => {
    expect(await names(one({ field: "linked", linked: true }))).toEqual(["hana", "yuki"]);
    expect(await names(one({ field: "linked", linked: false }))).toEqual(["ken", "recent", "taro"]);
  });

  it("last message within or not within N days (never counts as not within)", async () => {
    expect(await names(one({ field: "lastMessage", within: true, days: 7 }))).toEqual(["hana", "recent"]);
    expect(await names(one({ field: "lastMessage", within: false, days: 7 }))).toEqual(["ken", "taro", "yuki"]);
    expect(await names(one({ field: "lastMessage", within: true, days: 30 }))).toEqual(["hana", "ken", "recent"]);
  });

  it("language, case-insensitively; unknown is none of them", async () => {
    expect(await names(one({ field: "language", match: "any", languages: ["ja"] }))).toEqual(["hana", "recent"]);
    expect(await names(one({ field: "language", match: "any", languages: ["en", "zh-hant"] }))).toEqual(["ken", "taro"]);
    expect(await names(one({ field: "language", match: "none", languages: ["ja"] }))).toEqual(["ken", "taro", "yuki"]);
  });
});

describe("combinations", () => {
  const vip = { field: "tags", match: "any", tagIds: [] as string[] } satisfies Condition;
  beforeAll(() => {
    vip.tagIds.push(tags.VIP);
  });

  it("AND and OR inside a group", async () => {
    const following = { field: "followStatus", statuses: ["following"] } satisfies Condition;
    expect(await names({ match: "all", groups: [{ match: "all", conditions: [vip, following] }] })).toEqual(["hana"]);
    expect(await names({ match: "all", groups: [{ match: "any", conditions: [vip, following] }] })).toEqual(["hana", "recent", "taro", "yuki"]);
  });

  it("AND and OR between groups", async () => {
    const groups = [
      { match: "any" as const, conditions: [vip, { field: "linked", linked: true } satisfies Condition] }, // hana taro yuki
      { match: "all" as const, conditions: [{ field: "account", accountIds: [osaka.id] } satisfies Condition] }, // yuki recent
    ];
    expect(await names({ match: "all", groups })).toEqual(["yuki"]);
    expect(await names({ match: "any", groups })).toEqual(["hana", "recent", "taro", "yuki"]);
    expect(await countSegment(SHOP, { match: "any", groups })).toBe(4);
  });

  it("a 3-condition segment", async () => {
    const definition = one(
      { field: "followStatus", statuses: ["following"] },
      { field: "tags", match: "any", tagIds: [tags.Sale] },
      { field: "lastMessage", within: true, days: 30 },
    );
    expect(await names(definition)).toEqual(["hana"]);
    expect(await countSegment(SHOP, definition)).toBe(1);
  });
});

describe("staff-blocked friends and other shops", () => {
  it("leaves the staff-blocked friend out of every segment, even one that matches only them", async () => {
    const onlyThem = one({ field: "friendSince", mode: "lastDays", days: 2 }, { field: "source", match: "any", trackingLinkIds: [links.Instagram] });
    // The list's engine (friendsWhere) finds them; the segment never does.
    const listed = await db.$queryRaw<{ name: string }[]>`
      SELECT f."displayName" AS name FROM "Friend" f WHERE ${friendsWhere(SHOP, onlyThem as FilterDefinition, NOW)}`;
    expect(listed.map((row) => row.name)).toEqual(["staff-blocked"]);
    expect(await names(onlyThem)).toEqual([]);
    expect(await countSegment(SHOP, onlyThem)).toBe(0);
  });

  it("never counts another shop's friends, even through that shop's tag id", async () => {
    const otherVip = await db.tag.findFirstOrThrow({ where: { shop: OTHER } });
    expect(await names(one({ field: "tags", match: "any", tagIds: [otherVip.id] }))).toEqual([]);
    expect(await names(one({ field: "linked", linked: true }), OTHER)).toEqual(["outsider"]);
    expect(await countSegment(OTHER, { match: "all", groups: [] })).toBe(1);
  });
});

describe("the schema", () => {
  const issues = (value: unknown) => {
    const parsed = segmentDefinitionSchema.safeParse(value);
    return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  };
  const group = (condition: unknown) => ({ match: "all", groups: [{ match: "all", conditions: [condition] }] });

  it("refuses incomplete or malformed conditions with i18n keys at their paths", () => {
    expect(issues(group({ field: "tags", match: "any", tagIds: [] }))).toEqual(["groups.0.conditions.0.tagIds: segments.error.pickOne"]);
    expect(issues(group({ field: "lastMessage", within: true, days: 0 }))).toEqual(["groups.0.conditions.0.days: segments.error.days"]);
    expect(issues(group({ field: "friendSince", mode: "dates", from: "2026-05-01", to: "2026-04-01" }))).toEqual(["groups.0.conditions.0.to: segments.error.dateOrder"]);
    expect(issues(group({ field: "friendSince", mode: "dates", from: "2026-02-30" }))).toEqual(["groups.0.conditions.0.from: segments.error.date"]);
    expect(issues(group({ field: "friendSince", mode: "dates" }))).toEqual(["groups.0.conditions.0.from: segments.error.dateRange"]);
    expect(issues(group({ field: "account", accountIds: ["x'; DROP TABLE"] }))).toEqual(["groups.0.conditions.0.accountIds.0: segments.error.id"]);
    expect(issues(group({ field: "orders", min: 1 }))).toHaveLength(1);
    expect(issues({ match: "all", groups: [{ match: "all", conditions: [] }] })).toEqual(["groups.0.conditions: segments.error.emptyGroup"]);
    expect(issues(group({ field: "language", match: "any", languages: ["ja"] }))).toEqual([]);
  });
});
