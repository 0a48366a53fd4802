// Staff replies in a friend's 1:1 thread. A reply token from the friend's latest message is free to use once,
// within about a minute; otherwise the message goes by push, which counts against the monthly quota. Both are
// deliveries of kind "chat" sent through the send pipeline (app/messaging) while staff wait for the result.
// Refusals and failures come back as i18n keys (app/i18n/friends.ts).
import { randomUUID } from "node:crypto";
import type { Friend, Message, Prisma } from "@prisma/client";
import { z } from "zod";
import { personalizeActionLinks } from "../action-links/friend-token.server";
import { db } from "../db.server";
import { lineErrorText } from "../line/line-errors.server";
import { recordDeliveries, reopenDelivery } from "../messaging/deliveries.server";
import { reply } from "../messaging/reply.server";
import { retryKeyFor } from "../messaging/retry-key";
import { refusalFor } from "../messaging/rules.server";
import { failDelivery, sendDelivery, type DeliveryOutcome } from "../messaging/send.server";
import { textMessages, type LineMessage } from "../messaging/types";

export const STAFF_TEXT_MAX = 5000; // LINE's limit for one text message

export type ReplyMode = { mode: "reply"; until: Date } | { mode: "push" } | { mode: "blocked"; reason: string };

export type SendResult =
  | { ok: true; message: Message; sentVia: "reply" | "push" }
  | { ok: false; reason: string; detail?: string; message?: Message };

const textSchema = z
  .string()
  .trim()
  .min(1, "friends.chat.error.empty")
  .max(STAFF_TEXT_MAX, "friends.chat.error.tooLong");

