import type { Job } from "bullmq";
import { fetchContent, recordContentFailure } from "../../app/inbox/content.server";
import { markReadAtLine } from "../../app/inbox/read.server";
import type { InboxJob } from "../queues";

/** A received image fetched from LINE, or a chat marked read at LINE. */
export async function processInbox(job: Job<InboxJob>) {
  switch (job.data.type) {
    case "fetch-content":
      return fetchContent(job.data.messageId);
    case "mark-read":
      return markReadAtLine(job.data.friendId);
  }
}

/** The last attempt failed: the content row says so instead of staying pending. */
export async function recordInboxFailure(job: Job<InboxJob> | undefined, error: Error) {
  if (!job || job.data.type !== "fetch-content" || job.attemptsMade < (job.opts.attempts ?? 1)) return;
  await recordContentFailure(job.data.messageId, error.message);
}
