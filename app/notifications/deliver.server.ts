// The worker's side of notifications: send one queued row, or one digest of a channel's pending new-message rows,
// and record the outcome on the rows (sent, or failed with the reason once no retry is left).
import { db } from "../db.server";
import { logger } from "../logger.server";
import { sendToChannel, SendFailure } from "./channels.server";
import { fullText, renderDigest, renderNotification, subjectOf, type StoredPayload } from "./render.server";

const channelSelect = {
  id: true,
  shop: true,
  type: true,
  target: true,
  secret: true,
  lineAccountId: true,
  staffMember: { select: { language: true } },
} as const;

/** Sends one notification row. Returns what happened; throws SendFailure for the job to retry (or not). */
export async function deliverNotification(notificationId: string): Promise<"sent" | "not-queued"> {
  const row = await db.notification.findUnique({ where: { id: notificationId }, include: { channel: { select: channelSelect } } });
  if (!row || row.status !== "queued") return "not-queued";
  await db.notification.update({ where: { id: row.id }, data: { attempts: { increment: 1 } } });
  const language = row.channel.staffMember.language;
  const rendered = await renderNotification(row.shop, language, row.payload as StoredPayload);
  try {
    await sendToChannel(row.channel, { subject: subjectOf(language, rendered), text: fullText(language, rendered), sourceId: row.id });
  } catch (error) {
    await db.notification.update({ where: { id: row.id }, data: { error: messageOf(error) } });
    throw error;
  }
  await db.notification.updateMany({ where: { id: row.id, status: "queued" }, data: { status: "sent", sentAt: new Date(), error: null } });
  logger.info("notification sent", { notificationId: row.id, channel: row.channel.type, event: row.event });
  return "sent";
}

/**
 * Sends one digest of the channel's new-message rows due by `until`. The rows are claimed by marking them
 * "queued" with the digest's id (the first row's) as their group: a retry of the job sends the same group again.
 */
export async function deliverDigest(channelId: string, until: Date): Promise<"sent" | "empty"> {
  const rows = await db.notification.findMany({
    where: { channelId, event: "newMessage", status: { in: ["pending"] }, dueAt: { lte: until } },
    orderBy: { createdAt: "asc" },
    select: { id: true, payload: true, shop: true, attempts: true },
  });
  if (!rows.length) return "empty";
  const channel = await db.staffChannel.findUnique({ where: { id: channelId }, select: channelSelect });
  if (!channel) return "empty";
  const ids = rows.map((row) => row.id);
  await db.notification.updateMany({ where: { id: { in: ids } }, data: { attempts: { increment: 1 } } });
  const language = channel.staffMember.language;
  const friendIds = rows.map((row) => (row.payload as { friendId: string }).friendId);
  const rendered = await renderDigest(channel.shop, language, friendIds, rows.length);
  try {
    // The digest's source id is its first row's, so a LINE digest is one delivery whatever the retries.
    await sendToChannel(channel, { subject: subjectOf(language, rendered), text: fullText(language, rendered), sourceId: ids[0] });
  } catch (error) {
    await db.notification.updateMany({ where: { id: { in: ids } }, data: { error: messageOf(error) } });
    throw error;
  }
  await db.notification.updateMany({ where: { id: { in: ids }, status: "pending" }, data: { status: "sent", sentAt: new Date(), error: null } });
  logger.info("notification digest sent", { channelId, count: ids.length, channel: channel.type });
  return "sent";
}

/** After the last attempt (or a failure no retry can fix): the rows are failed, with the reason. */
export async function recordNotificationFailure(data: { notificationId: string } | { channelId: string; until: string }, error: unknown) {
  const reason = messageOf(error);
  if ("notificationId" in data) {
    await db.notification.updateMany({ where: { id: data.notificationId, status: "queued" }, data: { status: "failed", error: reason } });
  } else {
    await db.notification.updateMany({
      where: { channelId: data.channelId, event: "newMessage", status: "pending", dueAt: { lte: new Date(data.until) } },
      data: { status: "failed", error: reason },
    });
  }
}

function messageOf(error: unknown) {
  return (error instanceof Error ? error.message : String(error)).slice(0, 1_000);
}

export { SendFailure };