/** The friend's latest received message, if its reply token is unexpired and no reply has used it yet. */
async function usableReplyToken(friendId: string, now: Date) {
  const latest = await db.message.findFirst({
    where: { friendId, direction: "in" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  if (!latest?.replyToken || !latest.replyTokenExpiresAt || latest.replyTokenExpiresAt <= now) return null;
  // An auto-reply answers through the same token; a reply recorded after the message means it is spent.
  const answered = await db.message.count({
    where: { friendId, direction: "out", sentVia: "reply", createdAt: { gte: latest.createdAt } },
  });
  return answered > 0 ? null : latest;
}

/**
 * Marks the token used (expiry = now) before using it, so two staff sending at once cannot both use it: the update
 * applies only while the expiry is still the one read, so the second of two overlapping claims changes nothing
 * (whatever its own clock says).
 */
async function claimReplyToken(message: { id: string; replyTokenExpiresAt: Date }, now: Date) {
  const { count } = await db.message.updateMany({
    where: { id: message.id, replyTokenExpiresAt: message.replyTokenExpiresAt },
    data: { replyTokenExpiresAt: now },
  });
  return count === 1;
}

/** How a staff message to this friend would go now, for the page to say before sending. */
export async function replyModeFor(friend: Friend, now = new Date()): Promise<ReplyMode> {
  const blocked = await refusalFor(friend.lineAccountId, friend.lineUserId);
  if (blocked) return { mode: "blocked", reason: blocked };
  const latest = await usableReplyToken(friend.id, now);
  return latest?.replyTokenExpiresAt ? { mode: "reply", until: latest.replyTokenExpiresAt } : { mode: "push" };
}

export async function sendStaffMessage(shop: string, friendId: string, text: string, staff: string): Promise<SendResult> {
  const parsed = textSchema.safeParse(text);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]?.message ?? "friends.chat.error.empty" };
  // Sent to this friend alone: the shop's action links in it name the friend (app/action-links/). Another shop's
  // friend id gets no further than sendStaff's lookup.
  const personal = await personalizeActionLinks(shop, parsed.data, friendId);
  return sendStaff(shop, friendId, { kind: "text", text: personal, messages: textMessages([personal]) }, staff);
}

/**
 * Staff messages built elsewhere (images, product cards from the inbox's composer): 1–5 LINE messages, recorded as
 * one thread row of kind "flex" (or "image") whose payload keeps them, so a retry sends exactly the same.
 */
export async function sendStaffLineMessages(shop: string, friendId: string, messages: LineMessage[], summary: string, staff: string): Promise<SendResult> {
  if (messages.length < 1 || messages.length > 5) return { ok: false, reason: "friends.chat.error.empty" };
  const kind = messages.every((m) => m.type === "image") ? "image" : messages.every((m) => m.type === "text") ? "text" : "flex";
  return sendStaff(shop, friendId, { kind, text: summary, messages }, staff);
}

type Outgoing = { kind: string; text: string; messages: LineMessage[] };

async function sendStaff(shop: string, friendId: string, outgoing: Outgoing, staff: string): Promise<SendResult> {
  const body = outgoing.text;
  const friend = await db.friend.findFirst({ where: { id: friendId, shop } });
  if (!friend) return { ok: false, reason: "friends.error.notFound" };
  // Asked before anything is recorded, so a refused message leaves no row; the pipeline asks again when it sends.
  const blocked = await refusalFor(friend.lineAccountId, friend.lineUserId);
  if (blocked) return { ok: false, reason: `friends.chat.blocked.${blocked}` };

  // Text rows rebuild their message from the text; other rows keep the LINE messages in the payload.
  const payload = outgoing.kind === "text" && outgoing.messages.length === 1 ? undefined : (outgoing.messages as unknown as Prisma.InputJsonValue);
  const outbound = { shop, lineAccountId: friend.lineAccountId, friendId, direction: "out", kind: outgoing.kind, text: body, payload, sentBy: staff };
  const now = new Date();
  const latest = await usableReplyToken(friendId, now);
  if (latest?.replyToken && latest.replyTokenExpiresAt && (await claimReplyToken({ id: latest.id, replyTokenExpiresAt: latest.replyTokenExpiresAt }, now))) {
    const id = randomUUID();
    const outcome = await reply({
      shop, lineAccountId: friend.lineAccountId, kind: "chat", sourceId: id, lineUserId: friend.lineUserId, friendId,
      replyToken: latest.replyToken, messages: outgoing.messages,
    });
    if (outcome.status === "skipped") return { ok: false, reason: `friends.chat.blocked.${outcome.reason}` };
    if (outcome.status === "sent") {
      const message = await db.message.create({ data: { id, ...outbound, sentVia: "reply", status: "sent" } });
      return { ok: true, message, sentVia: "reply" };
    }
    // No retry and no silent fall-back to push: the page promised a free reply; a push is the staff's call. No
    // answer (a timeout, a 5xx) may follow a reply LINE took: unknown, not failed, so it is not sent twice.
    const detail = outcome.status === "unknown" ? outcome.reason.replace(/^unknown: /, "") : outcome.reason;
    const message = await db.message.create({ data: { id, ...outbound, sentVia: "reply", status: outcome.status, error: detail } });
    const reason = outcome.status === "failed" ? "friends.chat.error.replyFailed" : "friends.chat.error.replyUnconfirmed";
    return { ok: false, reason, detail, message };
  }

  const created = await db.message.create({ data: { ...outbound, sentVia: "push", status: "sending" } });
  const row = await db.message.update({ where: { id: created.id, shop }, data: { retryKey: retryKeyFor(created.id) } });
  const deliveryId = await pushDeliveryFor(row, friend);
  return deliverPush(row, deliveryId);
}

/** The message's push delivery, with the message's retry key (made again for a row from before the pipeline). */
async function pushDeliveryFor(row: Message, friend: Friend): Promise<string> {
  const [delivery] = await recordDeliveries([
    {
      shop: row.shop, lineAccountId: row.lineAccountId, kind: "chat", channel: "push", sourceId: row.id,
      recipients: [friend.lineUserId], friendId: friend.id, messages: Array.isArray(row.payload) ? (row.payload as unknown as LineMessage[]) : textMessages([row.text ?? ""]),
      retryKey: row.retryKey ?? retryKeyFor(row.id),
    },
  ]);
  return delivery.id;
}

const PUSH_ATTEMPTS = 2;
const WAIT_FOR_BUDGET_MS = 1_000;

/** Sends a push delivery while staff wait; a 5xx or timeout is tried once more (with the same retry key). */
async function deliverPush(row: Message, deliveryId: string): Promise<SendResult> {
  for (let attempt = 1; ; ) {
    const outcome = await sendDelivery(deliveryId);
    if (outcome.status === "throttled" && outcome.until.getTime() - Date.now() < WAIT_FOR_BUDGET_MS) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(outcome.until.getTime() - Date.now(), 0)));
      continue;
    }
    if (outcome.status === "retry" && attempt < PUSH_ATTEMPTS) {
      attempt += 1;
      continue;
    }
    return recordPush(row, deliveryId, outcome);
  }
}

