// The rich-menu engine against the LINE fake: drafts and their checks, versioned publishing (create → image →
// live → move → delete the old only when nobody is left), LINE's hourly limits (queued, never failed), tag rules in
// priority order, coalesced bulk linking, blocked friends left alone, disconnect clean-up, statistics, other shops.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Worker } from "bullmq";
import { db } from "~/db.server";
import {
  archiveRichMenu,
  getRichMenu,
  menuOfFriend,
  publishRichMenu,
  richMenuStats,
  saveRichMenu,
  saveRules,
  saveTabGroup,
  setDefaultMenu,
} from "~/rich-menus/rich-menus.server";
import { richMenuInputSchema } from "~/rich-menus/model";
import { addTagToFriend, createTag, removeTagFromFriend } from "~/tags/tags.server";
import { accountAction } from "~/line/accounts-page.server";
import { takeSlot } from "~/rich-menus/rate.server";
import { startWorkers, stopWorkers } from "../../jobs/worker";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { menuImage, menuInput, png } from "../support/rich-menus";
import { waitUntil } from "../support/worker";

let workers: Worker[];
beforeAll(async () => {
  workers = await startWorkers();
});
afterAll(async () => {
  await stopWorkers(workers, 10_000);
});

async function setup(friends = 0) {
  const { shop } = await createShop(db);
  const { account, channel } = await connectedAccount(db, shop, { accessToken: true, liffId: "1234-abcd" });
  const userIds = Array.from({ length: friends }, () => lineUserId());
  if (friends) {
    await db.friend.createMany({ data: userIds.map((id) => ({ shop, lineAccountId: account.id, lineUserId: id, followStatus: "following" })) });
  }
  const rows = await db.friend.findMany({ where: { lineAccountId: account.id }, orderBy: { lineUserId: "asc" } });
  return { shop, account, channel, friends: rows };
}

async function draft(shop: string, accountId: string, name = "Main") {
  const saved = await saveRichMenu(shop, null, { ...menuInput(accountId), name }, menuImage());
  if ("errors" in saved) throw new Error(JSON.stringify(saved.errors));
  return saved.menu;
}

async function published(shop: string, menuId: string) {
  const queued = await publishRichMenu(shop, menuId);
  if ("errors" in queued) throw new Error(JSON.stringify(queued.errors));
  const version = await waitUntil(async () => {
    const row = await db.richMenuVersion.findUniqueOrThrow({ where: { id: queued.versionId } });
    return (row.migration as { step?: string }).step === "done" || row.status === "failed" ? row : null;
  }, 60_000);
  return { ...queued, version };
}

