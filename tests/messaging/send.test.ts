// The send pipeline against the real database, Redis and the LINE fake: the rules at send time, the record of
// each request, the quota ledger, LINE's 24-hour retry key and a claim that is retried.
import { messagingApi } from "@line/bot-sdk";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createDeliveries, recordDeliveries, reopenDelivery, type NewDelivery } from "~/messaging/deliveries.server";
import { quotaStatus } from "~/messaging/quota.server";
import { reply } from "~/messaging/reply.server";
import { sendDelivery } from "~/messaging/send.server";
import { textMessages } from "~/messaging/types";
import { deliveryQueue } from "../../jobs/queues";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";

const HOUR = 3_600_000;
const sendRequests = () => lineFake().requests.filter((r) => /^\/v2\/bot\/message\/(push|multicast|reply)$/.test(r.path));
const row = (id: string) => db.delivery.findUniqueOrThrow({ where: { id } });

async function world(options: { quota?: { type: "none" | "limited"; value?: number }; totalUsage?: number } = {}) {
  const { shop } = await createShop(db);
  const connected = await connectedAccount(db, shop);
  if (options.quota) connected.channel.quota = options.quota;
  if (options.totalUsage !== undefined) connected.channel.totalUsage = options.totalUsage;
  const friend = async (overrides: { followStatus?: string; operatorBlockedAt?: Date } = {}) =>
    db.friend.create({ data: { shop, lineAccountId: connected.account.id, lineUserId: lineUserId(), followStatus: "following", ...overrides } });
  const delivery = (recipients: string[], overrides: Partial<NewDelivery> = {}): NewDelivery => ({
    shop,
    lineAccountId: connected.account.id,
    kind: "test",
    channel: recipients.length > 1 ? "multicast" : "push",
    sourceId: "source-1",
    recipients,
    messages: textMessages(["Hello"]),
    ...overrides,
  });
  /** A delivery recorded without a job, sent by the test itself. */
  const record = async (recipients: string[], overrides: Partial<NewDelivery> = {}) => (await recordDeliveries([delivery(recipients, overrides)]))[0].id;
  return { shop, ...connected, friend, delivery, record };
}

beforeEach(async () => {
  lineFake().reset();
  await deliveryQueue("push").obliterate({ force: true });
  await deliveryQueue("multicast").obliterate({ force: true });
});

describe("a push", () => {
  it("is recorded before the request and sent with the retry key derived from the row; LINE's request id is kept", async () => {
    const w = await world();
    const friend = await w.friend();
    const [id] = await createDeliveries([w.delivery([friend.lineUserId], { friendId: friend.id })]);
    expect(await row(id)).toMatchObject({ status: "scheduled", attempts: 0, quotaCost: 1, claimedAt: null });
    expect(await deliveryQueue("push").getJobState(`delivery-${id}`)).toBe("waiting");

    expect(await sendDelivery(id)).toMatchObject({ status: "sent", alreadyAccepted: false });
    const sent = await row(id);
    const [request] = sendRequests();
    expect(sent).toMatchObject({ status: "sent", attempts: 1, quotaCost: 1, lineRequestId: request.requestId, reason: null });
    expect(request.headers["x-line-retry-key"]).toBe(sent.retryKey);
    expect(sent.claimedAt).not.toBeNull();
    expect(sent.sentAt).not.toBeNull();
    // A second job for the same row sends nothing.
    expect(await sendDelivery(id)).toEqual({ status: "not-pending", current: "sent" });
    expect(sendRequests()).toHaveLength(1);
  });

  it.each([
    ["account-disconnected", async (w: Awaited<ReturnType<typeof world>>) => {
      await db.lineAccount.update({ where: { id: w.account.id }, data: { status: "disconnected" } });
      return (await w.friend()).lineUserId;
    }],
    ["shop-uninstalled", async (w: Awaited<ReturnType<typeof world>>) => {
      await db.shop.update({ where: { shop: w.shop }, data: { uninstalledAt: new Date() } });
      return (await w.friend()).lineUserId;
    }],
    ["not-following", async (w: Awaited<ReturnType<typeof world>>) => (await w.friend({ followStatus: "blocked" })).lineUserId],
    ["not-following", async () => lineUserId()], // a LINE user unknown to the account
    ["operator-blocked", async (w: Awaited<ReturnType<typeof world>>) => (await w.friend({ operatorBlockedAt: new Date() })).lineUserId],
  ])("is skipped, without a request, when the rules say %s at send time", async (reason, arrange) => {
    const w = await world();
    const id = await w.record([lineUserId()]);
    // The rules are read when sending, not when the delivery was made.
    await db.delivery.update({ where: { id }, data: { recipients: [await arrange(w)] } });
    expect(await sendDelivery(id)).toEqual({ status: "skipped", reason });
    expect(await row(id)).toMatchObject({ status: "skipped", reason, attempts: 0, quotaCost: 0 });
    expect(sendRequests()).toEqual([]);
  });

  it("stores LINE's message and status for a 4xx and does not try again", async () => {
    const w = await world();
    const broken = await db.friend.create({ data: { shop: w.shop, lineAccountId: w.account.id, lineUserId: "Unot-a-user", followStatus: "following" } });
    const id = await w.record([broken.lineUserId]);
    expect(await sendDelivery(id)).toMatchObject({ status: "failed", errorStatus: 400 });
    expect(await row(id)).toMatchObject({ status: "failed", errorStatus: 400, reason: expect.stringMatching(/^400 The property, 'to'/), quotaCost: 0 });
    expect(await sendDelivery(id)).toEqual({ status: "not-pending", current: "failed" });
    expect(sendRequests()).toHaveLength(1);
  });
});

