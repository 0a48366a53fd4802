// LINE webhooks end to end: the real route, PostgreSQL, Redis, worker and the LINE fake.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action } from "~/routes/webhooks.line.$accountId";
import { lineEventQueue } from "../../jobs/queues";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineFake, lineWebhookRequest, resetLineState, webhookBody } from "../support/line";
import { waitUntil, withWorkers } from "../support/worker";

const SHOP = "line-webhook.myshopify.com";

async function deliver(accountId: string, secret: string, events: unknown[], signWith = secret) {
  const request = lineWebhookRequest(accountId, secret, webhookBody("Ubot", events), signWith);
  return action({ request, params: { accountId }, context: {} });
}

const allProcessed = () =>
  waitUntil(async () => (await db.lineEvent.count({ where: { processedAt: null, failedAt: null } })) === 0);

async function setup() {
  await createShop(db, { shop: SHOP });
  const connected = await connectedAccount(db, SHOP);
  return { ...connected, fake: lineFake() };
}

beforeEach(resetLineState);

describe("POST /webhooks/line/:accountId", () => {
  it("rejects a bad signature with 401 and stores nothing", async () => {
    const { account, channelSecret } = await setup();
    const response = await deliver(account.id, channelSecret, [lineEvents.follow({ userId: lineUserId() })], "f".repeat(32));
    expect(response.status).toBe(401);
    expect(await db.lineEvent.count()).toBe(0);
    expect(await lineEventQueue().count()).toBe(0);
  });

  it("answers 404 for an unknown account, 400 for malformed JSON, 200 for LINE's verify ping", async () => {
    const { account, channelSecret } = await setup();
    expect((await deliver("no-such-account", channelSecret, [])).status).toBe(404);
    const malformed = lineWebhookRequest(account.id, channelSecret, '{"events": [');
    expect((await action({ request: malformed, params: { accountId: account.id }, context: {} })).status).toBe(400);
    expect((await deliver(account.id, channelSecret, [])).status).toBe(200);
    expect(await db.lineEvent.count()).toBe(0);
  });

  it("stores a redelivered event once and processes it once", async () => {
    const { account, channelSecret, channel, fake } = await setup();
    const userId = lineUserId();
    await db.greetingMessage.create({ data: { lineAccountId: account.id, shop: SHOP, enabled: true, messages: ["ようこそ！"] } });
    const follow = lineEvents.follow({ userId, replyToken: fake.issueReplyToken(channel.channelId, userId) });
    expect((await deliver(account.id, channelSecret, [follow])).status).toBe(200);
    expect((await deliver(account.id, channelSecret, [{ ...follow, deliveryContext: { isRedelivery: true } }])).status).toBe(200);
    expect(await db.lineEvent.count()).toBe(1);

    await withWorkers(allProcessed);
    expect(fake.sent(channel.channelId).filter((d) => d.kind === "reply")).toHaveLength(1);
  });

  it("keeps nothing for a disconnected account", async () => {
    const { account, channelSecret } = await setup();
    await db.lineAccount.update({ where: { id: account.id }, data: { status: "disconnected" } });
    const { forgetWebhookAccount } = await import("~/line/webhook.server");
    forgetWebhookAccount(account.id);
    expect((await deliver(account.id, channelSecret, [lineEvents.follow({ userId: lineUserId() })])).status).toBe(200);
    expect(await db.lineEvent.count()).toBe(0);
  });
});

