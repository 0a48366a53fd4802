import type { Job } from "bullmq";
import { runFollowerImport } from "../../app/friends/follower-import.server";
import type { FollowerImportJob } from "../queues";

/** One import of an account's existing followers; its row records progress and the outcome. */
export async function processFollowerImport(job: Job<FollowerImportJob>) {
  return runFollowerImport(job.data.importId);
}
