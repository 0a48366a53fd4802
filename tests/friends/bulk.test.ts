// Bulk actions of the friends list (through the list route's action) and its CSV export (through the CSV route):
// on the selection or on the whole filter, in batches, always within the shop, announced as friend changes.
import type { LineAccount } from "@prisma/client";
import { parse } from "csv-parse/sync";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { bulkAddTag, targetBatches } from "~/friends/bulk.server";
import { onFriendChange, type FriendChange } from "~/friends/changes.server";
import { action as listAction, loader as listLoader } from "~/routes/app.friends._index";
import { loader as csvLoader } from "~/routes/app.friends[.csv]";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createLineAccount } from "../support/factories";
import { connectedAccount } from "../support/line";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const OTHER = "other-bulk.myshopify.com";

let heard: { shop: string; friendIds: string[]; change: FriendChange }[] = [];
onFriendChange("bulk-test", async (shop, friendIds, change) => {
  heard.push({ shop, friendIds, change });
});

async function call(handler: (args: never) => Promise<unknown>, request: Request) {
  const outcome = await handler({ request, params: {}, context: {} } as never).catch((thrown: unknown) => thrown);
  if (!(outcome instanceof Response)) throw outcome;
  return outcome;
}

async function post(fields: Record<string, string>) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  const response = await call(listAction, await adminRequest("/app/friends?index", { method: "POST", body }));
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

let account: LineAccount;
let theirs: { id: string };

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
});

beforeEach(async () => {
  heard = [];
  await db.scenarioRun.deleteMany();
  await db.scenario.deleteMany();
  await db.friendTag.deleteMany();
  await db.tag.deleteMany();
  await db.customer.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  ({ account } = await connectedAccount(db, SHOP, { displayName: "Tokyo Tea", accessToken: true }));
  theirs = await createFriend(db, await createLineAccount(db, OTHER), { displayName: "Not ours" });
});

const tagsOf = async (friendId: string) => (await db.friendTag.findMany({ where: { friendId }, select: { tagId: true } })).map((row) => row.tagId);