describe("drafts", () => {
  it("refuses what LINE would refuse, naming the limit", async () => {
    const { shop, account } = await setup();
    const input = menuInput(account.id);
    expect(richMenuInputSchema.safeParse({ ...input, chatBarText: "123456789012345" }).success).toBe(false);
    expect(richMenuInputSchema.safeParse({ ...input, chatBarText: "12345678901234" }).success).toBe(true);
    const outside = { ...input, areas: input.areas.map((a, i) => (i === 0 ? { ...a, bounds: { ...a.bounds, x: 2000 } } : a)) };
    expect(await saveRichMenu(shop, null, outside)).toEqual({ errors: { "areas.0.bounds": "richMenus.error.bounds" } });
    const grid = { ...input, layout: "grid" as const, areas: Array.from({ length: 21 }, () => input.areas[0]!) };
    expect(await saveRichMenu(shop, null, grid)).toEqual({ errors: { areas: "richMenus.error.areas" } });
    expect(await saveRichMenu(shop, null, input, menuImage(2500, 843))).toEqual({ errors: { image: "richMenus.error.imageSize" } });
    expect(await saveRichMenu(shop, null, input, { ...menuImage(), bytes: Buffer.alloc(1024 * 1024 + 1) })).toEqual({ errors: { image: "richMenus.error.imageBytes" } });
    expect(await saveRichMenu(shop, null, input, menuImage(700, 472))).toEqual({ errors: { image: "richMenus.error.imageWidth" } });
    const tagArea = menuInput(account.id, "compact-2", [{ type: "tag", op: "add", tagId: "not-a-tag" }]);
    expect(await saveRichMenu(shop, null, tagArea)).toEqual({ errors: { "areas.0.action.tagId": "richMenus.error.tag" } });
  });

  it("keeps another shop's menus, rules and friends out of reach", async () => {
    const { shop, account } = await setup(1);
    const other = await setup(1);
    const menu = await draft(shop, account.id);
    const tag = await createTag(other.shop, { name: "Other" });
    if (!("tag" in tag)) throw new Error("tag");
    expect(await getRichMenu(other.shop, menu.id)).toBeNull();
    expect(await publishRichMenu(other.shop, menu.id)).toEqual({ errors: { form: "richMenus.error.notFound" } });
    expect(await archiveRichMenu(other.shop, menu.id)).toEqual({ errors: { form: "richMenus.error.notFound" } });
    expect(await saveRichMenu(other.shop, menu.id, menuInput(other.account.id))).toEqual({ errors: { form: "richMenus.error.notFound" } });
    expect(await saveRules(shop, account.id, [{ tagId: tag.tag.id, richMenuId: menu.id }])).toEqual({ errors: { "0.tagId": "richMenus.error.rule" } });
    expect(await saveRules(other.shop, account.id, [])).toEqual({ errors: { form: "richMenus.error.account" } });
    expect(await menuOfFriend(other.shop, (await db.friend.findFirstOrThrow({ where: { shop } })).id)).toBeNull();
    expect(await richMenuStats(other.shop, menu.id)).toBeNull();
    expect((await db.richMenu.findUniqueOrThrow({ where: { id: menu.id } })).archivedAt).toBeNull();
  });
});

describe("the LINE fake's rich-menu rules", () => {
  it("enforces areas, image size, immutability, async bulk link and the batch's 3 an hour", async () => {
    const { account, channel } = await setup();
    const fake = lineFake();
    const auth = { authorization: `Bearer ${channel.longLivedToken}`, "content-type": "application/json" };
    const menu = (areas: number) => ({
      size: { width: 2500, height: 1686 },
      selected: false,
      name: "x",
      chatBarText: "x",
      areas: Array.from({ length: areas }, () => ({ bounds: { x: 0, y: 0, width: 100, height: 100 }, action: { type: "message", text: "a" } })),
    });
    const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
      fetch(`${fake.url}${path}`, { method: "POST", headers, body: body instanceof Buffer ? body : JSON.stringify(body) });
    expect((await post("/v2/bot/richmenu", menu(21))).status).toBe(400);
    expect((await post("/v2/bot/richmenu", { ...menu(1), chatBarText: "123456789012345" })).status).toBe(400);
    const { richMenuId } = (await (await post("/v2/bot/richmenu", menu(2))).json()) as { richMenuId: string };
    const image = { ...auth, "content-type": "image/png" };
    expect((await post(`/v2/bot/richmenu/${richMenuId}/content`, png(2500, 843), image)).status).toBe(400);
    expect((await post(`/v2/bot/richmenu/${richMenuId}/content`, png(2500, 1686), image)).status).toBe(200);
    expect((await post(`/v2/bot/richmenu/${richMenuId}/content`, png(2500, 1686), image)).status).toBe(400);
    const users = [lineUserId(), lineUserId()];
    expect((await post("/v2/bot/richmenu/bulk/link", { richMenuId, userIds: users })).status).toBe(202);
    expect(fake.richMenus.menuOf(channel.channelId, users[0]!)).toBeNull();
    await fake.waitFor(() => fake.richMenus.menuOf(channel.channelId, users[1]!) === richMenuId);
    const ops = { operations: [{ type: "link", from: richMenuId, to: richMenuId }] };
    for (let i = 0; i < 3; i++) expect((await post("/v2/bot/richmenu/batch", ops)).status).toBe(202);
    expect((await post("/v2/bot/richmenu/batch", ops)).status).toBe(429);
    expect(account.id).toBeTruthy();
  });
});

