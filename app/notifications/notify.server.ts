// Recording what operators must be told: one Notification row per staff channel subscribed to the event, then a
// job. Nothing is sent here (the worker sends: jobs/processors/notification.ts), so callers on hot paths (the LINE
// event processor, a broadcast's end) pay one query and one enqueue.
import { enqueueNotificationDigest, enqueueNotifications } from "../../jobs/queues";
import { db } from "../db.server";
import { logger, errorFields } from "../logger.server";
import { digestWindowEnd, toggleOf, type NotificationEvent } from "./events";

export type { NotificationEvent } from "./events";

/**
 * Records a notification for every channel of the shop's staff that is subscribed to the event, and queues the
 * sends. New 1:1 messages of a member with a digest interval wait for their window's end and go out as one digest.
 * "quotaLow" reaches only members whose threshold is above the remaining count. Enqueue failures are left to the
 * sweeper (rows stay "queued"), so the caller's own work never fails because Redis is away.
 */
export async function notifyStaff(shop: string, event: NotificationEvent): Promise<void> {
  const channels = await db.staffChannel.findMany({
    // A LINE channel counts once the staff member has linked their LINE.
    where: { shop, events: { has: toggleOf(event.type) }, NOT: { type: "line", target: "" } },
    select: { id: true, staffMember: { select: { digestMinutes: true, quotaThreshold: true } } },
  });
  const now = new Date();
  const wanted = channels.filter(
    (channel) => event.type !== "quotaLow" || event.remaining < channel.staffMember.quotaThreshold,
  );
  if (!wanted.length) return;
  const rows = wanted.map((channel) => {
    const digest = event.type === "newMessage" && channel.staffMember.digestMinutes > 0;
    return {
      shop,
      channelId: channel.id,
      event: event.type,
      payload: event,
      status: digest ? "pending" : "queued",
      dueAt: digest ? digestWindowEnd(now, channel.staffMember.digestMinutes) : now,
    };
  });
  const created = await db.notification.createManyAndReturn({ data: rows, select: { id: true, channelId: true, status: true, dueAt: true } });
  try {
    await enqueueNotifications(created.filter((row) => row.status === "queued").map((row) => row.id));
    for (const row of created.filter((row) => row.status === "pending")) await enqueueNotificationDigest(row.channelId, row.dueAt);
  } catch (error) {
    logger.warn("notifications recorded but not queued; the sweeper queues them", { shop, event: event.type, ...errorFields(error) });
  }
}