describe("a multicast", () => {
  it("drops the recipients the rules now forbid, counts them, and sends to the rest", async () => {
    const w = await world();
    const [a, b, blocked, staffBlocked] = [await w.friend(), await w.friend(), await w.friend(), await w.friend()];
    const id = await w.record([a, blocked, b, staffBlocked].map((f) => f.lineUserId).concat(lineUserId()));
    await db.friend.update({ where: { id: blocked.id }, data: { followStatus: "blocked" } });
    await db.friend.update({ where: { id: staffBlocked.id }, data: { operatorBlockedAt: new Date() } });

    expect(await sendDelivery(id)).toMatchObject({ status: "sent", excluded: 3 });
    expect(lineFake().sent(w.channel.channelId).map((d) => [d.kind, d.to])).toEqual([["multicast", [a.lineUserId, b.lineUserId]]]);
    expect(await row(id)).toMatchObject({ status: "sent", excluded: 3, quotaCost: 2 });
  });

  it("is skipped with a reason when no recipient remains", async () => {
    const w = await world();
    const [a, b] = [await w.friend({ followStatus: "blocked" }), await w.friend({ operatorBlockedAt: new Date() })];
    const id = await w.record([a.lineUserId, b.lineUserId]);
    expect(await sendDelivery(id)).toEqual({ status: "skipped", reason: "no-recipients" });
    expect(await row(id)).toMatchObject({ status: "skipped", excluded: 2, quotaCost: 0 });
    expect(sendRequests()).toEqual([]);
  });
});

describe("a reply", () => {
  it("is recorded without a retry key and costs nothing, under the same rules", async () => {
    const w = await world({ quota: { type: "limited", value: 0 } });
    const friend = await w.friend();
    const token = lineFake().issueReplyToken(w.channel.channelId, friend.lineUserId);
    const base = { shop: w.shop, lineAccountId: w.account.id, kind: "auto-reply" as const, sourceId: "event-1", lineUserId: friend.lineUserId, replyToken: token, messages: textMessages(["Hi"]) };
    const sent = await reply(base);
    expect(sent).toMatchObject({ status: "sent" });
    expect(await row(sent.deliveryId)).toMatchObject({ channel: "reply", status: "sent", retryKey: null, quotaCost: 0, replyToken: token });
    expect(sendRequests()[0].headers["x-line-retry-key"]).toBeUndefined();

    await db.friend.update({ where: { id: friend.id }, data: { operatorBlockedAt: new Date() } });
    expect(await reply({ ...base, replyToken: lineFake().issueReplyToken(w.channel.channelId, friend.lineUserId) })).toMatchObject({
      status: "skipped",
      reason: "operator-blocked",
    });
    expect(sendRequests()).toHaveLength(1);
  });

  it("is not retried: no answer leaves it unknown", async () => {
    const w = await world();
    const friend = await w.friend();
    lineFake().failNext(1, { status: 500, path: "/v2/bot/message/reply" });
    const outcome = await reply({
      shop: w.shop, lineAccountId: w.account.id, kind: "greeting", sourceId: "event-2", lineUserId: friend.lineUserId,
      replyToken: lineFake().issueReplyToken(w.channel.channelId, friend.lineUserId), messages: textMessages(["Welcome"]),
    });
    expect(outcome).toMatchObject({ status: "unknown", reason: expect.stringMatching(/^unknown: 500/) });
    expect(await row(outcome.deliveryId)).toMatchObject({ status: "unknown", errorStatus: 500, attempts: 1 });
    expect(await sendDelivery(outcome.deliveryId)).toEqual({ status: "not-pending", current: "unknown" });
    expect(sendRequests()).toHaveLength(1);
  });
});

