import type { Prisma } from "@prisma/client";
import { findAutoReply } from "../../auto-replies/auto-replies.server";
import { resolveLocale, translate } from "../../i18n/messages";
import { redeemLinkCode } from "../../notifications/staff.server";
import { db, sql } from "../../db.server";
import { afterInboundMessage } from "../../inbox/inbound.server";
import { friendOf } from "./friend-status.server";
import { replyAndRecord } from "./replies.server";
import { storableJson, storableText } from "../../stored-json";
import { payloadOf, REPLY_TOKEN_TTL_MS, type StoredEvent } from "./types";

const KINDS = new Set(["text", "sticker", "image", "video", "audio", "file", "location"]);

/** message: kept in the friend's 1:1 thread (unless staff blocked them), then auto-reply rules answer by reply. */
export async function handleMessage(event: StoredEvent) {
  const account = event.lineAccount;
  const payload = payloadOf(event);
  if (!event.lineUserId || payload.source?.type !== "user" || !payload.message) return "not-from-a-user";
  const friend = await friendOf(account, event.lineUserId);
  const refused = friend.operatorBlockedAt ? "operator-blocked" : (await shopUninstalled(account.shop)) ? "shop-uninstalled" : null;
  if (refused) {
    // Nothing a blocked friend sends is kept, not even the raw event; nor what anyone writes to an uninstalled shop.
    await db.$executeRaw`UPDATE "LineEvent" SET payload = NULL WHERE id = ${event.id}`;
    return refused;
  }

  const message = payload.message;
  const text = message.type === "text" ? (message.text ?? "") : null;
  await db.message.createMany({
    data: [
      {
        shop: account.shop,
        lineAccountId: account.id,
        friendId: friend.id,
        direction: "in",
        kind: KINDS.has(message.type) ? message.type : "other",
        // The text column cannot hold U+0000; the payload keeps the message exactly (restoreJson reads it back).
        text: text === null ? null : storableText(text),
        payload: storableJson(message) as Prisma.InputJsonValue,
        lineMessageId: message.id,
        webhookEventId: event.webhookEventId,
        replyToken: payload.replyToken ?? null,
        replyTokenExpiresAt: payload.replyToken ? new Date(event.occurredAt.getTime() + REPLY_TOKEN_TTL_MS) : null,
        markAsReadToken: typeof message.markAsReadToken === "string" ? message.markAsReadToken : null,
      },
    ],
    skipDuplicates: true,
  });
  await db.friend.update({ where: { id: friend.id }, data: { lastMessageAt: event.occurredAt } });
  await afterInboundMessage(event.webhookEventId);

  if (text === null) return "stored";
  // A staff member linking their LINE for notifications: the one-time code shown in the admin, never auto-answered.
  const staff = await redeemLinkCode(account.shop, account.id, event.lineUserId, text, event.occurredAt);
  if (staff) {
    if (!payload.replyToken) return "staff-linked";
    const member = await db.staffMember.findUnique({ where: { id: staff.id }, select: { language: true } });
    await replyAndRecord(account, friend, payload.replyToken, [translate(resolveLocale(member?.language), "notify.linked", { name: staff.name })], {
      eventId: event.webhookEventId,
      sentBy: "staff-link",
    });
    return "staff-linked";
  }
  if (!payload.replyToken) return "stored";
  const rule = await findAutoReply(account.id, text);
  if (!rule) return "stored";
  const outcome = await replyAndRecord(account, friend, payload.replyToken, rule.messages, {
    eventId: event.webhookEventId,
    sentBy: `auto-reply:${rule.ruleId}`,
  });
  // The token is spent: staff answering this message will have to push.
  await db.message.updateMany({ where: { webhookEventId: event.webhookEventId }, data: { replyTokenExpiresAt: new Date() } });
  return `auto-reply-${outcome}`;
}

// Raw: this runs for every message event (the worker's hot path, tests/bench/README.md).
async function shopUninstalled(shop: string) {
  const [row] = await sql<{ uninstalledAt: Date | null }>`SELECT "uninstalledAt" FROM "Shop" WHERE shop = ${shop}`;
  return Boolean(row?.uninstalledAt);
}
