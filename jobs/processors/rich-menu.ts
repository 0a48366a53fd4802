import { DelayedError, type Job } from "bullmq";
import { runPublish } from "../../app/rich-menus/publish.server";
import { runSync } from "../../app/rich-menus/sync.server";
import { logger } from "../../app/logger.server";
import type { RichMenuJob } from "../queues";

/** publish: a version's next steps; sync: an account's dirty friends, default and aliases. */
export async function processRichMenu(job: Job<RichMenuJob>, token?: string) {
  if (job.data.type === "sync") {
    const outcome = await runSync(job.data.accountId);
    if ("busy" in outcome) {
      // Another worker is syncing the account: this job runs after it (changes it missed are still marked).
      await job.moveToDelayed(Date.now() + 250, token);
      throw new DelayedError();
    }
    return outcome;
  }
  const outcome = await runPublish(job.data.versionId);
  if ("waitUntil" in outcome) {
    // Waiting for LINE (an hourly limit, a batch in progress) is not an attempt: the same job is delayed.
    await job.moveToDelayed(outcome.waitUntil.getTime(), token);
    throw new DelayedError();
  }
  if ("failed" in outcome) logger.warn("rich-menu version failed", { versionId: job.data.versionId, reason: outcome.failed });
  return outcome;
}
