// Notifications recorded while Redis was away (notifyStaff logs and leaves them) are queued by the sweeper.
import { enqueueNotificationDigest, enqueueNotifications } from "../../jobs/queues";
import { db } from "../db.server";

const GRACE_MS = 30_000;
const BATCH = 500;

export async function reclaimStrandedNotifications(now = new Date()) {
  const before = new Date(now.getTime() - GRACE_MS);
  const queued = await db.notification.findMany({
    where: { status: "queued", createdAt: { lt: before } },
    select: { id: true },
    take: BATCH,
  });
  // The job ids are fixed, so a row whose job is still waiting or running is not queued twice.
  await enqueueNotifications(queued.map((row) => row.id));
  // A digest whose window ended long ago was lost (or a row arrived just after its job ran): one digest job per
  // channel, due now, takes every row of the channel due by then.
  const digests = await db.notification.groupBy({
    by: ["channelId"],
    where: { status: "pending", dueAt: { lt: before } },
    take: BATCH,
    orderBy: { channelId: "asc" },
  });
  for (const digest of digests) await enqueueNotificationDigest(digest.channelId, now);
  return { found: queued.length + digests.length };
}
