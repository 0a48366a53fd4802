// Answers sent through the reply API in response to one event (greeting, auto-reply), recorded in the
// friend's thread. Keyed by the event, so a retried job never answers twice.
import type { Friend, LineAccount } from "@prisma/client";
import { db } from "../../db.server";
import { logger } from "../../logger.server";
import { classifyLineError, lineErrorMessage } from "../client.server";
import { replyTo, textMessages } from "../send.server";

export async function replyAndRecord(
  account: LineAccount,
  friend: Friend,
  replyToken: string,
  texts: string[],
  origin: { eventId: string; sentBy: string },
): Promise<"sent" | "already-sent" | "failed"> {
  const keys = texts.map((_, index) => `${origin.eventId}#reply${index}`);
  const recorded = await db.message.findMany({ where: { webhookEventId: { in: keys } }, select: { status: true } });
  if (recorded.some((message) => message.status === "sent")) return "already-sent";

  await db.message.createMany({
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
  });
  try {
    await replyTo(account, replyToken, textMessages(texts));
  } catch (error) {
    if (classifyLineError(error) !== "permanent") throw error; // 429/5xx/timeout: the job retries in time
    const reason = lineErrorMessage(error);
    logger.warn("reply failed", { accountId: account.id, friendId: friend.id, sentBy: origin.sentBy, reason });
    await db.message.updateMany({ where: { webhookEventId: { in: keys } }, data: { status: "failed", error: reason } });
    return "failed";
  }
  await db.message.updateMany({ where: { webhookEventId: { in: keys } }, data: { status: "sent" } });
  return "sent";
}
