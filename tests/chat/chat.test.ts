// Staff messages in the 1:1 chat: free reply while the friend's reply token lasts, push (with a retry key)
// otherwise, and nothing at all to anyone who must not receive it.
import { messagingApi } from "@line/bot-sdk";
import type { Friend, LineAccount } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { replyModeFor, retryStaffMessage, sendStaffMessage } from "~/chat/chat.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { retryKeyFor } from "~/messaging/retry-key";
import { createFriend, createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import type { FakeChannel } from "../support/line-fake";
import { waitUntil } from "../support/worker";

const SHOP = "chat.myshopify.com";
const STAFF = "staff:42";

let account: LineAccount;
let channel: FakeChannel;
let friend: Friend;

const pushRequests = () => lineFake().requests.filter((r) => r.path === "/v2/bot/message/push");

/** A message from the friend as the event worker stores it, with a reply token the fake will accept. */
async function receive(text: string, options: { ttlMs?: number; token?: string } = {}) {
  const ttlMs = options.ttlMs ?? 50_000;
  const token = options.token ?? lineFake().issueReplyToken(channel.channelId, friend.lineUserId, { ttlMs: Math.max(ttlMs, 1) });
  return db.message.create({
    data: {
      shop: SHOP,
      lineAccountId: account.id,
      friendId: friend.id,
      direction: "in",
      kind: "text",
      text,
      replyToken: token,
      replyTokenExpiresAt: new Date(Date.now() + ttlMs),
    },
  });
}

beforeEach(async () => {
  lineFake().reset();
  await db.message.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  await db.shop.deleteMany();
  await createShop(db, { shop: SHOP });
  ({ account, channel } = await connectedAccount(db, SHOP, { accessToken: true }));
  friend = await createFriend(db, account, { displayName: "Hanako" });
});

describe("reply while the token is valid", () => {
  it("replies for free, marks the token used and records the message", async () => {
    const incoming = await receive("Is the matcha in stock?");
    expect(await replyModeFor(friend)).toMatchObject({ mode: "reply", until: incoming.replyTokenExpiresAt });

    const result = await sendStaffMessage(SHOP, friend.id, "  Yes, 20 left!  ", STAFF);
    expect(result).toMatchObject({ ok: true, sentVia: "reply" });

    expect(lineFake().sent()).toEqual([
      expect.objectContaining({ kind: "reply", to: [friend.lineUserId], messages: [{ type: "text", text: "Yes, 20 left!" }] }),
    ]);
    expect(channel.totalUsage).toBe(0);
    const used = await db.message.findUniqueOrThrow({ where: { id: incoming.id } });
    expect(used.replyTokenExpiresAt!.getTime()).toBeLessThanOrEqual(Date.now());
    const stored = await db.message.findFirstOrThrow({ where: { friendId: friend.id, direction: "out" } });
    expect(stored).toMatchObject({ sentVia: "reply", status: "sent", sentBy: STAFF, text: "Yes, 20 left!", retryKey: null });
    expect(await replyModeFor(friend)).toEqual({ mode: "push" });
  });

  it("lets only one of two simultaneous sends use the token; the other pushes", async () => {
    await receive("Hello?");
    const results = await Promise.all([
      sendStaffMessage(SHOP, friend.id, "first", STAFF),
      sendStaffMessage(SHOP, friend.id, "second", STAFF),
    ]);
    expect(results.map((r) => r.ok && r.sentVia).sort()).toEqual(["push", "reply"]);
    expect(lineFake().sent().map((d) => d.kind).sort()).toEqual(["push", "reply"]);
  });
});

describe("two sends that meet at the claim", () => {
  /** Runs `sends` while the received message's row is locked, until every send waits at the claim, then lets go. */
  async function overlapAtClaim<T>(messageId: string, sends: () => Promise<T>[]) {
    let running: Promise<T[]> | undefined;
    let settled = false;
    await db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "Message" WHERE id = ${messageId} FOR UPDATE`;
        running = Promise.all(sends()).finally(() => (settled = true));
        const waitingAtClaim = async () => {
          const [{ count }] = await db.$queryRaw<{ count: number }[]>`
            SELECT count(*)::int AS count FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'UPDATE "public"."Message"%'`;
          return count;
        };
        // Both have read the token as usable and now wait on the same row; a send that never claims settles instead.
        await waitUntil(async () => settled || (await waitingAtClaim()) === 2, 30_000);
      },
      { timeout: 60_000 },
    );
    return running!;
  }

  it("lets exactly one use the reply token; the other pushes", async () => {
    const incoming = await receive("Hello?");
    const results = await overlapAtClaim(incoming.id, () => [
      sendStaffMessage(SHOP, friend.id, "first", STAFF),
      sendStaffMessage(SHOP, friend.id, "second", STAFF),
    ]);
    expect(results.map((r) => r.ok && r.sentVia).sort()).toEqual(["push", "reply"]);
    expect(lineFake().requests.filter((r) => r.path === "/v2/bot/message/reply")).toHaveLength(1);
    expect(pushRequests()).toHaveLength(1);
    expect(lineFake().sent().map((d) => d.kind).sort()).toEqual(["push", "reply"]);
  });
});

describe("a staff reply whose answer was lost", () => {
  it("is recorded as unknown (most likely delivered), not failed, and says so", async () => {
    await receive("Do you ship abroad?");
    const timeout = env.LINE_TIMEOUT_MS;
    env.LINE_TIMEOUT_MS = 200;
    lineFake().delayNext(1, 1_000, { path: "/v2/bot/message/reply" }); // LINE takes it, then answers too late
    try {
      const result = await sendStaffMessage(SHOP, friend.id, "Yes, to Taiwan too", STAFF);
      expect(result).toMatchObject({ ok: false, reason: "friends.chat.error.replyUnconfirmed", message: { status: "unknown", sentVia: "reply" } });
    } finally {
      env.LINE_TIMEOUT_MS = timeout;
    }
    await lineFake().waitFor(() => lineFake().sent().length === 1, 10_000);
    expect(await db.message.count({ where: { friendId: friend.id, direction: "out", status: "failed" } })).toBe(0);
  });
});

describe("push when no reply token can be used", () => {
  it("pushes after the token expired, with the row's retry key, counting against the quota", async () => {
    await receive("Earlier question", { ttlMs: -1000 });
    expect(await replyModeFor(friend)).toEqual({ mode: "push" });

    const result = await sendStaffMessage(SHOP, friend.id, "Sorry for the wait", STAFF);
    expect(result).toMatchObject({ ok: true, sentVia: "push" });
    const stored = await db.message.findFirstOrThrow({ where: { friendId: friend.id, direction: "out" } });
    expect(stored).toMatchObject({ sentVia: "push", status: "sent", sentBy: STAFF, retryKey: retryKeyFor(stored.id) });
    expect(lineFake().sent()).toEqual([
      expect.objectContaining({ kind: "push", to: [friend.lineUserId], retryKey: stored.retryKey, messages: [{ type: "text", text: "Sorry for the wait" }] }),
    ]);
    expect(channel.totalUsage).toBe(1);
  });

  it("pushes when the token was already used, by staff or by an auto-reply", async () => {
    await receive("Question");
    await sendStaffMessage(SHOP, friend.id, "by reply", STAFF);
    expect(await sendStaffMessage(SHOP, friend.id, "follow-up", STAFF)).toMatchObject({ ok: true, sentVia: "push" });

    // An auto-reply answered the newest message through its token (and recorded that reply).
    await receive("Opening hours?");
    await db.message.create({
      data: { shop: SHOP, lineAccountId: account.id, friendId: friend.id, direction: "out", kind: "text", text: "10-18", sentVia: "reply", sentBy: "auto-reply:r1" },
    });
    expect(await replyModeFor(friend)).toEqual({ mode: "push" });
    expect(await sendStaffMessage(SHOP, friend.id, "We open at 10", STAFF)).toMatchObject({ ok: true, sentVia: "push" });
    expect(lineFake().sent().map((d) => d.kind)).toEqual(["reply", "push", "push"]);
  });

  it("pushes when the friend never wrote", async () => {
    expect(await sendStaffMessage(SHOP, friend.id, "Welcome!", STAFF)).toMatchObject({ ok: true, sentVia: "push" });
  });

  it("retries a 503 with the same key, and LINE delivers once", async () => {
    lineFake().failNext(1, { status: 503, path: "/v2/bot/message/push" });
    const result = await sendStaffMessage(SHOP, friend.id, "Your order shipped", STAFF);
    expect(result).toMatchObject({ ok: true, sentVia: "push" });
    const stored = await db.message.findFirstOrThrow({ where: { friendId: friend.id, direction: "out" } });
    expect(pushRequests().map((r) => [r.status, r.headers["x-line-retry-key"]])).toEqual([
      [503, stored.retryKey],
      [200, stored.retryKey],
    ]);
    expect(lineFake().sent()).toHaveLength(1);
    expect(stored.status).toBe("sent");
  });

  it("after an attempt whose answer was lost, a retry with the same key gets 409 and counts as sent, once", async () => {
    // Both attempts fail as far as we can tell (two 503s): the row is kept as failed, with its retry key.
    lineFake().failNext(2, { status: 503, path: "/v2/bot/message/push" });
    const first = await sendStaffMessage(SHOP, friend.id, "Your order shipped", STAFF);
    expect(first).toMatchObject({ ok: false, reason: "friends.chat.error.unavailable" });
    const row = await db.message.findFirstOrThrow({ where: { friendId: friend.id, direction: "out" } });
    expect(row).toMatchObject({ status: "failed", error: "503 Service unavailable" });
    // Meanwhile an attempt with that key did reach LINE (a timed-out call is abandoned, not cancelled).
    const direct = new messagingApi.MessagingApiClient({ channelAccessToken: channel.longLivedToken, baseURL: lineFake().url });
    await direct.pushMessage({ to: friend.lineUserId, messages: [{ type: "text", text: "Your order shipped" }] }, row.retryKey!);

    expect(await retryStaffMessage(SHOP, row.id)).toMatchObject({ ok: true, sentVia: "push" });
    expect(pushRequests().map((r) => r.status)).toEqual([503, 503, 200, 409]);
    expect(new Set(pushRequests().map((r) => r.headers["x-line-retry-key"]))).toEqual(new Set([row.retryKey]));
    expect(lineFake().sent()).toHaveLength(1);
    expect(await db.message.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "sent", error: null });

    // Retrying a sent message sends nothing.
    expect(await retryStaffMessage(SHOP, row.id)).toMatchObject({ ok: true });
    expect(pushRequests()).toHaveLength(4);
  });

  it("stores a 400 from LINE as failed, with LINE's message", async () => {
    const broken = await createFriend(db, account, { lineUserId: "Unot-a-valid-user-id" });
    const result = await sendStaffMessage(SHOP, broken.id, "Hello", STAFF);
    // Shown as LINE's reason in the merchant's language, with LINE's words under it.
    expect(result).toMatchObject({ ok: false, reason: "line.error.invalidRecipient", detail: expect.stringMatching(/^400 The property, 'to'/) });
    expect(pushRequests().map((r) => r.status)).toEqual([400]);
    const stored = await db.message.findFirstOrThrow({ where: { friendId: broken.id } });
    expect(stored.status).toBe("failed");
    expect(stored.error).toMatch(/^400 The property, 'to'/);
    expect(lineFake().sent()).toHaveLength(0);
  });

  it("stores quota exhaustion as failed and says so", async () => {
    channel.quota = { type: "limited", value: 0 };
    expect(await sendStaffMessage(SHOP, friend.id, "Hello", STAFF)).toMatchObject({ ok: false, reason: "friends.chat.error.quota" });
    // The send pipeline's quota ledger (LINE's figures: 0 of 0 left) refuses it without a push.
    expect(pushRequests()).toHaveLength(0);
    expect(await db.message.findFirstOrThrow({ where: { friendId: friend.id } })).toMatchObject({ status: "failed" });
  });
});

describe("refusals: nothing is sent", () => {
  const refusedWith = async (target: Friend, reason: string) => {
    expect(await replyModeFor(target)).toEqual({ mode: "blocked", reason: reason.replace("friends.chat.blocked.", "") });
    expect(await sendStaffMessage(SHOP, target.id, "Hello", STAFF)).toEqual({ ok: false, reason });
    expect(lineFake().requests.filter((r) => r.path.startsWith("/v2/bot/message"))).toHaveLength(0);
    expect(await db.message.count({ where: { friendId: target.id, direction: "out" } })).toBe(0);
  };

  it("refuses a friend who blocked the account, even with a valid reply token", async () => {
    await receive("bye");
    await db.friend.update({ where: { id: friend.id }, data: { followStatus: "blocked", unfollowedAt: new Date() } });
    await refusedWith(await db.friend.findUniqueOrThrow({ where: { id: friend.id } }), "friends.chat.blocked.not-following");
  });

  it("refuses a friend staff blocked", async () => {
    await receive("spam");
    const blocked = await db.friend.update({ where: { id: friend.id }, data: { operatorBlockedAt: new Date() } });
    await refusedWith(blocked, "friends.chat.blocked.operator-blocked");
  });

  it("refuses a shopper who linked but never followed", async () => {
    await refusedWith(await createFriend(db, account, { followStatus: "unknown" }), "friends.chat.blocked.not-following");
  });

  it("refuses when the account is disconnected or the shop uninstalled", async () => {
    await db.lineAccount.update({ where: { id: account.id }, data: { status: "disconnected" } });
    await refusedWith(friend, "friends.chat.blocked.account-disconnected");
    await db.lineAccount.update({ where: { id: account.id }, data: { status: "connected" } });
    await db.shop.update({ where: { shop: SHOP }, data: { uninstalledAt: new Date() } });
    await refusedWith(friend, "friends.chat.blocked.shop-uninstalled");
  });

  it("validates the text: 1 to 5,000 characters", async () => {
    await receive("Hi");
    expect(await sendStaffMessage(SHOP, friend.id, "   ", STAFF)).toEqual({ ok: false, reason: "friends.chat.error.empty" });
    expect(await sendStaffMessage(SHOP, friend.id, "x".repeat(5001), STAFF)).toEqual({ ok: false, reason: "friends.chat.error.tooLong" });
    expect(lineFake().requests).toHaveLength(0);
    expect(await sendStaffMessage(SHOP, friend.id, "x".repeat(5000), STAFF)).toMatchObject({ ok: true, sentVia: "reply" });
  });

  it("does not send to another shop's friend", async () => {
    expect(await sendStaffMessage("other.myshopify.com", friend.id, "Hello", STAFF)).toEqual({ ok: false, reason: "friends.error.notFound" });
    const row = await db.message.create({
      data: { shop: SHOP, lineAccountId: account.id, friendId: friend.id, direction: "out", kind: "text", text: "x", sentVia: "push", status: "failed" },
    });
    expect(await retryStaffMessage("other.myshopify.com", row.id)).toEqual({ ok: false, reason: "friends.error.notFound" });
    expect(lineFake().requests).toHaveLength(0);
  });
});
