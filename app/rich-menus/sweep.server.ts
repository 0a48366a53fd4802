// The sweeper's part for rich menus: an account with friends marked dirty a while ago gets its sync queued again
// (a change marked just as the previous sync finished), and a publish still in progress without a job is queued.
import { db } from "../db.server";
import { enqueueRichMenuPublish, richMenuPublishJobId, richMenuQueue } from "../../jobs/queues";
import { sweepDirtyMenus } from "./sync.server";

export async function sweepRichMenuWork(now = new Date()) {
  const accounts = await sweepDirtyMenus(now);
  const unfinished = await db.richMenuVersion.findMany({
    where: { status: { in: ["creating", "imageUploaded", "live"] }, updatedAt: { lt: new Date(now.getTime() - 60_000) } },
    select: { id: true, migration: true },
    take: 100,
  });
  let publishes = 0;
  for (const version of unfinished) {
    if ((version.migration as { step?: string } | null)?.step === "done") continue;
    // A job that ran out of attempts is retried (its steps resume); a missing one is queued; a live one is left.
    const job = await richMenuQueue().getJob(richMenuPublishJobId(version.id));
    if (job && (await job.isFailed())) await job.retry("failed");
    else if (!job) await enqueueRichMenuPublish(version.id);
    else continue;
    publishes++;
  }
  return { found: accounts + publishes };
}