describe("follow and unfollow", () => {
  it("creates the friend with the LINE profile and greets by reply", async () => {
    const { account, channelSecret, channel, fake } = await setup();
    const userId = lineUserId();
    fake.setProfile(channel.channelId, { userId, displayName: "山田花子", pictureUrl: "https://profile.line-scdn.net/abc", language: "ja" });
    await db.greetingMessage.create({
      data: { lineAccountId: account.id, shop: SHOP, enabled: true, messages: ["友だち追加ありがとうございます！", "クーポンはこちら"] },
    });
    const replyToken = fake.issueReplyToken(channel.channelId, userId);
    await deliver(account.id, channelSecret, [lineEvents.follow({ userId, replyToken })]);
    await withWorkers(allProcessed);

    const friend = await db.friend.findFirstOrThrow({ where: { lineUserId: userId } });
    expect(friend).toMatchObject({ followStatus: "following", displayName: "山田花子", language: "ja", shop: SHOP });
    const replies = fake.sent(channel.channelId).filter((d) => d.kind === "reply");
    expect(replies).toHaveLength(1);
    expect(replies[0].messages).toEqual([
      { type: "text", text: "友だち追加ありがとうございます！" },
      { type: "text", text: "クーポンはこちら" },
    ]);
    const thread = await db.message.findMany({ where: { friendId: friend.id }, orderBy: { webhookEventId: "asc" } });
    expect(thread.map((m) => [m.direction, m.sentVia, m.status, m.sentBy])).toEqual([
      ["out", "reply", "sent", "greeting"],
      ["out", "reply", "sent", "greeting"],
    ]);
  });

  it("sends no greeting when it is off", async () => {
    const { account, channelSecret, channel, fake } = await setup();
    const userId = lineUserId();
    await db.greetingMessage.create({ data: { lineAccountId: account.id, shop: SHOP, enabled: false, messages: ["hi"] } });
    await deliver(account.id, channelSecret, [lineEvents.follow({ userId, replyToken: fake.issueReplyToken(channel.channelId, userId) })]);
    await withWorkers(allProcessed);
    expect(fake.sent(channel.channelId)).toEqual([]);
    expect(await db.friend.count({ where: { lineUserId: userId, followStatus: "following" } })).toBe(1);
  });

  it("records the follow when LINE fails the profile read, keeping the profile read before", async () => {
    const { account, channelSecret, channel, fake } = await setup();
    const userId = lineUserId();
    const t0 = Date.now() - 60_000;
    fake.setProfile(channel.channelId, { userId, displayName: "佐藤", language: "ja" });
    await deliver(account.id, channelSecret, [lineEvents.follow({ userId, timestamp: t0 })]);
    await withWorkers(allProcessed);
    fake.setProfile(channel.channelId, { userId, displayName: "佐藤 改名" });
    fake.failNext(1, { status: 500, path: `/v2/bot/profile/${userId}` });
    await deliver(account.id, channelSecret, [lineEvents.unfollow({ userId, timestamp: t0 + 1_000 })]);
    await deliver(account.id, channelSecret, [lineEvents.follow({ userId, timestamp: t0 + 2_000, isUnblocked: true })]);
    await withWorkers(allProcessed);
    expect(await db.friend.findFirstOrThrow({ where: { lineUserId: userId } })).toMatchObject({
      followStatus: "following",
      displayName: "佐藤",
      language: "ja",
    });
    expect(await db.lineEvent.count({ where: { failedAt: null, processedAt: { not: null } } })).toBe(3);

    await deliver(account.id, channelSecret, [lineEvents.follow({ userId, timestamp: t0 + 3_000 })]);
    await withWorkers(allProcessed);
    expect(await db.friend.findFirstOrThrow({ where: { lineUserId: userId } })).toMatchObject({ displayName: "佐藤 改名", language: null });
  });

  it("decides the status by event time, whatever the arrival order", async () => {
    const { account, channelSecret } = await setup();
    const userId = lineUserId();
    const t0 = Date.now() - 60_000;
    // The unfollow (later) arrives and is processed before the follow (earlier) is redelivered.
    await deliver(account.id, channelSecret, [lineEvents.unfollow({ userId, timestamp: t0 + 2_000 })]);
    await withWorkers(allProcessed);
    await deliver(account.id, channelSecret, [lineEvents.follow({ userId, timestamp: t0 + 1_000, redelivery: true })]);
    await withWorkers(allProcessed);
    expect(await db.friend.findFirstOrThrow({ where: { lineUserId: userId } })).toMatchObject({ followStatus: "blocked" });

    // A follow after the unblock wins again; isUnblocked is just another follow.
    await deliver(account.id, channelSecret, [lineEvents.follow({ userId, timestamp: t0 + 3_000, isUnblocked: true })]);
    await withWorkers(allProcessed);
    expect(await db.friend.findFirstOrThrow({ where: { lineUserId: userId } })).toMatchObject({ followStatus: "following" });
  });
});