describe("bulk tags", () => {
  it("adds a tag to the selected friends only, ignores another shop's ids, and announces the change once", async () => {
    const [a, b, c] = [await createFriend(db, account), await createFriend(db, account), await createFriend(db, account)];
    const tag = await db.tag.create({ data: { shop: SHOP, name: "VIP" } });
    await db.friendTag.create({ data: { shop: SHOP, friendId: b.id, tagId: tag.id } });

    const answer = await post({ intent: "addTag", scope: "selected", ids: [a.id, b.id, theirs.id].join(","), targetId: tag.id });
    expect(answer).toEqual({ status: 200, body: { intent: "addTag", errors: null, matched: 2, changed: 1 } });
    expect(await tagsOf(a.id)).toEqual([tag.id]);
    expect(await tagsOf(c.id)).toEqual([]);
    expect(await tagsOf(theirs.id)).toEqual([]);
    expect(await db.friendTag.count({ where: { shop: OTHER } })).toBe(0);
    expect(heard).toEqual([{ shop: SHOP, friendIds: [a.id], change: { type: "tagsAdded", tagIds: [tag.id], source: "manual" } }]);
  });

  it("refuses another shop's tag and an empty selection, changing nothing", async () => {
    const a = await createFriend(db, account);
    const foreign = await db.tag.create({ data: { shop: OTHER, name: "VIP" } });
    const refused = await post({ intent: "addTag", scope: "selected", ids: a.id, targetId: foreign.id });
    expect(refused).toMatchObject({ status: 422, body: { errors: { targetId: "friends.tags.error.notFound" } } });
    const tag = await db.tag.create({ data: { shop: SHOP, name: "VIP" } });
    const none = await post({ intent: "addTag", scope: "selected", ids: "", targetId: tag.id });
    expect(none).toMatchObject({ status: 422, body: { errors: { form: "friends.bulk.error.none" } } });
    const onlyTheirs = await post({ intent: "addTag", scope: "selected", ids: theirs.id, targetId: tag.id });
    expect(onlyTheirs).toMatchObject({ status: 200, body: { matched: 0, changed: 0 } });
    expect(await db.friendTag.count()).toBe(0);
    expect(heard).toEqual([]);
  });

  it("removes a tag from every friend of the filter (all pages), in batches, leaving other shops alone", async () => {
    const tag = await db.tag.create({ data: { shop: SHOP, name: "セール希望" } });
    const theirTag = await db.tag.create({ data: { shop: OTHER, name: "セール希望" } });
    await db.friendTag.create({ data: { shop: OTHER, friendId: theirs.id, tagId: theirTag.id } });
    const tagged = [];
    for (let i = 0; i < 7; i += 1) {
      const friend = await createFriend(db, account, { followStatus: i < 5 ? "following" : "blocked" });
      await db.friendTag.create({ data: { shop: SHOP, friendId: friend.id, tagId: tag.id } });
      tagged.push(friend);
    }
    // The filter: following friends with the tag (the action's own change takes them out of it as it goes).
    const answer = await post({ intent: "removeTag", scope: "all", status: "following", tagId: tag.id, targetId: tag.id, after: "ignored" });
    expect(answer).toEqual({ status: 200, body: { intent: "removeTag", errors: null, matched: 5, changed: 5 } });
    expect(await db.friendTag.count({ where: { shop: SHOP } })).toBe(2); // the two blocked friends keep it
    expect(await db.friendTag.count({ where: { shop: OTHER } })).toBe(1);
    expect(heard.flatMap((h) => h.friendIds).sort()).toEqual(tagged.slice(0, 5).map((f) => f.id).sort());

    // Batches: keyset on id, every friend once.
    const batches = [];
    for await (const ids of targetBatches(SHOP, { filter: new URLSearchParams() }, 3)) batches.push(ids);
    expect(batches.map((ids) => ids.length)).toEqual([3, 3, 1]);
    expect(new Set(batches.flat()).size).toBe(7);
    const added = await bulkAddTag(SHOP, { filter: { status: "blocked" } }, tag.id);
    expect(added).toEqual({ matched: 2, changed: 0 });
  });

  it("answers the filter's total beside the page, and a damaged filter is refused", async () => {
    for (let i = 0; i < 3; i += 1) await createFriend(db, account);
    const response = await call(listLoader, await adminRequest("/app/friends?limit=2"));
    const body = (await response.json()) as { total: number; friends: unknown[] };
    expect(body.friends).toHaveLength(2);
    expect(body.total).toBe(3);
    const tag = await db.tag.create({ data: { shop: SHOP, name: "VIP" } });
    const bad = await post({ intent: "addTag", scope: "all", status: "sleeping", targetId: tag.id });
    expect(bad.status).toBe(400);
    expect(await db.friendTag.count()).toBe(0);
  });
});

