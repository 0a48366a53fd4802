// Broadcasts that should be moving but have no live job (Redis lost its data, or a start job failed for good while
// PostgreSQL was down): a due broadcast not started yet gets its start job again, and a started one that is not
// closed gets its finish job again. Both jobs are safe to repeat (app/broadcasts/run.server.ts).
import { broadcastFinishJobId, broadcastQueue, broadcastStartJobId, enqueueBroadcastFinish, enqueueBroadcastStart } from "../../jobs/queues";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { readyProducer } from "../redis.server";

/** A start job normally runs within moments of the due time; one this late is lost. */
const START_GRACE_MS = 60_000;
const LIVE_JOB_STATES = new Set(["waiting", "delayed", "active", "prioritized", "waiting-children"]);
const RECLAIM_BATCH = 100;

export async function reclaimStrandedBroadcasts(now = new Date()) {
  const due = new Date(now.getTime() - START_GRACE_MS);
  const rows = await db.broadcast.findMany({
    where: {
      finishedAt: null,
      OR: [
        { status: { in: ["scheduled", "planning"] }, scheduledAt: { lt: due } },
        { status: { in: ["sending", "cancelled"] }, startedAt: { lt: due } },
      ],
    },
    select: { id: true, status: true },
    orderBy: { scheduledAt: "asc" },
    take: RECLAIM_BATCH,
  });
  const result = { found: rows.length, queued: 0 };
  if (!rows.length) return result;
  try {
    await readyProducer();
  } catch (error) {
    logger.warn("broadcasts not reclaimed while Redis is unavailable", { error: (error as Error).message });
    return result;
  }
  for (const row of rows) {
    const starting = row.status === "scheduled" || row.status === "planning";
    const jobId = starting ? broadcastStartJobId(row.id) : broadcastFinishJobId(row.id);
    try {
      const state = await broadcastQueue().getJobState(jobId);
      if (LIVE_JOB_STATES.has(state)) continue;
      // A failed or finished job keeps its id and BullMQ ignores an add under it.
      if (state !== "unknown") await broadcastQueue().remove(jobId);
      if (starting) await enqueueBroadcastStart(row.id, new Date());
      else await enqueueBroadcastFinish(row.id, 0);
      result.queued += 1;
    } catch (error) {
      logger.warn("broadcast not reclaimed; the next sweep retries", { broadcastId: row.id, error: (error as Error).message });
    }
  }
  return result;
}
