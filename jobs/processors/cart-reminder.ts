import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { failReminder, sendCartReminders } from "../../app/abandoned-cart/send.server";
import type { GraphQL } from "../../app/abandoned-cart/product-info.server";
import { lineErrorMessage } from "../../app/line/client.server";
import { failDeliveries } from "../../app/messaging/send.server";
import { unauthenticated } from "../../app/shopify.server";
import { grouped } from "../grouped";
import type { CartReminderJob } from "../queues";
import { failedForStalling } from "./delivery";

/** A push held back by its channel's budget for this long at most waits in the batch, its job still active. */
const WAIT_IN_JOB_MS = 1_000;

/** The Admin API client is built only if product images are not cached yet. */
async function adminGraphql(shop: string): Promise<GraphQL> {
  const { admin } = await unauthenticated.admin(shop);
  return (query, options) => admin.graphql(query, options);
}

// The reminders of the jobs this worker holds at once are sent together: a due burst of thousands costs a few
// statements per batch instead of several per reminder (tests/bench/README.md, "abandoned-cart"). Each job still
// carries one reminder id and ends with that reminder's own outcome.
const sendGrouped = grouped((ids: string[]) => sendCartReminders(ids, adminGraphql, { waitForBudgetMs: WAIT_IN_JOB_MS }), {
  maxBatch: 200,
  maxRunning: 4,
});

/** Sends one reminder when it is due (with the others due at the same time). Quiet hours move the job to the end of the window. */
export async function processCartReminder(job: Job<CartReminderJob>, token?: string) {
  const outcome = await sendGrouped(job.data.reminderId);
  // Quiet hours, the channel's push budget, or a 429 from LINE: the job waits without using up an attempt.
  if (outcome.status === "deferred" || outcome.status === "throttled") {
    await job.moveToDelayed(outcome.until.getTime(), token);
    throw new DelayedError();
  }
  if (outcome.status === "retry") throw outcome.error;
  if (outcome.status === "failed") throw new UnrecoverableError(outcome.reason);
  return outcome.status;
}

/**
 * The job failed for good (its last attempt, or a failure BullMQ does not retry): a reminder still scheduled or
 * sending is marked failed with the reason, so none waits for ever. `finishedOn` is set only on that move.
 */
export async function recordCartReminderFailure(job: Job<CartReminderJob> | undefined, error: Error) {
  if (!job?.finishedOn) return;
  // Failed by BullMQ for stalling (a worker killed or too busy to renew its locks): nothing was heard from LINE, so
  // the reminder is not failed; it stays scheduled or sending and the sweeper queues it again with its retry key
  // (reclaimStrandedReminders).
  if (failedForStalling(error)) return;
  const reason = `gave up after ${job.attemptsMade} attempts: ${lineErrorMessage(error)}`;
  await failReminder(job.data.reminderId, reason);
  await failDeliveries("cart-reminder", job.data.reminderId, reason);
}