describe("the quota ledger", () => {
  it("reads LINE's quota and consumption, charges each claim, and refuses a delivery that cannot fit", async () => {
    const w = await world({ quota: { type: "limited", value: 5 }, totalUsage: 2 });
    const friends = await Promise.all([1, 2, 3, 4].map(() => w.friend()));
    const ids = friends.map((f) => f.lineUserId);
    const push = await w.record([ids[0]]);
    expect(await sendDelivery(push)).toMatchObject({ status: "sent" });
    expect(lineFake().requests.filter((r) => r.path.startsWith("/v2/bot/message/quota")).map((r) => r.path).sort()).toEqual([
      "/v2/bot/message/quota",
      "/v2/bot/message/quota/consumption",
    ]);
    expect(await db.lineQuota.findUniqueOrThrow({ where: { lineAccountId: w.account.id } })).toMatchObject({
      type: "limited", monthlyLimit: 5, usedAtCheck: 2, sentSince: 1, exhaustedAt: null,
    });

    // 2 of 5 used at the read, 1 sent since: 2 left, a multicast to 3 cannot fit.
    const tooBig = await w.record(ids.slice(1, 4));
    expect(await sendDelivery(tooBig)).toEqual({ status: "skipped", reason: "quota-exceeded" });
    expect(await row(tooBig)).toMatchObject({ status: "skipped", reason: "quota-exceeded", attempts: 0 });
    const fits = await w.record(ids.slice(1, 3));
    expect(await sendDelivery(fits)).toMatchObject({ status: "sent" });
    const last = await w.record([ids[3]]);
    expect(await sendDelivery(last)).toEqual({ status: "skipped", reason: "quota-exhausted" });
    expect(lineFake().sent(w.channel.channelId).map((d) => d.to.length)).toEqual([1, 2]);
    expect(await quotaStatus(w.account.id)).toMatchObject({ type: "limited", limit: 5, used: 5, remaining: 0, exhausted: true });
  });

  it("lets concurrent claims take no more than the room left", async () => {
    const w = await world({ quota: { type: "limited", value: 3 } });
    const friends = await Promise.all(Array.from({ length: 8 }, () => w.friend()));
    await quotaStatus(w.account.id, { refresh: true });
    const ids = await Promise.all(friends.map((f) => w.record([f.lineUserId])));
    const outcomes = await Promise.all(ids.map((id) => sendDelivery(id)));
    expect(outcomes.filter((o) => o.status === "sent")).toHaveLength(3);
    expect(outcomes.filter((o) => o.status === "skipped")).toHaveLength(5);
    expect(lineFake().sent(w.channel.channelId)).toHaveLength(3);
    expect(sendRequests()).toHaveLength(3); // the others were refused by the ledger, not by LINE
  });

  it("stops the account's paid sends after LINE's monthly-limit 429, until a read shows room; replies still go", async () => {
    const w = await world();
    const friend = await w.friend();
    await quotaStatus(w.account.id, { refresh: true }); // "none" as far as the ledger knows
    w.channel.quota = { type: "limited", value: 0 }; // the merchant's plan changed at LINE
    const first = await w.record([friend.lineUserId]);
    expect(await sendDelivery(first)).toEqual({ status: "skipped", reason: "quota-exhausted" });
    expect(await row(first)).toMatchObject({ status: "skipped", reason: "quota-exhausted", errorStatus: 429 });
    expect((await db.lineQuota.findUniqueOrThrow({ where: { lineAccountId: w.account.id } })).exhaustedAt).not.toBeNull();

    const second = await w.record([friend.lineUserId]);
    expect(await sendDelivery(second)).toEqual({ status: "skipped", reason: "quota-exhausted" });
    expect(sendRequests()).toHaveLength(1); // refused here, LINE was not asked again
    const answer = await reply({
      shop: w.shop, lineAccountId: w.account.id, kind: "chat", sourceId: "m", lineUserId: friend.lineUserId,
      replyToken: lineFake().issueReplyToken(w.channel.channelId, friend.lineUserId), messages: textMessages(["free"]),
    });
    expect(answer.status).toBe("sent");

    // The merchant raised the limit: the next read of LINE's figures ends the stop.
    w.channel.quota = { type: "limited", value: 1_000 };
    expect(await quotaStatus(w.account.id, { refresh: true })).toMatchObject({ exhausted: false, limit: 1_000 });
    const third = await w.record([friend.lineUserId]);
    expect(await sendDelivery(third)).toMatchObject({ status: "sent" });
  });
});