describe("messages, auto-replies and postbacks", () => {
  it("stores the message and answers with the first matching rule by reply", async () => {
    const { account, channelSecret, channel, fake } = await setup();
    const userId = lineUserId();
    const rule = (name: string, matchType: string, pattern: string, priority: number, messages: string[]) =>
      db.autoReplyRule.create({ data: { shop: SHOP, lineAccountId: account.id, name, matchType, pattern, priority, messages } });
    await rule("hours", "contains", "営業時間", 20, ["10時〜19時です"]);
    await rule("sale", "exact", "sale", 10, ["セール中です！"]);
    await deliver(account.id, channelSecret, [
      lineEvents.text({ userId, text: "ＳＡＬＥ", replyToken: fake.issueReplyToken(channel.channelId, userId) }),
    ]);
    await withWorkers(allProcessed);

    const replies = fake.sent(channel.channelId).filter((d) => d.kind === "reply");
    expect(replies.map((r) => r.messages)).toEqual([[{ type: "text", text: "セール中です！" }]]);
    const friend = await db.friend.findFirstOrThrow({ where: { lineUserId: userId } });
    const inbound = await db.message.findFirstOrThrow({ where: { friendId: friend.id, direction: "in" } });
    expect(inbound).toMatchObject({ kind: "text", text: "ＳＡＬＥ" });
    expect(inbound.replyTokenExpiresAt!.getTime()).toBeLessThanOrEqual(Date.now()); // spent by the auto-reply
  });

  it("stores a message without a matching rule and replies nothing", async () => {
    const { account, channelSecret, channel, fake } = await setup();
    const userId = lineUserId();
    await deliver(account.id, channelSecret, [
      lineEvents.text({ userId, text: "こんにちは", replyToken: fake.issueReplyToken(channel.channelId, userId) }),
      lineEvents.sticker({ userId }),
    ]);
    await withWorkers(allProcessed);
    expect(fake.sent(channel.channelId)).toEqual([]);
    const kinds = await db.message.findMany({ where: { direction: "in" }, select: { kind: true }, orderBy: { kind: "asc" } });
    expect(kinds.map((m) => m.kind)).toEqual(["sticker", "text"]);
    const inbound = await db.message.findFirstOrThrow({ where: { kind: "text" } });
    expect(inbound.replyTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now()); // still usable by staff
  });

  it("keeps nothing from a friend staff blocked, and does not answer them", async () => {
    const { account, channelSecret, channel, fake } = await setup();
    const userId = lineUserId();
    await db.friend.create({ data: { shop: SHOP, lineAccountId: account.id, lineUserId: userId, followStatus: "following", operatorBlockedAt: new Date() } });
    await db.autoReplyRule.create({ data: { shop: SHOP, lineAccountId: account.id, name: "all", matchType: "regex", pattern: ".*", messages: ["hi"] } });
    await deliver(account.id, channelSecret, [
      lineEvents.text({ userId, text: "電話番号は090-0000-0000", replyToken: fake.issueReplyToken(channel.channelId, userId) }),
    ]);
    await withWorkers(allProcessed);
    expect(await db.message.count()).toBe(0);
    expect((await db.lineEvent.findFirstOrThrow()).payload).toBeNull();
    expect(fake.sent(channel.channelId)).toEqual([]);
  });

  it("adds and removes tags from postback data", async () => {
    const { account, channelSecret } = await setup();
    const userId = lineUserId();
    const t = Date.now();
    await deliver(account.id, channelSecret, [lineEvents.postback({ userId, data: "action=tag-add&tag=VIP&tag=セール", timestamp: t })]);
    await withWorkers(allProcessed);
    const tagNames = async () =>
      (await db.friendTag.findMany({ where: { friend: { lineUserId: userId } }, include: { tag: true } })).map((ft) => ft.tag.name).sort();
    expect(await tagNames()).toEqual(["VIP", "セール"]);
    await deliver(account.id, channelSecret, [lineEvents.postback({ userId, data: "action=tag-remove&tag=VIP", timestamp: t + 1 })]);
    await deliver(account.id, channelSecret, [lineEvents.postback({ userId, data: "menu=2", timestamp: t + 2 })]);
    await withWorkers(allProcessed);
    expect(await tagNames()).toEqual(["セール"]);
  });

  it("stores and ignores event types it does not act on", async () => {
    const { account, channelSecret } = await setup();
    const beacon = { ...lineEvents.unfollow({ userId: lineUserId() }), type: "beacon", beacon: { hwid: "d41d8cd98f", type: "enter" } };
    await deliver(account.id, channelSecret, [beacon]);
    await withWorkers(allProcessed);
    expect(await db.lineEvent.findFirstOrThrow()).toMatchObject({ type: "beacon", failedAt: null });
    expect(await db.friend.count()).toBe(0);
  });
});

