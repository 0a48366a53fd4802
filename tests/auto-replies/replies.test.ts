// Greetings and auto-replies as the worker sends them: the sending rules, one answer per event however often the
// event is retried, and an honest record when LINE's answer to a reply was lost.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { handleLineEvent } from "~/line/events/handle.server";
import { recordDeliveries } from "~/messaging/deliveries.server";
import { reply } from "~/messaging/reply.server";
import { sendDelivery } from "~/messaging/send.server";
import { textMessages } from "~/messaging/types";
import { action as lineWebhook } from "~/routes/webhooks.line.$accountId";
import { action as appUninstalled } from "~/routes/webhooks.app.uninstalled";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineFake, lineWebhookRequest, webhookBody } from "../support/line";
import { shopPayload, signedWebhook } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";

const SHOP = "replies.myshopify.com";
const timeout = env.LINE_TIMEOUT_MS;

beforeEach(async () => {
  lineFake().reset();
  await db.lineEvent.deleteMany();
  await db.message.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  await db.shop.deleteMany();
});

afterEach(() => {
  env.LINE_TIMEOUT_MS = timeout;
});

async function world() {
  await createShop(db, { shop: SHOP });
  const connected = await connectedAccount(db, SHOP);
  await db.greetingMessage.create({ data: { lineAccountId: connected.account.id, shop: SHOP, enabled: true, messages: ["ようこそ！", "クーポン: WELCOME"] } });
  await db.autoReplyRule.create({
    data: { shop: SHOP, lineAccountId: connected.account.id, name: "all", matchType: "regex", pattern: ".*", messages: ["お問い合わせありがとうございます"] },
  });
  const deliver = (events: unknown[]) =>
    lineWebhook({
      request: lineWebhookRequest(connected.account.id, connected.channelSecret, webhookBody("Ubot", events)),
      params: { accountId: connected.account.id },
      context: {},
    });
  const token = (userId: string) => lineFake().issueReplyToken(connected.channel.channelId, userId);
  return { ...connected, deliver, token };
}

const allProcessed = () => waitUntil(async () => (await db.lineEvent.count({ where: { processedAt: null, failedAt: null } })) === 0);
const stored = (userId: string) => db.lineEvent.findFirstOrThrow({ where: { lineUserId: userId }, include: { lineAccount: true } });
const replies = () => lineFake().sent().filter((delivery) => delivery.kind === "reply");
const replyRequests = () => lineFake().requests.filter((request) => request.path === "/v2/bot/message/reply");

/** The stored event as a retry would meet it, but with a reply token LINE would accept again. */
async function withFreshToken(userId: string, token: string) {
  const event = await stored(userId);
  await db.lineEvent.update({ where: { id: event.id }, data: { payload: { ...(event.payload as object), replyToken: token } } });
  return stored(userId);
}

describe("an uninstalled shop", () => {
  it("answers no message and keeps none, and greets no new friend", async () => {
    const { deliver, token } = await world();
    const response = await appUninstalled({ request: signedWebhook({ topic: "app/uninstalled", shop: SHOP, body: shopPayload(SHOP) }), params: {}, context: {} });
    expect(response.status).toBe(200);
    await withWorkers(() => waitUntil(async () => (await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).uninstalledAt));

    const writer = lineUserId();
    const follower = lineUserId();
    await deliver([
      lineEvents.text({ userId: writer, text: "電話番号は090-0000-0000です", replyToken: token(writer) }),
      lineEvents.follow({ userId: follower, replyToken: token(follower) }),
    ]);
    await withWorkers(allProcessed);

    expect(lineFake().requests.filter((request) => request.path.startsWith("/v2/bot/message"))).toEqual([]);
    expect(await db.message.count()).toBe(0);
    expect((await stored(writer)).payload).toBeNull(); // not even the raw event keeps what they wrote
  });
});