describe("publishing", () => {
  it("publishes a default menu, then an edit moves everyone by batch and deletes the old version after", async () => {
    const { shop, account, channel, friends } = await setup(30);
    const fake = lineFake();
    const menu = await draft(shop, account.id);
    expect(await setDefaultMenu(shop, account.id, menu.id)).toEqual({ ok: true });
    const first = await waitUntil(() => db.richMenuVersion.findFirst({ where: { richMenuId: menu.id, status: "live" } }), 60_000);
    await waitUntil(async () => fake.richMenus.state(channel.channelId).defaultMenuId === first.lineRichMenuId);
    expect(fake.richMenus.state(channel.channelId).menus.get(first.lineRichMenuId!)?.image).toMatchObject({ width: 2500, height: 1686 });
    // Friends linked to it per user (a rule, a tab switch): the edit must reach them too.
    const tag = await createTag(shop, { name: "VIP" });
    if (!("tag" in tag)) throw new Error("tag");
    await saveRules(shop, account.id, [{ tagId: tag.tag.id, richMenuId: menu.id }]);
    for (const friend of friends.slice(0, 20)) await addTagToFriend(shop, friend.id, tag.tag.id);
    await waitUntil(async () => (await db.friendRichMenu.count({ where: { lineAccountId: account.id, linkedLineMenuId: first.lineRichMenuId } })) === 20);
    await fake.waitFor(() => fake.richMenus.linkCounts(channel.channelId).get(first.lineRichMenuId!) === 20);

    // One more user on it whom only LINE knows of (switched there by a tab): only the batch moves them.
    const switched = lineUserId();
    fake.richMenus.state(channel.channelId).links.set(switched, first.lineRichMenuId!);
    // LINE takes its time over the batch: the old version must wait for "succeeded", not for a guess.
    fake.richMenus.setTiming({ batchMs: 3_000 });

    const edited = await saveRichMenu(shop, menu.id, { ...menuInput(account.id, "full-4"), name: "Main v2" });
    expect("menu" in edited && edited.menu.hasDraftChanges).toBe(true);
    const second = await published(shop, menu.id).finally(() => fake.richMenus.setTiming({ batchMs: 50 }));
    expect(second.version.status).toBe("live");
    const counts = fake.richMenus.linkCounts(channel.channelId);
    expect(counts.get(second.version.lineRichMenuId!)).toBe(21);
    expect(fake.richMenus.menuOf(channel.channelId, switched)).toBe(second.version.lineRichMenuId);
    expect(counts.get(first.lineRichMenuId!)).toBeUndefined();
    expect(fake.richMenus.state(channel.channelId).defaultMenuId).toBe(second.version.lineRichMenuId);
    expect(fake.richMenus.state(channel.channelId).menus.get(first.lineRichMenuId!)?.deletedAt).toBeDefined();
    expect(fake.richMenus.onDeletedMenu(channel.channelId)).toEqual([]);
    expect((await db.richMenuVersion.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("deleted");
    expect(await db.friendRichMenu.count({ where: { lineAccountId: account.id, linkedLineMenuId: second.version.lineRichMenuId } })).toBe(20);
    // Moved by one batch ("link from → to"), not one by one.
    const batches = fake.requests.filter((r) => r.path === "/v2/bot/richmenu/batch" && r.channelId === channel.channelId);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.body).toMatchObject({ operations: [{ type: "link", from: first.lineRichMenuId, to: second.version.lineRichMenuId }] });
  }, 120_000);

  it("queues when LINE's hourly limits are spent and says when it will be live; bulk moves known friends meanwhile", async () => {
    const { shop, account, channel, friends } = await setup(3);
    const fake = lineFake();
    const menu = await draft(shop, account.id);
    const tag = await createTag(shop, { name: "Gold" });
    if (!("tag" in tag)) throw new Error("tag");
    await saveRules(shop, account.id, [{ tagId: tag.tag.id, richMenuId: menu.id }]);
    const first = await waitUntil(() => db.richMenuVersion.findFirst({ where: { richMenuId: menu.id, status: "live" } }), 60_000);
    for (const friend of friends) await addTagToFriend(shop, friend.id, tag.tag.id);
    await fake.waitFor(() => fake.richMenus.linkCounts(channel.channelId).get(first.lineRichMenuId!) === 3, 20_000);

    // The batch's 3 an hour are spent (by us here, as by any tool on the channel).
    for (let i = 0; i < 3; i++) expect((await takeSlot(account.id, "batch")).ok).toBe(true);
    await saveRichMenu(shop, menu.id, { ...menuInput(account.id), name: "Edited" });
    const queued = await publishRichMenu(shop, menu.id);
    if ("errors" in queued) throw new Error("publish");
    const version = await waitUntil(async () => {
      const row = await db.richMenuVersion.findUniqueOrThrow({ where: { id: queued.versionId } });
      return (row.migration as { bulk?: { done: boolean } }).bulk?.done ? row : null;
    }, 60_000);
    await fake.waitFor(() => fake.richMenus.linkCounts(channel.channelId).get(version.lineRichMenuId!) === 3, 20_000);
    // The old version stays at LINE until a batch can sweep up whoever else is on it: never deleted under anyone.
    expect(fake.richMenus.state(channel.channelId).menus.get(first.lineRichMenuId!)?.deletedAt).toBeUndefined();
    expect((await db.richMenuVersion.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("retiring");
    const job = await (await import("../../jobs/queues")).richMenuQueue().getJob(`richmenu-publish-${queued.versionId}`);
    expect(await job?.isDelayed()).toBe(true);

    // Creating is spent too: the next publish is queued, and the page is told when it will be live.
    for (let i = 0; i < 100; i++) await takeSlot(account.id, "create");
    await saveRichMenu(shop, menu.id, { ...menuInput(account.id), name: "Edited again" });
    const later = await publishRichMenu(shop, menu.id);
    if ("errors" in later) throw new Error("publish");
    expect(later.liveBy.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    await waitUntil(async () => ((await richMenuJob(later.versionId))?.isDelayed()) ?? false);
    expect((await db.richMenuVersion.findUniqueOrThrow({ where: { id: later.versionId } })).lineRichMenuId).toBeNull();
  }, 120_000);
});

async function richMenuJob(versionId: string) {
  const { richMenuQueue } = await import("../../jobs/queues");
  return richMenuQueue().getJob(`richmenu-publish-${versionId}`);
}

describe("menus that follow tags", () => {
  it("gives the first matching rule's menu, in priority order, falls back to the default, and skips blocked friends", async () => {
    const { shop, account, channel, friends } = await setup(3);
    const fake = lineFake();
    const [a, b, blocked] = friends as [(typeof friends)[0], (typeof friends)[0], (typeof friends)[0]];
    const vipMenu = await draft(shop, account.id, "VIP");
    const saleMenu = await draft(shop, account.id, "Sale");
    const vip = await createTag(shop, { name: "VIP" });
    const sale = await createTag(shop, { name: "Sale" });
    if (!("tag" in vip) || !("tag" in sale)) throw new Error("tags");
    await saveRules(shop, account.id, [
      { tagId: vip.tag.id, richMenuId: vipMenu.id },
      { tagId: sale.tag.id, richMenuId: saleMenu.id },
    ]);
    const vipLive = await waitUntil(() => db.richMenuVersion.findFirst({ where: { richMenuId: vipMenu.id, status: "live" } }), 60_000);
    const saleLive = await waitUntil(() => db.richMenuVersion.findFirst({ where: { richMenuId: saleMenu.id, status: "live" } }), 60_000);
    await db.friend.update({ where: { id: blocked.id }, data: { followStatus: "blocked" } });

    await addTagToFriend(shop, a.id, sale.tag.id);
    await addTagToFriend(shop, a.id, vip.tag.id);
    await addTagToFriend(shop, b.id, sale.tag.id);
    await addTagToFriend(shop, blocked.id, vip.tag.id);
    await fake.waitFor(() => fake.richMenus.menuOf(channel.channelId, a.lineUserId) === vipLive.lineRichMenuId, 20_000);
    await fake.waitFor(() => fake.richMenus.menuOf(channel.channelId, b.lineUserId) === saleLive.lineRichMenuId, 20_000);
    expect(await menuOfFriend(shop, a.id)).toMatchObject({ menu: { id: vipMenu.id }, reason: "rule", tag: { name: "VIP" } });
    await waitUntil(async () => (await db.friendRichMenu.findUnique({ where: { friendId: blocked.id } }))?.dirtyAt === null);
    expect(fake.richMenus.menuOf(channel.channelId, blocked.lineUserId)).toBeNull();
    expect((await menuOfFriend(shop, blocked.id))?.reason).toBe("blocked");

    // The merchant drags Sale above VIP: everyone is recomputed.
    await saveRules(shop, account.id, [
      { tagId: sale.tag.id, richMenuId: saleMenu.id },
      { tagId: vip.tag.id, richMenuId: vipMenu.id },
    ]);
    await fake.waitFor(() => fake.richMenus.menuOf(channel.channelId, a.lineUserId) === saleLive.lineRichMenuId, 20_000);
    // No rule left for b: unlinked, the default applies.
    await removeTagFromFriend(shop, b.id, sale.tag.id);
    await fake.waitFor(() => fake.richMenus.menuOf(channel.channelId, b.lineUserId) === null, 20_000);
    expect((await menuOfFriend(shop, b.id))?.reason).toBe("none");
  }, 120_000);

  it("coalesces many changes into bulk links of 500, and links one friend with one call", async () => {
    const { shop, account, channel, friends } = await setup(1_201);
    const fake = lineFake();
    const menu = await draft(shop, account.id);
    const tag = await createTag(shop, { name: "Burst" });
    if (!("tag" in tag)) throw new Error("tag");
    await saveRules(shop, account.id, [{ tagId: tag.tag.id, richMenuId: menu.id }]);
    const live = await waitUntil(() => db.richMenuVersion.findFirst({ where: { richMenuId: menu.id, status: "live" } }), 60_000);
    const before = fake.requests.length;
    await db.friendTag.createMany({ data: friends.slice(0, 1_200).map((f) => ({ shop, friendId: f.id, tagId: tag.tag.id, source: "postback" })) });
    const { friendsChanged } = await import("~/friends/changes.server");
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        friendsChanged(shop, friends.slice(i * 100, i * 100 + 100).map((f) => f.id), { type: "tagsAdded", tagIds: [tag.tag.id], source: "postback" }),
      ),
    );
    await fake.waitFor(() => fake.richMenus.linkCounts(channel.channelId).get(live.lineRichMenuId!) === 1_200, 30_000);
    const bulk = fake.requests.slice(before).filter((r) => r.path === "/v2/bot/richmenu/bulk/link");
    expect(bulk.length).toBeLessThanOrEqual(4);
    expect(Math.max(...bulk.map((r) => (r.body as { userIds: string[] }).userIds.length))).toBeLessThanOrEqual(500);

    const last = friends[1_200]!;
    const mark = fake.requests.length;
    await addTagToFriend(shop, last.id, tag.tag.id);
    await fake.waitFor(() => fake.richMenus.menuOf(channel.channelId, last.lineUserId) === live.lineRichMenuId, 20_000);
    const calls = fake.requests.slice(mark).filter((r) => r.path.includes("richmenu") && r.method === "POST");
    expect(calls.map((r) => r.path)).toEqual([`/v2/bot/user/${last.lineUserId}/richmenu/${live.lineRichMenuId}`]);
  }, 120_000);
});

describe("a user LINE refuses", () => {
  it("does not hold up the others: the bulk call is split into single links", async () => {
    const { shop, account, channel, friends } = await setup(2);
    const fake = lineFake();
    const bad = await db.friend.create({ data: { shop, lineAccountId: account.id, lineUserId: "Unot-a-line-user", followStatus: "following" } });
    const menu = await draft(shop, account.id);
    const tag = await createTag(shop, { name: "All" });
    if (!("tag" in tag)) throw new Error("tag");
    await saveRules(shop, account.id, [{ tagId: tag.tag.id, richMenuId: menu.id }]);
    const live = await waitUntil(() => db.richMenuVersion.findFirst({ where: { richMenuId: menu.id, status: "live" } }), 60_000);
    await db.friendTag.createMany({ data: [...friends, bad].map((f) => ({ shop, friendId: f.id, tagId: tag.tag.id })) });
    const { friendsChanged } = await import("~/friends/changes.server");
    await friendsChanged(shop, [...friends, bad].map((f) => f.id), { type: "tagsAdded", tagIds: [tag.tag.id], source: "manual" });
    for (const friend of friends) await fake.waitFor(() => fake.richMenus.menuOf(channel.channelId, friend.lineUserId) === live.lineRichMenuId, 20_000);
    await waitUntil(async () => (await db.friendRichMenu.count({ where: { lineAccountId: account.id, dirtyAt: { not: null } } })) === 0);
  }, 60_000);
});

describe("archiving and the default", () => {
  it("moves an archived menu's friends to what the rules give, deletes it at LINE after a batch unlink, and clears the default", async () => {
    const { shop, account, channel, friends } = await setup(3);
    const fake = lineFake();
    const menu = await draft(shop, account.id, "Old campaign");
    const fallback = await draft(shop, account.id, "Fallback");
    const tag = await createTag(shop, { name: "Campaign" });
    if (!("tag" in tag)) throw new Error("tag");
    await saveRules(shop, account.id, [{ tagId: tag.tag.id, richMenuId: menu.id }]);
    const live = await waitUntil(() => db.richMenuVersion.findFirst({ where: { richMenuId: menu.id, status: "live" } }), 60_000);
    for (const friend of friends) await addTagToFriend(shop, friend.id, tag.tag.id);
    await fake.waitFor(() => fake.richMenus.linkCounts(channel.channelId).get(live.lineRichMenuId!) === 3, 20_000);
    const switched = lineUserId();
    fake.richMenus.state(channel.channelId).links.set(switched, live.lineRichMenuId!);
    await setDefaultMenu(shop, account.id, fallback.id);
    const fallbackLive = await waitUntil(() => db.richMenuVersion.findFirst({ where: { richMenuId: fallback.id, status: "live" } }), 60_000);
    await fake.waitFor(() => fake.richMenus.state(channel.channelId).defaultMenuId === fallbackLive.lineRichMenuId, 20_000);

    expect(await archiveRichMenu(shop, menu.id)).toEqual({ ok: true });
    await waitUntil(async () => (await db.richMenuVersion.findUniqueOrThrow({ where: { id: live.id } })).status === "deleted", 60_000);
    for (const friend of friends) expect(fake.richMenus.menuOf(channel.channelId, friend.lineUserId)).toBe(fallbackLive.lineRichMenuId);
    expect(fake.richMenus.menuOf(channel.channelId, switched)).toBe(fallbackLive.lineRichMenuId);
    expect(fake.richMenus.onDeletedMenu(channel.channelId)).toEqual([]);
    expect(await db.richMenuRule.count({ where: { lineAccountId: account.id } })).toBe(0);

    expect(await setDefaultMenu(shop, account.id, null)).toEqual({ ok: true });
    await fake.waitFor(() => fake.richMenus.state(channel.channelId).defaultMenuId === null, 20_000);
  }, 120_000);
});

describe("tabs, statistics and disconnect", () => {
  it("points tab aliases at live versions, serves insight, and cleans up LINE on disconnect", async () => {
    const { shop, account, channel, friends } = await setup(2);
    const fake = lineFake();
    const one = await draft(shop, account.id, "Tab 1");
    const two = await draft(shop, account.id, "Tab 2");
    const group = await saveTabGroup(shop, null, { lineAccountId: account.id, menuIds: [one.id, two.id] });
    if (!("groupId" in group)) throw new Error(JSON.stringify(group));
    const switching = menuInput(account.id, "compact-2", [{ type: "tab", richMenuId: two.id }, { type: "uri", url: "https://shop.example/sale" }]);
    const saved = await saveRichMenu(shop, one.id, switching, menuImage(2500, 843));
    if ("errors" in saved) throw new Error(JSON.stringify(saved.errors));
    await saveRichMenu(shop, two.id, { ...menuInput(account.id, "compact-1"), name: "Tab 2" }, menuImage(1200, 405));
    // Publishing one tab publishes the group's other tabs that were never live.
    const v1 = await published(shop, one.id);
    const v2 = {
      version: await waitUntil(async () => {
        const row = await db.richMenuVersion.findFirst({ where: { richMenuId: two.id } });
        return row && (row.migration as { step?: string }).step === "done" ? row : null;
      }, 60_000),
    };
    await setDefaultMenu(shop, account.id, one.id);
    await fake.waitFor(() => fake.richMenus.state(channel.channelId).aliases.size === 2 && fake.richMenus.state(channel.channelId).defaultMenuId, 20_000);
    expect(fake.richMenus.state(channel.channelId).aliases.get(`${group.groupId}-1`)).toBe(v2.version.lineRichMenuId);
    const body = fake.richMenus.state(channel.channelId).menus.get(v1.version.lineRichMenuId!)!.body as { areas: { action: Record<string, string> }[] };
    expect(body.areas[0]!.action).toMatchObject({ type: "richmenuswitch", richMenuAliasId: `${group.groupId}-1` });
    expect(body.areas[1]!.action.uri).toMatch(/\/r\/[A-Za-z0-9_-]{16}$/);

    fake.richMenus.setInsight(channel.channelId, v1.version.lineRichMenuId!, {
      impression: { metrics: { count: 120, uniqueUsers: 80 } },
      clicks: [{ bounds: { x: 0, y: 0, width: 1250, height: 843 }, metrics: { count: 30, uniqueUsers: 25 } }],
    });
    const stats = await richMenuStats(shop, one.id);
    expect(stats?.insight).toMatchObject({ impressions: { count: 120, uniqueUsers: 80 }, clicks: [{ count: 30 }] });

    // A friend switches to tab 2, then tab 2 is edited: the alias moves to the new version, and so does the friend.
    fake.richMenus.switchTab(channel.channelId, friends[0]!.lineUserId, `${group.groupId}-1`);
    await saveRichMenu(shop, two.id, { ...menuInput(account.id, "compact-3"), name: "Tab 2 v2" }, menuImage(1200, 405));
    const v2b = await published(shop, two.id);
    expect(fake.richMenus.state(channel.channelId).aliases.get(`${group.groupId}-1`)).toBe(v2b.version.lineRichMenuId);
    expect(fake.richMenus.menuOf(channel.channelId, friends[0]!.lineUserId)).toBe(v2b.version.lineRichMenuId);
    expect(fake.richMenus.state(channel.channelId).menus.get(v2.version.lineRichMenuId!)?.deletedAt).toBeDefined();
    expect(fake.richMenus.onDeletedMenu(channel.channelId)).toEqual([]);
    const outcome = await accountAction(shop, { intent: "disconnect", id: account.id });
    expect("richMenus" in outcome && outcome.richMenus).toMatchObject({ key: "richMenus.cleanup.done", left: 0, deletedMenus: 2, deletedAliases: 2 });
    expect(fake.richMenus.menuOf(channel.channelId, friends[0]!.lineUserId)).toBeNull();
    const state = fake.richMenus.state(channel.channelId);
    expect([...state.menus.values()].every((m) => m.deletedAt !== undefined)).toBe(true);
    expect(state.aliases.size).toBe(0);
    expect(state.defaultMenuId).toBeNull();
    expect(await db.richMenuAlias.count({ where: { lineAccountId: account.id } })).toBe(0);
  }, 120_000);

  it("says what is left when LINE's delete limit is spent at disconnect", async () => {
    const { shop, account } = await setup();
    const menu = await draft(shop, account.id);
    await published(shop, menu.id);
    for (let i = 0; i < 100; i++) await takeSlot(account.id, "delete");
    const outcome = await accountAction(shop, { intent: "disconnect", id: account.id });
    expect("richMenus" in outcome && outcome.richMenus).toMatchObject({ key: "richMenus.cleanup.partial", left: 1 });
    expect(await db.richMenuVersion.count({ where: { richMenuId: menu.id, status: "live" } })).toBe(1);
  }, 60_000);
});
