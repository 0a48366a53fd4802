import type { Job } from "bullmq";
import { runFollowerImport } from "../../app/friends/follower-import.server";
import { fetchMissingProfiles } from "../../app/friends/profiles.server";
import type { FollowerImportJob } from "../queues";

/** One import of an account's existing followers (its row records progress and the outcome), or a profile fetch. */
export async function processFollowerImport(job: Job<FollowerImportJob>) {
  if ("profilesOf" in job.data) return fetchMissingProfiles(job.data.profilesOf);
  return runFollowerImport(job.data.importId);
}
