// Staff replies in a friend's 1:1 thread. A reply token from the friend's latest message is free to use once,
// within about a minute; otherwise the message goes by push, which counts against the monthly quota.
// Refusals and failures come back as i18n keys (app/i18n/friends.ts).
import type { Friend, LineAccount, Message } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";
import { classifyLineError, lineErrorMessage } from "../line/client.server";
import { lineErrorText } from "../line/line-errors.server";
import { pushTo, replyTo, retryKeyFor, sendBlockedReason, SendRefusedError, textMessages } from "../line/send.server";

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
  const account = await db.lineAccount.findUniqueOrThrow({ where: { id: friend.lineAccountId } });
  const blocked = await sendBlockedReason(account, friend);
  if (blocked) return { mode: "blocked", reason: blocked };
  const latest = await usableReplyToken(friend.id, now);
  return latest?.replyTokenExpiresAt ? { mode: "reply", until: latest.replyTokenExpiresAt } : { mode: "push" };
}

export async function sendStaffMessage(shop: string, friendId: string, text: string, staff: string): Promise<SendResult> {
  const parsed = textSchema.safeParse(text);
  if (!parsed.success) return { ok: false, reason: parsed.error.issues[0]?.message ?? "friends.chat.error.empty" };
  const body = parsed.data;

  const friend = await db.friend.findFirst({ where: { id: friendId, shop }, include: { lineAccount: true } });
  if (!friend) return { ok: false, reason: "friends.error.notFound" };
  const account = friend.lineAccount;
  const blocked = await sendBlockedReason(account, friend);
  if (blocked) return { ok: false, reason: `friends.chat.blocked.${blocked}` };

  const outbound = { shop, lineAccountId: account.id, friendId, direction: "out", kind: "text", text: body, sentBy: staff };
  const now = new Date();
  const latest = await usableReplyToken(friendId, now);
  if (latest?.replyToken && latest.replyTokenExpiresAt && (await claimReplyToken({ id: latest.id, replyTokenExpiresAt: latest.replyTokenExpiresAt }, now))) {
    try {
      await replyTo(account, friend.lineUserId, latest.replyToken, textMessages([body]));
    } catch (error) {
      if (error instanceof SendRefusedError) return { ok: false, reason: `friends.chat.blocked.${error.reason}` };
      // No retry and no silent fall-back to push: the page promised a free reply; a push is the staff's call.
      const detail = lineErrorMessage(error);
      // No answer (a timeout, a 5xx) may follow a reply LINE took: unknown, not failed, so it is not sent twice.
      const status = classifyLineError(error) === "permanent" ? "failed" : "unknown";
      const message = await db.message.create({ data: { ...outbound, sentVia: "reply", status, error: detail } });
      const reason = status === "failed" ? "friends.chat.error.replyFailed" : "friends.chat.error.replyUnconfirmed";
      return { ok: false, reason, detail, message };
    }
    const message = await db.message.create({ data: { ...outbound, sentVia: "reply", status: "sent" } });
    return { ok: true, message, sentVia: "reply" };
  }

  const created = await db.message.create({ data: { ...outbound, sentVia: "push", status: "sending" } });
  const row = await db.message.update({ where: { id: created.id, shop }, data: { retryKey: retryKeyFor(created.id) } });
  return deliverPush(account, friend.lineUserId, row);
}

const PUSH_ATTEMPTS = 2;

// A message LINE refused (4xx) is explained by LINE's own reason (app/i18n/line-errors.ts).
const FAILURE_REASONS = {
  quota: "friends.chat.error.quota",
  "rate-limited": "friends.chat.error.unavailable",
  retry: "friends.chat.error.unavailable",
} as const;

/** Pushes a stored outbound row with its retry key; a 5xx or timeout is retried once with the same key. */
async function deliverPush(account: LineAccount, to: string, row: Message): Promise<SendResult> {
  const retryKey = row.retryKey ?? retryKeyFor(row.id);
  for (let attempt = 1; ; attempt += 1) {
    try {
      // "already-accepted" (409): an earlier attempt reached LINE; the message went out once.
      await pushTo(account, to, textMessages([row.text ?? ""]), retryKey);
      const message = await db.message.update({ where: { id: row.id, shop: row.shop }, data: { status: "sent", error: null } });
      return { ok: true, message, sentVia: "push" };
    } catch (error) {
      if (error instanceof SendRefusedError) {
        const message = await db.message.update({ where: { id: row.id }, data: { status: "failed", error: error.message } });
        return { ok: false, reason: `friends.chat.blocked.${error.reason}`, message };
      }
      const kind = classifyLineError(error);
      if (kind === "retry" && attempt < PUSH_ATTEMPTS) continue;
      const detail = lineErrorMessage(error);
      const message = await db.message.update({ where: { id: row.id, shop: row.shop }, data: { status: "failed", error: detail } });
      return { ok: false, reason: kind === "permanent" ? lineErrorText(error).key : FAILURE_REASONS[kind], detail, message };
    }
  }
}

/**
 * Sends a failed or unconfirmed push again with its original retry key: if LINE took the first attempt after
 * all, it answers 409 and the friend still gets one message.
 */
export async function retryStaffMessage(shop: string, messageId: string): Promise<SendResult> {
  const row = await db.message.findFirst({
    where: { id: messageId, shop, direction: "out", sentVia: "push" },
    include: { friend: { include: { lineAccount: true } } },
  });
  if (!row) return { ok: false, reason: "friends.error.notFound" };
  if (row.status === "sent") return { ok: true, message: row, sentVia: "push" };
  const { friend } = row;
  const blocked = await sendBlockedReason(friend.lineAccount, friend);
  if (blocked) return { ok: false, reason: `friends.chat.blocked.${blocked}` };
  // Two retries at once are safe: both carry the same key and LINE accepts one of them.
  return deliverPush(friend.lineAccount, friend.lineUserId, row);
}