async function recordPush(row: Message, deliveryId: string, outcome: DeliveryOutcome): Promise<SendResult> {
  const update = (data: { status: string; error: string | null }) => db.message.update({ where: { id: row.id, shop: row.shop }, data });
  switch (outcome.status) {
    case "sent":
      return { ok: true, message: await update({ status: "sent", error: null }), sentVia: "push" };
    case "not-pending":
      if (outcome.current === "sent") return { ok: true, message: await update({ status: "sent", error: null }), sentVia: "push" };
      return { ok: false, reason: "friends.chat.error.unavailable", message: row };
    case "skipped": {
      const message = await update({ status: "failed", error: `not sent: ${outcome.reason}` });
      const reason = outcome.reason.startsWith("quota-") ? "friends.chat.error.quota" : `friends.chat.blocked.${outcome.reason}`;
      return { ok: false, reason, message };
    }
    case "failed":
      // LINE's refusal, explained in the merchant's language (app/i18n/line-errors.ts), with LINE's own words.
      return { ok: false, reason: outcome.error ? lineErrorText(outcome.error).key : "line.error.other", detail: outcome.reason, message: await update({ status: "failed", error: outcome.reason }) };
    case "unknown":
      return { ok: false, reason: "friends.chat.error.expired", message: await update({ status: "unknown", error: outcome.reason }) };
    case "throttled":
    case "retry": {
      // Given up for now: the delivery is failed until staff retry it, with its retry key, within LINE's window.
      const detail = outcome.status === "retry" ? outcome.reason : "429 rate limited";
      await failDelivery(deliveryId, detail);
      return { ok: false, reason: "friends.chat.error.unavailable", detail, message: await update({ status: "failed", error: detail }) };
    }
  }
}

/**
 * Sends a failed or unconfirmed push again through its delivery, with its original retry key: if LINE took the
 * first attempt after all, it answers 409 and the friend still gets one message.
 */
export async function retryStaffMessage(shop: string, messageId: string): Promise<SendResult> {
  const row = await db.message.findFirst({ where: { id: messageId, shop, direction: "out", sentVia: "push" }, include: { friend: true } });
  if (!row) return { ok: false, reason: "friends.error.notFound" };
  if (row.status === "sent") return { ok: true, message: row, sentVia: "push" };
  const { friend } = row;
  const blocked = await refusalFor(friend.lineAccountId, friend.lineUserId);
  if (blocked) return { ok: false, reason: `friends.chat.blocked.${blocked}` };
  const deliveryId = await pushDeliveryFor(row, friend);
  const delivery = await db.delivery.findFirstOrThrow({ where: { id: deliveryId, shop }, select: { status: true } });
  // Two retries at once are safe: both carry the same key and LINE accepts one of them.
  if (delivery.status !== "scheduled" && delivery.status !== "sent" && !(await reopenDelivery(shop, deliveryId))) {
    return recordPush(row, deliveryId, { status: "unknown", reason: "unknown: LINE's retry key window has passed; not sent again" });
  }
  return deliverPush(row, deliveryId);
}