describe("the send pipeline", () => {
  it("applies the sending rules itself, on the rows as they are at the moment of sending", async () => {
    const { account, token } = await world();
    const friend = await db.friend.create({ data: { shop: SHOP, lineAccountId: account.id, lineUserId: lineUserId(), followStatus: "following" } });
    const refused = (reason: string) => ({ status: "skipped", reason });
    const pushTo = async (to: string) => {
      const [delivery] = await recordDeliveries([
        { shop: SHOP, lineAccountId: account.id, kind: "test", channel: "push", sourceId: "rules", recipients: [to], messages: textMessages(["Sale!"]) },
      ]);
      return sendDelivery(delivery.id);
    };
    const push = () => pushTo(friend.lineUserId);
    const answer = async () =>
      reply({ shop: SHOP, lineAccountId: account.id, kind: "auto-reply", sourceId: "rules", lineUserId: friend.lineUserId, replyToken: token(friend.lineUserId), messages: textMessages(["Hi"]) });

    await db.shop.update({ where: { shop: SHOP }, data: { uninstalledAt: new Date() } });
    expect(await push()).toEqual(refused("shop-uninstalled"));
    expect(await answer()).toMatchObject(refused("shop-uninstalled"));
    await db.shop.update({ where: { shop: SHOP }, data: { uninstalledAt: null } });
    await db.friend.update({ where: { id: friend.id }, data: { operatorBlockedAt: new Date() } });
    expect(await push()).toEqual(refused("operator-blocked"));
    await db.friend.update({ where: { id: friend.id }, data: { operatorBlockedAt: null, followStatus: "blocked" } });
    expect(await answer()).toMatchObject(refused("not-following"));
    await db.friend.update({ where: { id: friend.id }, data: { followStatus: "following" } });
    // A worker's cached account row is stale: the rules read the account as it is now.
    await db.lineAccount.update({ where: { id: account.id }, data: { status: "disconnected" } });
    expect(await push()).toEqual(refused("account-disconnected"));
    expect(await pushTo(lineUserId())).toEqual(refused("account-disconnected"));
    expect(lineFake().requests.filter((request) => request.path.startsWith("/v2/bot/message"))).toEqual([]);

    await db.lineAccount.update({ where: { id: account.id }, data: { status: "connected" } });
    expect(await pushTo(lineUserId())).toEqual(refused("not-following"));
    expect(await push()).toMatchObject({ status: "sent" });
    expect(lineFake().sent()).toHaveLength(1);
  });
});

describe("a retried event", () => {
  it("does not greet twice, even with a reply token LINE would accept", async () => {
    const { deliver, token } = await world();
    const userId = lineUserId();
    await deliver([lineEvents.follow({ userId, replyToken: token(userId) })]);
    expect(await handleLineEvent(await stored(userId))).toBe("greeted");
    expect(await handleLineEvent(await withFreshToken(userId, token(userId)))).toBe("greeted");

    expect(replies()).toHaveLength(1);
    expect(replyRequests()).toHaveLength(1);
    const thread = await db.message.findMany({ where: { direction: "out" }, select: { status: true, sentBy: true } });
    expect(thread).toEqual([{ status: "sent", sentBy: "greeting" }, { status: "sent", sentBy: "greeting" }]);
  });

  it("does not send an auto-reply twice, even with a reply token LINE would accept", async () => {
    const { deliver, token } = await world();
    const userId = lineUserId();
    await deliver([lineEvents.text({ userId, text: "在庫はありますか", replyToken: token(userId) })]);
    expect(await handleLineEvent(await stored(userId))).toBe("auto-reply-sent");
    expect(await handleLineEvent(await withFreshToken(userId, token(userId)))).toBe("auto-reply-already-sent");

    expect(replies()).toHaveLength(1);
    expect(replyRequests()).toHaveLength(1);
    expect(await db.message.count({ where: { direction: "in" } })).toBe(1);
  });
});

describe("a reply whose answer was lost", () => {
  it("is unknown (most likely delivered), not failed, when the retry finds the token used", async () => {
    const { deliver, token, channel } = await world();
    const userId = lineUserId();
    await deliver([lineEvents.follow({ userId, replyToken: token(userId) })]);
    // LINE takes the reply but answers after we gave up on it.
    env.LINE_TIMEOUT_MS = 200;
    lineFake().delayNext(1, 1_000, { path: "/v2/bot/message/reply" });

    await expect(handleLineEvent(await stored(userId))).rejects.toMatchObject({ name: "LineTimeoutError" });
    expect(await db.message.findMany({ select: { status: true } })).toEqual([{ status: "unknown" }, { status: "unknown" }]);
    await lineFake().waitFor(() => lineFake().sent(channel.channelId).length === 1, 10_000);

    // The job's retry: LINE says the token is used, because the first attempt did reach it.
    expect(await handleLineEvent(await stored(userId))).toBe("greeting-unknown");
    expect(replyRequests().map((request) => request.status)).toEqual([200, 400]);
    expect(replies()).toHaveLength(1);
    const thread = await db.message.findMany({ select: { status: true, error: true } });
    expect(thread).toHaveLength(2);
    for (const message of thread) expect(message).toEqual({ status: "unknown", error: "400 Invalid reply token" });
  });

  it("is failed when the only attempt is refused for a used token", async () => {
    const { deliver, channel } = await world();
    const userId = lineUserId();
    const spent = lineFake().issueReplyToken(channel.channelId, userId, { ttlMs: -1 });
    await deliver([lineEvents.follow({ userId, replyToken: spent })]);
    expect(await handleLineEvent(await stored(userId))).toBe("greeting-failed");
    expect(await db.message.findMany({ select: { status: true } })).toEqual([{ status: "failed" }, { status: "failed" }]);
  });
});
