import type { Job } from "bullmq";
import { runDailyQuotaCheck, type QuotaNotice } from "../../app/quota/daily-check.server";
import { logger } from "../../app/logger.server";
import type { QuotaCheckJob } from "../queues";

async function notify(shop: string, notice: QuotaNotice) {
  logger.info("quota notice", { shop, ...notice });
}

/** The 12:00 check of one account's monthly quota (once a day: app/quota/daily-check.server.ts). */
export async function processQuotaCheck(job: Job<QuotaCheckJob>) {
  return runDailyQuotaCheck(job.data.lineAccountId, notify);
}
