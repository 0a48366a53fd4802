// Replies from the inbox through the chat send path: text, saved-reply text, and an image with a product card built
// by the message composer's builder, pushed through the pipeline (retry key, quota) and recorded with their JSON,
// so a retry sends exactly the same; bad input answers 422 with the composer's keys; LINE's refusal in words.
import type { Friend, LineAccount } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { assignConversation } from "~/inbox/assign.server";
import { inboxAction } from "~/inbox/page.server";
import { createFriend, createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import type { FakeChannel } from "../support/line-fake";

const SHOP = "inbox-send.myshopify.com";
let account: LineAccount;
let channel: FakeChannel;
let friend: Friend;

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.append(key, value);
  return data;
};

beforeEach(async () => {
  lineFake().reset();
  await db.message.deleteMany();
  await db.delivery.deleteMany();
  await db.staffMember.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  await db.shop.deleteMany();
  await createShop(db, { shop: SHOP });
  ({ account, channel } = await connectedAccount(db, SHOP, { accessToken: true }));
  friend = await createFriend(db, account, { displayName: "Hanako" });
});

describe("inbox replies", () => {
  it("pushes a text, then an image and a product card, recording what LINE received", async () => {
    const text = await inboxAction(SHOP, "42", form({ intent: "send", friendId: friend.id, text: "在庫あります" }), "ja");
    expect(text).toMatchObject({ status: 200, data: { ok: true, sentVia: "push" } });

    const composed = [
      { type: "image", url: "https://cdn.shopify.com/s/files/tea.jpg", previewUrl: "https://cdn.shopify.com/s/files/tea_240.jpg" },
      { type: "products", buttonLabel: "見る", products: [{ productId: "gid://shopify/Product/1", title: "抹茶", price: "1200", currency: "JPY", imageUrl: null, url: "https://shop.example/products/matcha" }] },
    ];
    const rich = await inboxAction(SHOP, "42", form({ intent: "sendRich", friendId: friend.id, messages: JSON.stringify(composed) }), "ja");
    expect(rich).toMatchObject({ status: 200, data: { ok: true, sentVia: "push" } });
    const pushes = lineFake().sent(channel.channelId).filter((d) => d.kind === "push");
    expect(pushes).toHaveLength(2);
    const messages = pushes[1].messages as { type: string }[];
    expect(messages.map((m) => m.type)).toEqual(["image", "flex"]);
    const row = await db.message.findFirstOrThrow({ where: { friendId: friend.id, kind: "flex" } });
    expect(row).toMatchObject({ direction: "out", sentVia: "push", status: "sent", sentBy: "staff:42" });
    expect(row.payload).toEqual(messages);
  });

  it("answers bad input with the composer's keys, and unknown staff with 422", async () => {
    const empty = await inboxAction(SHOP, "42", form({ intent: "send", friendId: friend.id, text: "   " }), "en");
    expect(empty).toMatchObject({ status: 422, data: { errors: { text: "friends.chat.error.empty" } } });
    const badImage = await inboxAction(SHOP, "42", form({ intent: "sendRich", friendId: friend.id, messages: JSON.stringify([{ type: "image", url: "http://x", previewUrl: "http://x" }]) }), "en");
    expect(badImage).toMatchObject({ status: 422, data: { errors: { "0.url": "messagesComposer.error.imageUrl" } } });
    expect(await inboxAction(SHOP, "42", form({ intent: "sendRich", friendId: friend.id, messages: "not json" }), "en")).toMatchObject({ status: 422 });
    expect(await inboxAction(SHOP, "42", form({ intent: "assign", friendId: friend.id, assignee: "staff:nobody" }), "en")).toMatchObject({ status: 422 });
    expect(lineFake().sent(channel.channelId)).toHaveLength(0);
  });

  it("shows LINE's monthly-limit refusal in the merchant's language, never LINE's raw English alone", async () => {
    channel.quota = { type: "limited", value: 10 };
    channel.totalUsage = 10;
    const answer = await inboxAction(SHOP, "42", form({ intent: "send", friendId: friend.id, text: "hello" }), "ja");
    expect(answer).toMatchObject({ status: 422, data: { ok: false, errors: { form: "friends.chat.error.quota" } } });
  });

  it("assigns to me or to a staff member of the shop", async () => {
    const member = await db.staffMember.create({ data: { shop: SHOP, name: "Sato" } });
    expect(await inboxAction(SHOP, "42", form({ intent: "assign", friendId: friend.id, assignee: `staff:${member.id}` }), "en")).toMatchObject({ status: 200 });
    expect(await db.conversation.findUniqueOrThrow({ where: { friendId: friend.id } })).toMatchObject({ assigneeId: `staff:${member.id}`, assigneeName: "Sato" });
    expect(await inboxAction(SHOP, "42", form({ intent: "assign", friendId: friend.id, assignee: "user:42" }), "en")).toMatchObject({ status: 200 });
    expect(await db.conversation.findUniqueOrThrow({ where: { friendId: friend.id } })).toMatchObject({ assigneeId: "user:42" });
    expect(await assignConversation(SHOP, friend.id, null)).toBe(true);
  });
});