describe("bulk scenario start", () => {
  it("starts an active scenario for the following friends of the filter, skipping blocked ones and repeats", async () => {
    const scenario = await db.scenario.create({ data: { shop: SHOP, lineAccountId: account.id, name: "Welcome", status: "on", trigger: { type: "manual" } } });
    const following = [await createFriend(db, account), await createFriend(db, account)];
    const blocked = await createFriend(db, account, { followStatus: "blocked" });
    const staffBlocked = await createFriend(db, account, { operatorBlockedAt: new Date() });

    const answer = await post({ intent: "startScenario", scope: "selected", ids: [...following, blocked, staffBlocked, theirs].map((f) => f.id).join(","), targetId: scenario.id });
    expect(answer).toEqual({ status: 200, body: { intent: "startScenario", errors: null, matched: 4, changed: 2 } });
    const runs = await db.scenarioRun.findMany({ select: { friendId: true, shop: true, status: true, startedBy: true } });
    expect(runs.map((run) => run.friendId).sort()).toEqual(following.map((f) => f.id).sort());
    expect(runs.every((run) => run.shop === SHOP && run.status === "active" && run.startedBy === "manual")).toBe(true);

    // Again, on the whole filter: nobody enters twice.
    const again = await post({ intent: "startScenario", scope: "all", targetId: scenario.id });
    expect(again.body).toMatchObject({ matched: 4, changed: 0 });

    const off = await db.scenario.create({ data: { shop: SHOP, lineAccountId: account.id, name: "Off", trigger: { type: "manual" } } });
    expect((await post({ intent: "startScenario", scope: "all", targetId: off.id })).body.errors).toEqual({ targetId: "scenarios.error.notOn" });
    const foreign = await db.scenario.create({ data: { shop: OTHER, lineAccountId: (await db.lineAccount.findFirstOrThrow({ where: { shop: OTHER } })).id, name: "X", status: "on", trigger: { type: "manual" } } });
    expect((await post({ intent: "startScenario", scope: "all", targetId: foreign.id })).body.errors).toEqual({ targetId: "scenarios.error.notFound" });
    expect(await db.scenarioRun.count()).toBe(2);
  });
});

describe("CSV export", () => {
  const csv = async (query: string) => {
    const response = await call(csvLoader, await adminRequest(`/app/friends.csv?${query}`));
    return { response, rows: parse((await response.text()).replace(/^\uFEFF/, ""), { relax_column_count: false }) as string[][] };
  };

  it("writes the filter's friends with status, tags, linked customer and times, in the merchant's language", async () => {
    const hanako = await createFriend(db, account, { displayName: "山田 花子 🍵", shopifyCustomerId: "7123456789" });
    await db.friend.update({ where: { id: hanako.id }, data: { followedAt: new Date("2026-10-01T03:00:00Z"), lastMessageAt: new Date("2026-11-02T04:05:06Z") } });
    await db.customer.create({ data: { shop: SHOP, customerId: "7123456789", displayName: "Hanako Yamada" } });
    const [vip, sale] = [await db.tag.create({ data: { shop: SHOP, name: "VIP" } }), await db.tag.create({ data: { shop: SHOP, name: "セール, 希望" } })];
    await db.friendTag.createMany({ data: [vip, sale].map((tag) => ({ shop: SHOP, friendId: hanako.id, tagId: tag.id })) });
    await createFriend(db, account, { displayName: "鈴木 太郎", followStatus: "blocked" });

    const { response, rows } = await csv(`scope=all&status=following&locale=ja`);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="friends-\d{4}-\d\d-\d\d\.csv"$/);
    expect(rows).toEqual([
      ["名前", "LINEユーザーID", "状態", "タグ", "Shopify顧客", "Shopify顧客ID", "友だち追加日時（UTC）", "最終メッセージ日時（UTC）"],
      ["山田 花子 🍵", hanako.lineUserId, "フォロー中", "VIP, セール, 希望", "Hanako Yamada", "7123456789", "2026-10-01T03:00:00.000Z", "2026-11-02T04:05:06.000Z"],
    ]);

    const english = await csv(`scope=selected&ids=${hanako.id},${theirs.id}&locale=en`);
    expect(english.rows[0][0]).toBe("Name");
    expect(english.rows.slice(1).map((row) => row[0])).toEqual(["山田 花子 🍵"]); // never another shop's friend
  });

  it("exports every friend across batches and refuses a damaged filter before the download starts", async () => {
    await db.friend.createMany({
      data: Array.from({ length: 503 }, (_, i) => ({ shop: SHOP, lineAccountId: account.id, lineUserId: `U${String(i).padStart(32, "0")}`, followStatus: "following" })),
    });
    const { rows } = await csv("scope=all&locale=en");
    expect(rows).toHaveLength(504);
    expect(new Set(rows.slice(1).map((row) => row[1])).size).toBe(503);
    const bad = await call(csvLoader, await adminRequest("/app/friends.csv?scope=all&status=sleeping"));
    expect(bad.status).toBe(400);
  });
});
