import { DelayedError, type Job } from "bullmq";
import { lineErrorMessage } from "../../app/line/client.server";
import { failDelivery, sendDeliveries } from "../../app/messaging/send.server";
import { requeueStalledDelivery } from "../../app/messaging/stranded.server";
import { grouped } from "../grouped";
import { QUEUE_NAMES, type DeliveryJob } from "../queues";

/** A delivery held back by the budget waits in the job for a slot this close; a 429 pause goes back to "delayed". */
const WAIT_IN_JOB_MS = 1_000;

// The pushes of the jobs this worker holds at once are sent together (group commit, as cart reminders): a due
// burst of pushes (step messages, personalised broadcasts) costs a few statements per batch instead of several per
// push. Each job still carries one delivery id and ends with that delivery's own outcome.
const sendGrouped = grouped((ids: string[]) => sendDeliveries(ids, { waitForBudgetMs: WAIT_IN_JOB_MS }), { maxBatch: 200, maxRunning: 4 });

/** Sends one delivery (app/messaging/send.server.ts); holds no rules of its own. */
export async function processDelivery(job: Job<DeliveryJob>, token?: string) {
  // A multicast delivery is already a batch of up to 500 recipients: it is sent on its own.
  const outcome =
    job.queueName === QUEUE_NAMES.pushDeliveries
      ? await sendGrouped(job.data.deliveryId)
      : (await sendDeliveries([job.data.deliveryId], { waitForBudgetMs: WAIT_IN_JOB_MS }))[0];
  if (outcome.status === "retry") throw outcome.error instanceof Error ? outcome.error : new Error(outcome.reason);
  if (outcome.status !== "throttled") return outcome.status;
  // The budget or a 429 pause: the job waits without using up an attempt.
  await job.moveToDelayed(outcome.until.getTime(), token);
  throw new DelayedError();
}

/** BullMQ's reason for failing a job whose lock lapsed more often than it allows (maxStalledCount). */
const STALLED = "job stalled more than allowable limit";

/** A job BullMQ failed for stalling: its processor was not run again, so nothing is known of the send's outcome. */
export const failedForStalling = (error: Error) => error.message === STALLED;

/**
 * The job failed for good: a delivery still scheduled or sending is marked failed with the reason. Not when BullMQ
 * failed the job for stalling: nothing was heard from LINE, and the delivery is queued again with its retry key.
 */
export async function recordDeliveryFailure(job: Job<DeliveryJob> | undefined, error: Error) {
  if (!job?.finishedOn) return;
  if (failedForStalling(error)) {
    await requeueStalledDelivery(job.data.deliveryId);
    return;
  }
  await failDelivery(job.data.deliveryId, `gave up after ${job.attemptsMade} attempts: ${lineErrorMessage(error)}`);
}