describe("deliveries arriving together", () => {
  it("stores them in shared writes, a redelivery in the same moment once, and one event's content fails no delivery", async () => {
    const { account, channelSecret, channel, fake } = await setup();
    expect((await deliver(account.id, channelSecret, [])).status).toBe(200); // the account is cached from here on
    const users = Array.from({ length: 10 }, () => lineUserId());
    const follows = users.map((userId) => lineEvents.follow({ userId }));
    const together = await Promise.all([
      ...follows.slice(0, 8).map((follow) => deliver(account.id, channelSecret, [follow])),
      deliver(account.id, channelSecret, [{ ...follows[0], deliveryContext: { isRedelivery: true } }]),
    ]);
    expect(together.map((response) => response.status)).toEqual(Array(9).fill(200));
    expect(await db.lineEvent.count()).toBe(8);
    // Fewer jobs than deliveries: deliveries that waited for a write in flight were stored and queued together.
    const jobs = await lineEventQueue().getJobs(["waiting", "prioritized"]);
    expect(jobs.flatMap((job) => job.data.eventIds).sort()).toEqual((await db.lineEvent.findMany()).map((event) => event.id).sort());
    expect(jobs.length).toBeLessThan(8);

    // jsonb cannot hold U+0000: the delivery carrying it is stored all the same, and so are the others.
    const poison = lineEvents.text({ userId: lineUserId(), text: "nul \u0000 inside" });
    const withPoison = await Promise.all([
      deliver(account.id, channelSecret, [follows[8]]),
      deliver(account.id, channelSecret, [poison]),
      deliver(account.id, channelSecret, [follows[9]]),
    ]);
    expect(withPoison.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(await db.lineEvent.count()).toBe(11);

    await withWorkers(allProcessed);
    expect(await db.friend.count({ where: { lineUserId: { in: users }, followStatus: "following" } })).toBe(10);
    expect(await db.message.count({ where: { direction: "in", text: "nul \uFFFD inside" } })).toBe(1);
    const profileReads = fake.requests.filter((request) => request.path.startsWith("/v2/bot/profile/"));
    expect(profileReads).toHaveLength(10);
    expect(fake.sent(channel.channelId)).toEqual([]);
  });

  it("retries only the event that failed, with that user's later events behind it", async () => {
    const { account, channelSecret, channel, fake } = await setup();
    await db.greetingMessage.create({ data: { lineAccountId: account.id, shop: SHOP, enabled: true, messages: ["ようこそ！"] } });
    const [failing, other] = [lineUserId(), lineUserId()];
    const t = Date.now();
    const events = [
      lineEvents.follow({ userId: failing, timestamp: t, replyToken: fake.issueReplyToken(channel.channelId, failing) }),
      lineEvents.unfollow({ userId: failing, timestamp: t + 1 }),
      lineEvents.follow({ userId: other, timestamp: t, replyToken: fake.issueReplyToken(channel.channelId, other) }),
    ];
    fake.failNext(1, { status: 500, path: "/v2/bot/message/reply" });
    expect((await deliver(account.id, channelSecret, events)).status).toBe(200);

    await withWorkers(allProcessed);
    const stored = await db.lineEvent.findMany({ orderBy: { occurredAt: "asc" } });
    const attempts = Object.fromEntries(stored.map((event) => [`${event.lineUserId === failing ? "failing" : "other"} ${event.type}`, event.attempts]));
    // Which of the two greetings met the 500 depends on timing; that user's events took two attempts, the other's one.
    const failedFirst = attempts["failing follow"] === 2 ? "failing" : "other";
    expect(attempts).toEqual(
      failedFirst === "failing"
        ? { "failing follow": 2, "failing unfollow": 2, "other follow": 1 }
        : { "failing follow": 1, "failing unfollow": 1, "other follow": 2 },
    );
    expect(stored.every((event) => event.processedAt && !event.failedAt && !event.lastError)).toBe(true);
    expect(fake.sent(channel.channelId)).toHaveLength(2); // each greeting delivered once
    expect(await db.friend.findFirstOrThrow({ where: { lineUserId: failing } })).toMatchObject({ followStatus: "blocked" });
  });
});
