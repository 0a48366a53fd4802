import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { failReminder, sendCartReminder } from "../../app/abandoned-cart/send.server";
import { db } from "../../app/db.server";
import { lineErrorMessage } from "../../app/line/client.server";
import { failDeliveries } from "../../app/messaging/send.server";
import { unauthenticated } from "../../app/shopify.server";
import type { CartReminderJob } from "../queues";

/** Sends one reminder when it is due. Quiet hours move the job to the end of the window. */
export async function processCartReminder(job: Job<CartReminderJob>, token?: string) {
  // The Admin API client is built only if product images are not cached yet.
  const outcome = await sendCartReminder(job.data.reminderId, async () => {
    const { shop } = await db.cartReminder.findUniqueOrThrow({ where: { id: job.data.reminderId }, select: { shop: true } });
    const { admin } = await unauthenticated.admin(shop);
    return (query, options) => admin.graphql(query, options);
  });
  // Quiet hours, the channel's push budget, or a 429 from LINE: the job waits without using up an attempt.
  if (outcome.status === "deferred" || outcome.status === "throttled") {
    await job.moveToDelayed(outcome.until.getTime(), token);
    throw new DelayedError();
  }
  if (outcome.status === "failed") throw new UnrecoverableError(outcome.reason);
  return outcome.status;
}

/**
 * The job failed for good (its last attempt, or a failure BullMQ does not retry): a reminder still scheduled or
 * sending is marked failed with the reason, so none waits for ever. `finishedOn` is set only on that move.
 */
export async function recordCartReminderFailure(job: Job<CartReminderJob> | undefined, error: Error) {
  if (!job?.finishedOn) return;
  const reason = `gave up after ${job.attemptsMade} attempts: ${lineErrorMessage(error)}`;
  await failReminder(job.data.reminderId, reason);
  await failDeliveries("cart-reminder", job.data.reminderId, reason);
}
