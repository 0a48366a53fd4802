// Planning freezes the audience into deliveries in one statement: batches of 500 of exactly the following, not
// staff-blocked friends that match; planning again (a repeated job, two at once) adds nothing; the quota decides
// between refusing and "fit" (newest friends first); personalised messages go one push per friend.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveBroadcast, scheduleBroadcast } from "~/broadcasts/broadcasts.server";
import { freezeAudience } from "~/broadcasts/plan.server";
import { startBroadcast } from "~/broadcasts/run.server";
import { broadcastQueue, broadcastStartJobId } from "../../jobs/queues";
import { createFriend, createShop, lineUserId } from "../support/factories";
import { connectedAccount } from "../support/line";

let shop: string;
let account: Awaited<ReturnType<typeof connectedAccount>>["account"];
let channel: Awaited<ReturnType<typeof connectedAccount>>["channel"];

async function friends(count: number, overrides: { followStatus?: string; operatorBlockedAt?: Date } = {}, createdFrom = Date.UTC(2025, 0, 1)) {
  await db.friend.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      shop,
      lineAccountId: account.id,
      lineUserId: lineUserId(),
      displayName: `Friend ${i}`,
      followStatus: overrides.followStatus ?? "following",
      operatorBlockedAt: overrides.operatorBlockedAt ?? null,
      createdAt: new Date(createdFrom + i * 1_000),
    })),
  });
}

async function draft(fields: Record<string, unknown> = {}, messages: unknown = [{ type: "text", text: "セール開始 https://example.com/sale" }]) {
  const result = await saveBroadcast(shop, null, { name: "Spring sale", lineAccountId: account.id, audience: { type: "all" }, quietHours: false, ...fields }, messages);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.broadcast;
}

const deliveries = (broadcastId: string) =>
  db.delivery.findMany({ where: { kind: "broadcast", sourceId: broadcastId }, orderBy: { createdAt: "asc" } });

/** The account's monthly quota as LINE reports it (the quota is read from LINE before a send). */
async function limitQuota(limit: number, used = 0) {
  channel.quota = { type: "limited", value: limit };
  channel.totalUsage = used;
}

beforeEach(async () => {
  shop = (await createShop(db)).shop;
  ({ account, channel } = await connectedAccount(db, shop, { accessToken: true }));
});

