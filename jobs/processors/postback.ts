import { UnrecoverableError, type Job } from "bullmq";
import { db } from "../../app/db.server";
import { logger } from "../../app/logger.server";
import { sendPostback } from "../../app/sources/postback.server";
import type { PostbackJob } from "../queues";

/** One conversion postback; delivered at most once (a sent delivery is never sent again). */
export async function processPostback(job: Job<PostbackJob>) {
  const delivery = await db.postbackDelivery.findUnique({ where: { id: job.data.deliveryId } });
  if (!delivery || delivery.status !== "pending") return "not-pending";
  await db.postbackDelivery.update({ where: { id: delivery.id }, data: { attempts: { increment: 1 } } });
  const outcome = await sendPostback(delivery.url, delivery.method === "POST" ? "POST" : "GET");
  if ("status" in outcome) {
    await db.postbackDelivery.update({
      where: { id: delivery.id },
      data: { status: "sent", sentAt: new Date(), responseStatus: outcome.status, lastError: null },
    });
    logger.info("postback sent", { deliveryId: delivery.id, status: outcome.status });
    return "sent";
  }
  await db.postbackDelivery.update({ where: { id: delivery.id }, data: { lastError: outcome.error } });
  throw outcome.retry ? new Error(outcome.error) : new UnrecoverableError(outcome.error);
}

export async function recordPostbackFailure(job: Job<PostbackJob> | undefined, error: Error) {
  if (!job) return;
  const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
  if (final) {
    await db.postbackDelivery.updateMany({
      where: { id: job.data.deliveryId, status: "pending" },
      data: { status: "failed", lastError: error.message.slice(0, 1_000) },
    });
  }
}
