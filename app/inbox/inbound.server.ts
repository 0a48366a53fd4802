// What the inbox does when a friend's message is stored: staff are told (notifyStaff records and queues; the digest
// is the notifications' own), and its image is fetched by the worker (a job per message).
// Called by the message handler after the row is stored; a redelivered event finds the same row, and the job's
// fixed id makes its add a no-op.
import { db } from "../db.server";
import { errorFields, logger } from "../logger.server";
import { notifyStaff } from "../notifications/notify.server";
import { enqueueContentFetch } from "../../jobs/queues";
import { FETCHED_KINDS, recordPendingContent } from "./content.server";

export async function afterInboundMessage(webhookEventId: string) {
  const message = await db.message.findUnique({
    where: { webhookEventId },
    select: { id: true, shop: true, lineAccountId: true, friendId: true, kind: true },
  });
  if (!message) return null;
  await notifyStaff(message.shop, { type: "newMessage", friendId: message.friendId, messageId: message.id });
  if (FETCHED_KINDS.has(message.kind)) {
    await recordPendingContent(message);
    // Redis down: the row stays pending and the sweeper queues it (requeuePendingContent).
    await enqueueContentFetch(message.id).catch((error) => logger.warn("could not queue content fetch", errorFields(error)));
  }
  return message;
}

const PENDING_GRACE_MS = 60_000;

/** Pending content whose job was never queued (or was lost): queued again by the maintenance sweep. */
export async function requeuePendingContent(now = new Date()) {
  const rows = await db.messageContent.findMany({
    where: { status: "pending", createdAt: { lt: new Date(now.getTime() - PENDING_GRACE_MS) } },
    select: { messageId: true },
    take: 500,
  });
  for (const row of rows) await enqueueContentFetch(row.messageId);
  return rows.length;
}
