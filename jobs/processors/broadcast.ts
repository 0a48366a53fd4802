import { DelayedError, type Job } from "bullmq";
import { finishBroadcast, startBroadcast } from "../../app/broadcasts/run.server";
import { enqueueBroadcastFinish, type BroadcastJob } from "../queues";

// How often a running broadcast is checked for its end: the results page shows "sent" this soon after.
const FINISH_POLL_MS = 2_000;

/** "start": plan and queue a due broadcast; "finish": close it once every delivery has ended. */
export async function processBroadcast(job: Job<BroadcastJob>, token?: string) {
  const { broadcastId } = job.data;
  if (job.name === "start") {
    const outcome = await startBroadcast(broadcastId);
    if (outcome === "planned" || outcome === "resumed") await enqueueBroadcastFinish(broadcastId);
    return outcome;
  }
  if (await finishBroadcast(broadcastId)) {
    // The same job waits again; a delay is not an attempt.
    await job.moveToDelayed(Date.now() + FINISH_POLL_MS, token);
    throw new DelayedError();
  }
  return "finished";
}
