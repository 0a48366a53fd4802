// Answers sent through the reply API in response to one event (greeting, auto-reply), recorded in the
// friend's thread. Keyed by the event, so a retried job never answers twice. Each attempt is a reply delivery of
// the send pipeline (app/messaging/reply.server.ts), which applies the sending rules and records it.
import type { Friend, LineAccount } from "@prisma/client";
import { db } from "../../db.server";
import { logger } from "../../logger.server";
import { isInvalidReplyToken } from "../../messaging/line-request.server";
import { reply } from "../../messaging/reply.server";
import { textMessages } from "../../messaging/types";
import { classifyLineError, lineErrorMessage } from "../client.server";

/**
 * "unknown": an attempt may have reached LINE but its answer was lost (a timeout, a killed worker), so the reply
 * was most likely delivered; it is never recorded as failed, which would invite staff to send it again.
 */
export type ReplyOutcome = "sent" | "already-sent" | "failed" | "unknown" | "refused";

export async function replyAndRecord(
  account: LineAccount,
  friend: Friend,
  replyToken: string,
  texts: string[],
  origin: { eventId: string; sentBy: string },
): Promise<ReplyOutcome> {
  const keys = texts.map((_, index) => `${origin.eventId}#reply${index}`);
  const where = { webhookEventId: { in: keys } };
  const recorded = await db.message.findMany({ where, select: { status: true } });
  if (recorded.some((message) => message.status === "sent")) return "already-sent";
  // Rows left by an earlier attempt: that attempt may have reached LINE.
  const triedBefore = recorded.some((message) => message.status === "sending" || message.status === "unknown");

  const created = await db.message.createManyAndReturn({
    data: texts.map((text, index) => ({
      shop: account.shop,
      lineAccountId: account.id,
      friendId: friend.id,
      direction: "out",
      kind: "text",
      text,
      webhookEventId: keys[index],
      sentVia: "reply",
      sentBy: origin.sentBy,
      status: "sending",
    })),
    skipDuplicates: true,
    select: { id: true },
  });
  const outcome = await reply({
    shop: account.shop,
    lineAccountId: account.id,
    kind: origin.sentBy === "greeting" ? "greeting" : "auto-reply",
    sourceId: origin.eventId,
    lineUserId: friend.lineUserId,
    friendId: friend.id,
    replyToken,
    messages: textMessages(texts),
  });
  if (outcome.status === "skipped") {
    // Nothing went out: the thread does not show an answer that was never sent.
    await db.message.deleteMany({ where: { id: { in: created.map((row) => row.id) }, status: "sending" } });
    return "refused";
  }
  if (outcome.status === "sent") {
    await db.message.updateMany({ where, data: { status: "sent", error: null } });
    return "sent";
  }
  const error = outcome.error ?? new Error(outcome.reason);
  const reason = lineErrorMessage(error);
  const kind = classifyLineError(error);
  if (kind !== "permanent") {
    // A timeout or 5xx may come after LINE took the reply: unknown until a retry learns more.
    if (kind === "retry") await db.message.updateMany({ where, data: { status: "unknown", error: reason } });
    throw error; // the job retries in time
  }
  // The token spent by an earlier attempt that reached LINE: that attempt was most likely delivered.
  const status = triedBefore && isInvalidReplyToken(error) ? "unknown" : "failed";
  logger.warn("reply not confirmed", { accountId: account.id, friendId: friend.id, sentBy: origin.sentBy, status, reason });
  await db.message.updateMany({ where, data: { status, error: reason } });
  return status;
}
