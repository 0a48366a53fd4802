// The inbox over the real route, PostgreSQL, Redis, worker and the LINE fake: received images fetched and kept for
// a set time, unread counts and LINE's mark-as-read, assignment, saved replies, the thread's pages, other shops.
import type { Friend, LineAccount } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { assignConversation } from "~/inbox/assign.server";
import { CONTENT_KEEP_DAYS, contentForUrl, expireContent, fetchContent, signedContentUrl } from "~/inbox/content.server";
import { listConversations, unreadTotal } from "~/inbox/conversations.server";
import { markRead, markReadAtLine } from "~/inbox/read.server";
import { createSavedReply, deleteSavedReply, listSavedReplies, updateSavedReply } from "~/inbox/saved-replies.server";
import { threadPage, type ThreadItem } from "~/inbox/thread.server";
import { action } from "~/routes/webhooks.line.$accountId";
import { inboxQueue } from "../../jobs/queues";
import { createFriend, createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineFake, lineWebhookRequest, resetLineState, webhookBody } from "../support/line";
import type { FakeChannel } from "../support/line-fake";
import { waitUntil, withWorkers } from "../support/worker";

const SHOP = "inbox.myshopify.com";
const OTHER = "other-inbox.myshopify.com";
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a5d20000000049454e44ae426082", "hex");

let account: LineAccount;
let channel: FakeChannel;
let channelSecret: string;

async function deliver(events: unknown[]) {
  const request = lineWebhookRequest(account.id, channelSecret, webhookBody("Ubot", events));
  const response = await action({ request, params: { accountId: account.id }, context: {} });
  expect(response.status).toBe(200);
}

const allProcessed = () => waitUntil(async () => (await db.lineEvent.count({ where: { processedAt: null, failedAt: null } })) === 0);

function imageEvent(userId: string, messageId: string, markAsReadToken: string) {
  const event = lineEvents.text({ userId, text: "" });
  return { ...event, message: { type: "image", id: messageId, quoteToken: "q", contentProvider: { type: "line" }, markAsReadToken } };
}

function textEvent(userId: string, text: string, markAsReadToken: string) {
  const event = lineEvents.text({ userId, text, messageId: String(Math.floor(Math.random() * 1e15)) });
  return { ...event, message: { ...event.message, markAsReadToken } };
}

beforeEach(async () => {
  await resetLineState();
  await inboxQueue().obliterate({ force: true });
  await db.savedReply.deleteMany();
  await db.delivery.deleteMany();
  await db.shop.deleteMany();
  await createShop(db, { shop: SHOP });
  await createShop(db, { shop: OTHER });
  ({ account, channel, channelSecret } = await connectedAccount(db, SHOP, { accessToken: true }));
});

