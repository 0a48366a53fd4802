// Answers sent through the reply API in response to one event (greeting, auto-reply), recorded in the
// friend's thread. Keyed by the event, so a retried job never answers twice.
import type { Friend, LineAccount } from "@prisma/client";
import { db } from "../../db.server";
import { logger } from "../../logger.server";
import { classifyLineError, lineErrorMessage } from "../client.server";
import { isInvalidReplyToken, replyTo, SendRefusedError, textMessages } from "../send.server";

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
  try {
    await replyTo(account, friend.lineUserId, replyToken, textMessages(texts));
  } catch (error) {
    if (error instanceof SendRefusedError) {
      // Nothing went out: the thread does not show an answer that was never sent.
      await db.message.deleteMany({ where: { id: { in: created.map((row) => row.id) }, status: "sending" } });
      return "refused";
    }
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
  await db.message.updateMany({ where, data: { status: "sent", error: null } });
  return "sent";
}