describe("LINE's 24-hour retry key", () => {
  it("sends a claim again within the window with the same key, and never once it has passed", async () => {
    const w = await world();
    const friend = await w.friend();
    const recent = await w.record([friend.lineUserId]);
    await db.delivery.update({ where: { id: recent }, data: { status: "sending", claimedAt: new Date(Date.now() - 22 * HOUR), attempts: 1, retryKey: "0a0b0c0d-0000-5000-8000-000000000001" } });
    expect(await sendDelivery(recent)).toMatchObject({ status: "sent" });
    expect(sendRequests().map((r) => r.headers["x-line-retry-key"])).toEqual(["0a0b0c0d-0000-5000-8000-000000000001"]);
    expect(await row(recent)).toMatchObject({ status: "sent", attempts: 2 });

    const stale = await w.record([friend.lineUserId]);
    await db.delivery.update({ where: { id: stale }, data: { status: "sending", claimedAt: new Date(Date.now() - 23 * HOUR - 60_000), attempts: 1 } });
    expect(await sendDelivery(stale)).toMatchObject({ status: "unknown" });
    expect(await row(stale)).toMatchObject({ status: "unknown", reason: expect.stringMatching(/^unknown: .*24 hours/), attempts: 1 });
    expect(await reopenDelivery(w.shop, stale)).toBe(false); // staff cannot send it again either
    expect(sendRequests()).toHaveLength(1);
  });

  it("a delivery claimed, whose answer was lost, and sent again reaches LINE once", async () => {
    const w = await world();
    const friend = await w.friend();
    const id = await w.record([friend.lineUserId]);
    // The first attempt times out at our end after LINE took it.
    lineFake().failNext(1, { status: 503, path: "/v2/bot/message/push" });
    expect(await sendDelivery(id)).toMatchObject({ status: "retry" });
    expect(await row(id)).toMatchObject({ status: "sending", attempts: 1, errorStatus: 503 });
    const { retryKey } = await row(id);
    const direct = new messagingApi.MessagingApiClient({ channelAccessToken: w.channel.longLivedToken, baseURL: lineFake().url });
    await direct.pushMessage({ to: friend.lineUserId, messages: textMessages(["Hello"]) }, retryKey!);

    expect(await sendDelivery(id)).toMatchObject({ status: "sent", alreadyAccepted: true });
    expect(sendRequests().map((r) => r.status)).toEqual([503, 200, 409]);
    expect(lineFake().sent(w.channel.channelId)).toHaveLength(1);
    const sent = await row(id);
    expect(sent).toMatchObject({ status: "sent", attempts: 2, quotaCost: 1 });
    expect(sent.lineRequestId).toBe(sendRequests()[1].requestId);
    // Charged once, on the first claim.
    expect((await db.lineQuota.findUniqueOrThrow({ where: { lineAccountId: w.account.id } })).sentSince).toBe(1);
  });
});