describe("received messages", () => {
  it("fetches an image in the worker, counts unread, and marks the chat read at LINE with the latest token", async () => {
    const userId = lineUserId();
    const fake = lineFake();
    fake.setContent(channel.channelId, "900001", PNG, { contentType: "image/png" });
    const tokens = [fake.issueMarkAsReadToken(channel.channelId, userId), fake.issueMarkAsReadToken(channel.channelId, userId)];
    await deliver([imageEvent(userId, "900001", tokens[0]), textEvent(userId, "この商品はありますか", tokens[1])]);

    await withWorkers(async () => {
      await allProcessed();
      const content = await waitUntil(async () => db.messageContent.findFirst({ where: { status: "stored" } }));
      expect(Buffer.from(content.bytes!)).toEqual(PNG);
      expect(content.contentType).toBe("image/png");
      expect(content.expiresAt!.getTime() - content.fetchedAt!.getTime()).toBe(CONTENT_KEEP_DAYS * 86_400_000);

      const { conversations } = await listConversations(SHOP);
      expect(conversations).toHaveLength(1);
      expect(conversations[0]).toMatchObject({ unread: 2, lastKind: "text", lastText: "この商品はありますか" });
      expect(await unreadTotal(SHOP)).toBe(2);

      const friendId = conversations[0].friendId;
      expect(await markRead(SHOP, friendId)).toBe(true);
      expect((await listConversations(SHOP)).conversations[0].unread).toBe(0);
      // The latest message's token reaches LINE (it marks every earlier message read too), once.
      await waitUntil(async () => channel.markedRead.length === 1);
      expect(channel.markedRead[0]).toMatchObject({ token: tokens[1], userId });
      await waitUntil(async () => (await db.conversation.findUnique({ where: { friendId } }))?.lineReadMessageId);
      await markRead(SHOP, friendId);
      expect(await markReadAtLine(friendId)).toBe("nothing-new");
      expect(channel.markedRead).toHaveLength(1);

      // A new message is unread again.
      await deliver([textEvent(userId, "もしもし", fake.issueMarkAsReadToken(channel.channelId, userId))]);
      await allProcessed();
      expect((await listConversations(SHOP)).conversations[0].unread).toBe(1);
      expect((await listConversations(SHOP, { unread: true })).conversations).toHaveLength(1);
    });
  });

  it("records content LINE no longer has as failed, without retrying", async () => {
    const friend = await createFriend(db, account);
    const message = await db.message.create({ data: { shop: SHOP, lineAccountId: account.id, friendId: friend.id, direction: "in", kind: "image", lineMessageId: "unknown-id" } });
    await db.messageContent.create({ data: { messageId: message.id, shop: SHOP, lineAccountId: account.id } });
    expect(await fetchContent(message.id)).toBe("gone");
    expect(await db.messageContent.findUnique({ where: { messageId: message.id } })).toMatchObject({ status: "failed", bytes: null });
    expect(lineFake().requests.filter((r) => r.path.endsWith("/content"))).toHaveLength(1);
  });

  it("serves kept content through a signed URL for its shop only, and deletes it when its time is up", async () => {
    const friend = await createFriend(db, account);
    const message = await db.message.create({ data: { shop: SHOP, lineAccountId: account.id, friendId: friend.id, direction: "in", kind: "image", lineMessageId: "900002" } });
    await db.messageContent.create({ data: { messageId: message.id, shop: SHOP, lineAccountId: account.id } });
    lineFake().setContent(channel.channelId, "900002", PNG, { contentType: "image/png" });
    const fetchedAt = new Date();
    expect(await fetchContent(message.id, fetchedAt)).toBe("stored");
    // A second run (a retried job) changes nothing.
    expect(await fetchContent(message.id, fetchedAt)).toBe("not-pending");

    const url = new URL(signedContentUrl(SHOP, message.id), "https://app.example");
    expect((await contentForUrl(message.id, url.searchParams))?.bytes).toEqual(PNG);
    const forged = new URLSearchParams(url.searchParams);
    forged.set("shop", OTHER);
    expect(await contentForUrl(message.id, forged)).toBeNull();
    const tampered = new URLSearchParams(url.searchParams);
    tampered.set("e", String(Number(url.searchParams.get("e")) + 3600));
    expect(await contentForUrl(message.id, tampered)).toBeNull();
    expect(await contentForUrl(message.id, url.searchParams, Date.now() + 2 * 3_600_000)).toBeNull();

    const keptUntil = new Date(fetchedAt.getTime() + CONTENT_KEEP_DAYS * 86_400_000);
    expect(await expireContent(new Date(keptUntil.getTime() - 1))).toBe(0);
    expect(await expireContent(keptUntil)).toBe(1);
    expect(await db.messageContent.findUnique({ where: { messageId: message.id } })).toMatchObject({ status: "expired", bytes: null });
    expect(await contentForUrl(message.id, url.searchParams)).toBeNull();
    const page = await threadPage(SHOP, friend.id);
    expect(page?.items[0]).toMatchObject({ type: "message", image: { state: "expired" } });
  });
});

describe("conversations", () => {
  async function friendWithMessages(target: LineAccount, name: string, at: Date): Promise<Friend> {
    const friend = await createFriend(db, target, { displayName: name });
    await db.message.create({ data: { shop: target.shop, lineAccountId: target.id, friendId: friend.id, direction: "in", kind: "text", text: `from ${name}`, createdAt: at } });
    return db.friend.update({ where: { id: friend.id }, data: { lastMessageAt: at } });
  }

  it("orders by last message and filters by unread, account, tag, assignee and name; other shops' ids change nothing", async () => {
    const second = (await connectedAccount(db, SHOP, { displayName: "Second" })).account;
    const otherAccount = (await connectedAccount(db, OTHER)).account;
    const hanako = await friendWithMessages(account, "Hanako", new Date("2026-11-01T00:00:00Z"));
    const taro = await friendWithMessages(second, "Taro", new Date("2026-11-02T00:00:00Z"));
    const stranger = await friendWithMessages(otherAccount, "Stranger", new Date("2026-11-03T00:00:00Z"));
    const tag = await db.tag.create({ data: { shop: SHOP, name: "VIP" } });
    await db.friendTag.create({ data: { shop: SHOP, friendId: hanako.id, tagId: tag.id } });

    const names = async (filters: Parameters<typeof listConversations>[1]) => (await listConversations(SHOP, filters)).conversations.map((c) => c.displayName);
    expect(await names({})).toEqual(["Taro", "Hanako"]);
    expect(await names({ accountId: second.id })).toEqual(["Taro"]);
    expect(await names({ tagId: tag.id })).toEqual(["Hanako"]);
    expect(await names({ query: "han" })).toEqual(["Hanako"]);
    expect(await names({ query: "%" })).toEqual([]);
    expect(await names({ accountId: otherAccount.id })).toEqual([]);

    await markRead(SHOP, taro.id);
    expect(await names({ unread: true })).toEqual(["Hanako"]);

    expect(await assignConversation(SHOP, hanako.id, { id: "101", name: "Sato" })).toBe(true);
    expect(await names({ assigneeId: "101" })).toEqual(["Hanako"]);
    expect(await names({ assigneeId: "102" })).toEqual([]);
    expect(await assignConversation(SHOP, hanako.id, null)).toBe(true);
    expect(await names({ assigneeId: "101" })).toEqual([]);

    // Another shop's friend: refused, nothing written.
    expect(await assignConversation(SHOP, stranger.id, { id: "101", name: "Sato" })).toBe(false);
    expect(await markRead(SHOP, stranger.id)).toBe(false);
    expect(await threadPage(SHOP, stranger.id)).toBeNull();
    expect(await db.conversation.count({ where: { friendId: stranger.id } })).toBe(0);

    // Paging: one per page walks both, newest first.
    const first = await listConversations(SHOP, {}, 1);
    expect(first.conversations.map((c) => c.displayName)).toEqual(["Taro"]);
    const next = await listConversations(SHOP, { before: first.next }, 1);
    expect(next.conversations.map((c) => c.displayName)).toEqual(["Hanako"]);
    expect(next.next).toBeNull();
  });
});

