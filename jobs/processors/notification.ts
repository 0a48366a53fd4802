import { UnrecoverableError, type Job } from "bullmq";
import { deliverDigest, deliverNotification, recordNotificationFailure, SendFailure } from "../../app/notifications/deliver.server";
import type { NotificationJob } from "../queues";

/** One staff notification, or one digest of new messages. A failure no retry can fix ends the job at once. */
export async function processNotification(job: Job<NotificationJob>) {
  try {
    if ("notificationId" in job.data) return await deliverNotification(job.data.notificationId);
    return await deliverDigest(job.data.channelId, new Date(job.data.until));
  } catch (error) {
    if (error instanceof SendFailure && !error.retry) throw new UnrecoverableError(error.message);
    throw error;
  }
}

export async function recordNotificationJobFailure(job: Job<NotificationJob> | undefined, error: Error) {
  if (!job) return;
  const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
  if (final) await recordNotificationFailure(job.data, error);
}
