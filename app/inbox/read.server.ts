// Read marks. Locally, a conversation is read up to its latest received message when staff open it (the unread
// count is what came after). At LINE, the friend sees "read" once the worker sends the latest message's
// markAsReadToken (POST /v2/bot/chat/markAsRead; tokens do not expire): a job, so opening a thread never waits on LINE.
import { db } from "../db.server";
import { callLine, classifyLineError, lineErrorMessage } from "../line/client.server";
import { logger } from "../logger.server";
import { enqueueMarkRead } from "../../jobs/queues";

/** Marks the friend's conversation read up to their latest message; queues LINE's mark when there is a new token. */
export async function markRead(shop: string, friendId: string): Promise<boolean> {
  const friend = await db.friend.findFirst({ where: { id: friendId, shop }, select: { id: true, lineAccountId: true } });
  if (!friend) return false;
  const latest = await db.message.findFirst({
    where: { shop, friendId, direction: "in" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, createdAt: true, markAsReadToken: true },
  });
  if (!latest) return true;
  const conversation = await db.conversation.upsert({
    where: { friendId, shop },
    create: { friendId, shop, lineAccountId: friend.lineAccountId, lastReadAt: latest.createdAt },
    update: { lastReadAt: latest.createdAt },
  });
  if (latest.markAsReadToken && conversation.lineReadMessageId !== latest.id) await enqueueMarkRead(friendId);
  return true;
}

export type MarkAtLineOutcome = "marked" | "nothing-new" | "refused";

/** The worker's half: sends the newest read token up to the local read mark, once per message. */
export async function markReadAtLine(friendId: string): Promise<MarkAtLineOutcome> {
  const conversation = await db.conversation.findUnique({ where: { friendId } });
  if (!conversation?.lastReadAt) return "nothing-new";
  const latest = await db.message.findFirst({
    where: { friendId, direction: "in", markAsReadToken: { not: null }, createdAt: { lte: conversation.lastReadAt } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, markAsReadToken: true },
  });
  if (!latest?.markAsReadToken || latest.id === conversation.lineReadMessageId) return "nothing-new";
  const account = await db.lineAccount.findFirst({ where: { id: conversation.lineAccountId, shop: conversation.shop } });
  if (!account || account.status !== "connected") return "refused";
  const markAsReadToken = latest.markAsReadToken;
  try {
    await callLine(account, ({ messaging }) => messaging.markMessagesAsReadByToken({ markAsReadToken }));
  } catch (error) {
    if (classifyLineError(error) !== "permanent") throw error;
    // LINE refuses while Chat is off in OA Manager (then LINE marks messages read itself): nothing to retry.
    logger.info("LINE refused mark-as-read", { accountId: account.id, error: lineErrorMessage(error) });
    return "refused";
  }
  await db.conversation.updateMany({ where: { friendId, shop: conversation.shop }, data: { lineReadMessageId: latest.id } });
  return "marked";
}