describe("the thread", () => {
  it("pages through a long thread newest first, with broadcasts, cart reminders and stickers shown as what they are", async () => {
    const friend = await createFriend(db, account, { displayName: "Hanako" });
    const start = Date.UTC(2026, 10, 1);
    await db.message.createMany({
      data: Array.from({ length: 95 }, (_, i) => ({
        shop: SHOP, lineAccountId: account.id, friendId: friend.id, direction: i % 2 ? "out" : "in", kind: "text", text: `message ${i}`,
        createdAt: new Date(start + i * 60_000),
      })),
    });
    await db.message.create({ data: { shop: SHOP, lineAccountId: account.id, friendId: friend.id, direction: "in", kind: "sticker", payload: { type: "sticker", packageId: "446", stickerId: "1988" }, createdAt: new Date(start + 95 * 60_000) } });
    const sent = (at: number) => ({ status: "sent", sentAt: new Date(at), dueAt: new Date(at) });
    await db.delivery.createMany({
      data: [
        { shop: SHOP, lineAccountId: account.id, kind: "broadcast", channel: "multicast", sourceId: "b1", recipients: [lineUserId(), friend.lineUserId], messages: [{ type: "text", text: "セール開始" }], ...sent(start + 10.5 * 60_000) },
        { shop: SHOP, lineAccountId: account.id, kind: "broadcast", channel: "multicast", sourceId: "b2", recipients: [lineUserId()], messages: [{ type: "text", text: "not for Hanako" }], ...sent(start + 11.5 * 60_000) },
        { shop: SHOP, lineAccountId: account.id, kind: "cart-reminder", channel: "push", sourceId: "r1", recipients: [friend.lineUserId], friendId: friend.id, messages: [{ type: "flex", altText: "カートに商品が残っています", contents: { type: "bubble" } }], ...sent(start + 50.5 * 60_000) },
        { shop: SHOP, lineAccountId: account.id, kind: "chat", channel: "push", sourceId: "m1", recipients: [friend.lineUserId], friendId: friend.id, messages: [{ type: "text", text: "a chat push is a message row" }], ...sent(start + 51.5 * 60_000) },
      ],
    });

    const seen: ThreadItem[] = [];
    let cursor = null;
    let pages = 0;
    do {
      const page = await threadPage(SHOP, friend.id, cursor, 40);
      seen.push(...page!.items);
      cursor = page!.next;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(98);
    expect(new Set(seen.map((item) => item.id)).size).toBe(98);
    const times = seen.map((item) => item.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(seen[0]).toMatchObject({ kind: "sticker", stickerUrl: "https://stickershop.line-scdn.net/stickershop/v1/sticker/1988/android/sticker.png" });
    expect(seen.filter((item) => item.type === "delivery")).toEqual([
      expect.objectContaining({ kind: "cart-reminder", lines: ["カートに商品が残っています"] }),
      expect.objectContaining({ kind: "broadcast", lines: ["セール開始"] }),
    ]);
  });
});

describe("saved replies", () => {
  it("creates, edits and deletes within the shop, refusing bad input and other shops' ids", async () => {
    const created = await createSavedReply(SHOP, { title: "営業時間", text: "平日10時〜18時です。" });
    expect(created.ok).toBe(true);
    const id = created.ok ? created.id : "";
    expect(await createSavedReply(SHOP, { title: "", text: "x" })).toMatchObject({ ok: false, status: 422, errors: { title: "inbox.saved.error.title" } });
    expect(await createSavedReply(SHOP, { title: "x", text: "x".repeat(5001) })).toMatchObject({ ok: false, errors: { text: "inbox.saved.error.text" } });
    expect(await updateSavedReply(OTHER, id, { title: "hijack", text: "x" })).toMatchObject({ ok: false, status: 404 });
    expect(await deleteSavedReply(OTHER, id)).toMatchObject({ ok: false, status: 404 });
    expect(await updateSavedReply(SHOP, id, { title: "営業時間", text: "土日もやっています。" })).toMatchObject({ ok: true });
    expect(await listSavedReplies(SHOP)).toEqual([{ id, title: "営業時間", text: "土日もやっています。" }]);
    expect(await listSavedReplies(OTHER)).toEqual([]);
    expect(await deleteSavedReply(SHOP, id)).toMatchObject({ ok: true });
    expect(await listSavedReplies(SHOP)).toEqual([]);
  });
});
