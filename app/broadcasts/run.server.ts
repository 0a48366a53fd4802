// What the worker does with a broadcast: start it when due (quota check, freeze, queue) and close it when every
// delivery has ended. Both are safe to repeat: a killed worker's job runs again and finds the work done.
import type { Broadcast } from "@prisma/client";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { AudienceGoneError, countAudience } from "./audience.server";
import type { Audience } from "./model";
import { freezeAudience, queueBroadcast } from "./plan.server";
import { quotaStatus } from "../messaging/quota.server";
import { notifyStaff } from "../notifications/notify.server";

type StartOutcome = "not-due" | "skipped" | "failed" | "planned" | "resumed";

async function fail(broadcast: Broadcast, reason: string, detail?: string) {
  const failed = await db.broadcast.updateMany({
    where: { id: broadcast.id, status: { in: ["scheduled", "planning"] }, plannedAt: null },
    data: { status: "failed", reason, detail: detail ?? null, finishedAt: new Date() },
  });
  if (failed.count) await notifyStaff(broadcast.shop, { type: "broadcastFinished", broadcastId: broadcast.id, status: "failed" });
  return "failed" as const;
}

/** Starts a due broadcast; `now` is when the job runs. */
export async function startBroadcast(broadcastId: string, now = new Date()): Promise<StartOutcome> {
  const broadcast = await db.broadcast.findUnique({ where: { id: broadcastId } });
  if (!broadcast) return "skipped";
  // Planned already (a job repeated after a killed worker): queue what is not sent yet.
  if (broadcast.plannedAt) {
    if (broadcast.status !== "sending") return "skipped";
    await queueBroadcast(broadcast.id);
    return "resumed";
  }
  if (!["scheduled", "planning"].includes(broadcast.status)) return "skipped";
  // A job left from before a reschedule to a later time: the new job starts it.
  if (broadcast.scheduledAt && broadcast.scheduledAt.getTime() > now.getTime() + 1_000) return "not-due";

  const [account, shop] = await Promise.all([
    db.lineAccount.findUnique({ where: { id: broadcast.lineAccountId }, select: { status: true } }),
    db.shop.findUnique({ where: { shop: broadcast.shop }, select: { uninstalledAt: true } }),
  ]);
  if (account?.status !== "connected") return fail(broadcast, "broadcasts.reason.accountDisconnected");
  if (!shop || shop.uninstalledAt) return fail(broadcast, "broadcasts.reason.uninstalled");
  const { count } = await db.broadcast.updateMany({
    where: { id: broadcast.id, status: { in: ["scheduled", "planning"] }, plannedAt: null },
    data: { status: "planning", startedAt: now },
  });
  if (count === 0) return "skipped"; // cancelled meanwhile

  const planningFrom = Date.now();
  let audienceSize: number;
  try {
    audienceSize = await countAudience(broadcast.shop, broadcast.lineAccountId, broadcast.audience as Audience);
  } catch (error) {
    if (error instanceof AudienceGoneError) return fail(broadcast, "broadcasts.reason.segmentGone");
    throw error;
  }
  const quota = await quotaStatus(broadcast.lineAccountId, { refresh: true });
  const room = quota.remaining === null ? null : quota.exhausted ? 0 : quota.remaining;
  let limit: number | null = null;
  if (room !== null && audienceSize > room) {
    if (broadcast.overQuota !== "fit" || room === 0) {
      return fail(broadcast, "broadcasts.reason.quota", `${audienceSize} > ${room}`);
    }
    limit = room;
  }
  const planned = await freezeAudience(broadcast, limit, limit === null ? null : audienceSize, new Date());
  // Counting, the quota check and the freezing statement: the benchmark reads planningMs from this line.
  logger.info("broadcast planned", { broadcastId: broadcast.id, ...planned, planningMs: Date.now() - planningFrom });
  await queueBroadcast(broadcast.id);
  return planned.planned ? "planned" : "resumed";
}

/**
 * Closes the broadcast when none of its deliveries is waiting or in flight: sent (failed if every batch failed),
 * or the end of a cancel. Returns true while there is still something to wait for.
 */
export async function finishBroadcast(broadcastId: string, now = new Date()): Promise<boolean> {
  const broadcast = await db.broadcast.findUnique({ where: { id: broadcastId }, select: { shop: true, status: true, finishedAt: true } });
  if (!broadcast || broadcast.finishedAt || !["sending", "cancelled", "planning"].includes(broadcast.status)) return false;
  if (broadcast.status === "planning") return true;
  const rows = await db.delivery.groupBy({ by: ["status"], where: { kind: "broadcast", sourceId: broadcastId }, _count: { _all: true } });
  const count = (status: string) => rows.find((row) => row.status === status)?._count._all ?? 0;
  const inFlight = count("sending") + (broadcast.status === "cancelled" ? 0 : count("scheduled"));
  if (inFlight > 0) return true;
  const total = rows.reduce((sum, row) => sum + row._count._all, 0);
  const failedAll = total > 0 && count("failed") === total;
  const closed = await db.broadcast.updateMany({
    where: { id: broadcastId, finishedAt: null, status: broadcast.status },
    data: { finishedAt: now, ...(broadcast.status === "sending" ? { status: failedAll ? "failed" : "sent", ...(failedAll ? { reason: "broadcasts.reason.allFailed" } : {}) } : {}) },
  });
  // Once: only the run that closed the broadcast tells the staff (a cancelled one was stopped by them).
  if (closed.count && broadcast.status === "sending") {
    await notifyStaff(broadcast.shop, { type: "broadcastFinished", broadcastId, status: failedAll ? "failed" : "sent" });
  }
  return false;
}