describe("planning a broadcast", () => {
  it("freezes following, not staff-blocked friends of the account into batches of 500, once", async () => {
    await friends(1_201);
    await friends(7, { followStatus: "blocked" });
    await friends(5, { operatorBlockedAt: new Date() });
    const other = await connectedAccount(db, shop);
    await createFriend(db, other.account);
    const broadcast = await draft();
    const scheduled = await scheduleBroadcast(shop, broadcast.id, { mode: "now" });
    expect(scheduled.ok).toBe(true);
    expect(await broadcastQueue().getJob(broadcastStartJobId(broadcast.id))).toBeTruthy();

    expect(await startBroadcast(broadcast.id)).toBe("planned");
    const rows = await deliveries(broadcast.id);
    expect(rows.map((row) => row.recipients.length).sort((a, b) => b - a)).toEqual([500, 500, 201]);
    expect(rows.every((row) => row.channel === "multicast" && row.status === "scheduled" && row.quotaCost === row.recipients.length)).toBe(true);
    expect(rows.every((row) => row.aggregationUnit === broadcast.customAggregationUnit && row.retryKey === null)).toBe(true);
    const sentTo = rows.flatMap((row) => row.recipients);
    const expected = await db.friend.findMany({ where: { lineAccountId: account.id, followStatus: "following", operatorBlockedAt: null }, select: { lineUserId: true } });
    expect(new Set(sentTo).size).toBe(sentTo.length);
    expect(sentTo.sort()).toEqual(expected.map((f) => f.lineUserId).sort());
    expect(await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).toMatchObject({ status: "sending", recipients: 1_201, batches: 3 });

    // A friend who follows after the start is not added by a repeated job (the audience is frozen).
    await friends(3, {}, Date.UTC(2026, 0, 1));
    expect(await startBroadcast(broadcast.id)).toBe("resumed");
    expect(await db.delivery.count({ where: { sourceId: broadcast.id } })).toBe(3);
  });

  it("makes one set of batches when two workers plan at once", async () => {
    await friends(600);
    const broadcast = await draft();
    await db.broadcast.update({ where: { id: broadcast.id }, data: { status: "planning" } });
    const outcomes = await Promise.all([freezeAudience(broadcast, null, null), freezeAudience(broadcast, null, null), freezeAudience(broadcast, null, null)]);
    expect(outcomes.filter((outcome) => outcome.planned)).toHaveLength(1);
    expect(await db.delivery.count({ where: { sourceId: broadcast.id } })).toBe(2);
  });

  it("sends to friends with any or all of the tags, and never a tag of another shop", async () => {
    await friends(4);
    const [a, b, c] = await db.friend.findMany({ where: { lineAccountId: account.id }, orderBy: { createdAt: "asc" } });
    const vip = await db.tag.create({ data: { shop, name: "VIP" } });
    const sale = await db.tag.create({ data: { shop, name: "Sale" } });
    await db.friendTag.createMany({ data: [{ shop, friendId: a.id, tagId: vip.id }, { shop, friendId: a.id, tagId: sale.id }, { shop, friendId: b.id, tagId: vip.id }, { shop, friendId: c.id, tagId: sale.id }] });
    const foreign = await db.tag.create({ data: { shop: (await createShop(db)).shop, name: "VIP" } });
    expect(await saveBroadcast(shop, null, { name: "x", lineAccountId: account.id, audience: { type: "tags", tagIds: [foreign.id], match: "any" } }, [{ type: "text", text: "x" }])).toMatchObject({ ok: false, errors: { audience: "broadcasts.error.tags" } });

    const any = await draft({ audience: { type: "tags", tagIds: [vip.id, sale.id], match: "any" } });
    const all = await draft({ audience: { type: "tags", tagIds: [vip.id, sale.id], match: "all" } });
    for (const broadcast of [any, all]) {
      await db.broadcast.update({ where: { id: broadcast.id }, data: { status: "scheduled", scheduledAt: new Date() } });
      await startBroadcast(broadcast.id);
    }
    expect((await deliveries(any.id)).flatMap((d) => d.recipients).sort()).toEqual([a, b, c].map((f) => f.lineUserId).sort());
    expect((await deliveries(all.id)).flatMap((d) => d.recipients)).toEqual([a.lineUserId]);
  });

  it("goes one push per friend with the friend's own name when a text uses {displayName}", async () => {
    const named = await createFriend(db, account, { displayName: 'Ann "the" \\ tester' });
    const unnamed = await db.friend.create({ data: { shop, lineAccountId: account.id, lineUserId: lineUserId(), followStatus: "following", displayName: null } });
    const broadcast = await draft({}, [{ type: "text", text: "{displayName}さん、こんにちは" }]);
    await scheduleBroadcast(shop, broadcast.id, { mode: "now" });
    await startBroadcast(broadcast.id);
    const rows = await deliveries(broadcast.id);
    expect(rows).toHaveLength(2);
    const byFriend = new Map(rows.map((row) => [row.friendId, row]));
    expect(byFriend.get(named.id)).toMatchObject({ channel: "push", recipients: [named.lineUserId], messages: [{ type: "text", text: 'Ann "the" \\ testerさん、こんにちは' }] });
    // No name known: the builder's fallback ("お客様" unless the merchant set one).
    expect(byFriend.get(unnamed.id)?.messages).toEqual([{ type: "text", text: "お客様さん、こんにちは" }]);
  });
});

describe("the quota before sending", () => {
  it("refuses a broadcast larger than what is left this month", async () => {
    await friends(30);
    await limitQuota(100, 80);
    const broadcast = await draft();
    expect(await scheduleBroadcast(shop, broadcast.id, { mode: "now" })).toMatchObject({ ok: false, errors: { form: "broadcasts.error.quota" } });
    expect(await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).toMatchObject({ status: "draft" });
  });

  it("with \"fit\" sends to as many as fit, newest friends first", async () => {
    await friends(30);
    await limitQuota(100, 80);
    const broadcast = await draft({ overQuota: "fit" });
    expect(await scheduleBroadcast(shop, broadcast.id, { mode: "now" })).toMatchObject({ ok: true, summary: { recipients: 30, fits: false, willSend: 20 } });
    await startBroadcast(broadcast.id);
    const newest = await db.friend.findMany({ where: { lineAccountId: account.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 20 });
    expect((await deliveries(broadcast.id)).flatMap((d) => d.recipients)).toEqual(newest.map((f) => f.lineUserId));
    expect(await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).toMatchObject({ recipients: 20, audienceSize: 30 });
  });

  it("fails a scheduled broadcast that no longer fits when it is due", async () => {
    await friends(30);
    const broadcast = await draft();
    await scheduleBroadcast(shop, broadcast.id, { mode: "now" });
    await limitQuota(100, 90);
    expect(await startBroadcast(broadcast.id)).toBe("failed");
    expect(await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).toMatchObject({ status: "failed", reason: "broadcasts.reason.quota" });
    expect(await db.delivery.count({ where: { sourceId: broadcast.id } })).toBe(0);
  });
});
