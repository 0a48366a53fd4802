// Deliveries that should be moving but have no live job: due and still scheduled (not queued while Redis was
// down, or the job was lost), or claimed ("sending") and untouched for longer than a job's lock (the job or the
// process sending it inline died). Each is queued again, with its retry key; one claimed longer ago than LINE
// keeps the key is not sent again: its outcome is unknown. A reply is never sent again (its token is single-use).
import { deliveryJobId, deliveryQueue, enqueueDeliveries } from "../../jobs/queues";
import { sql } from "../db.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { readyProducer } from "../redis.server";
import { RETRY_KEY_WINDOW_MS } from "./retry-key";
import { markUnknown } from "./send.server";

const NOT_QUEUED_GRACE_MS = 60_000;
const RECLAIM_BATCH = 500;
const LIVE_JOB_STATES = new Set(["waiting", "delayed", "active", "prioritized", "waiting-children"]);

type Stranded = { id: string; status: string; channel: "push" | "multicast" | "reply"; dueAt: Date; claimedAt: Date | null };

export async function reclaimStrandedDeliveries(now = new Date(), lockMs = env.WORKER_LOCK_DURATION_MS) {
  const rows = await sql<Stranded>`
    SELECT id, status, channel, "dueAt", "claimedAt" FROM "Delivery"
    WHERE (status = 'scheduled' AND "dueAt" < ${new Date(now.getTime() - NOT_QUEUED_GRACE_MS)}::timestamp)
       OR (status = 'sending' AND "updatedAt" < ${new Date(now.getTime() - lockMs)}::timestamp)
    ORDER BY "dueAt" LIMIT ${RECLAIM_BATCH}`;
  const result = { found: rows.length, queued: 0, unknown: 0 };
  if (!rows.length) return result;
  try {
    await readyProducer();
  } catch (error) {
    logger.warn("deliveries not reclaimed while Redis is unavailable", { error: (error as Error).message });
    return result;
  }
  for (const row of rows) {
    try {
      const done = await requeue(row, now);
      if (done === "queued") result.queued += 1;
      if (done === "unknown") result.unknown += 1;
    } catch (error) {
      logger.warn("delivery not reclaimed; the next sweep retries", { deliveryId: row.id, error: (error as Error).message });
    }
  }
  return result;
}

/**
 * A delivery whose job BullMQ failed because the job's lock lapsed more often than it allows (a worker killed, or
 * one too busy to renew its locks in time): that is no answer from LINE, so the delivery is not failed but queued
 * again at once with its retry key (if an earlier attempt reached LINE, LINE answers 409 and takes it once). A
 * worker whose lock lapsed may still be sending it: the claim lets both attempts through with the same key.
 */
export async function requeueStalledDelivery(id: string, now = new Date()): Promise<"queued" | "unknown" | "live" | "ended"> {
  const [row] = await sql<Stranded>`
    SELECT id, status, channel, "dueAt", "claimedAt" FROM "Delivery" WHERE id = ${id} AND status IN ('scheduled', 'sending')`;
  if (!row) return "ended";
  logger.warn("delivery job stalled; queued again with its retry key", { deliveryId: id });
  return requeue(row, now);
}

/** Queues a pending delivery that has no live job again; unknown once LINE has forgotten its retry key. */
async function requeue(row: Stranded, now: Date): Promise<"queued" | "unknown" | "live"> {
  if (row.channel === "reply") {
    await markUnknown(row.id);
    return "unknown";
  }
  const queue = deliveryQueue(row.channel);
  const state = await queue.getJobState(deliveryJobId(row.id));
  if (LIVE_JOB_STATES.has(state)) return "live";
  if (row.status === "sending" && now.getTime() - (row.claimedAt?.getTime() ?? 0) > RETRY_KEY_WINDOW_MS) {
    await markUnknown(row.id);
    return "unknown";
  }
  // BullMQ keeps a finished job's id for a while and ignores an add under it.
  if (state !== "unknown") await queue.remove(deliveryJobId(row.id));
  await enqueueDeliveries([{ id: row.id, channel: row.channel, dueAt: row.dueAt }]);
  return "queued";
}
