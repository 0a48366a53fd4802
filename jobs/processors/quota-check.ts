import type { Job } from "bullmq";
import { notifyStaff } from "../../app/notifications/notify.server";
import { runDailyQuotaCheck } from "../../app/quota/daily-check.server";
import type { QuotaCheckJob } from "../queues";

/** The 12:00 check of one account's monthly quota (once a day: app/quota/daily-check.server.ts). */
export async function processQuotaCheck(job: Job<QuotaCheckJob>) {
  return runDailyQuotaCheck(job.data.lineAccountId, notifyStaff);
}
