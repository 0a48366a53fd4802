import { UnrecoverableError, type Job } from "bullmq";
import type { WebhookReceipt } from "@prisma/client";
import { db, sql } from "../../app/db.server";
import { PermanentError } from "../../app/errors";
import { logger } from "../../app/logger.server";
import { shopifyWebhookHandlers } from "../../app/webhooks/handlers.server";
import { restoreJson } from "../../app/stored-json";
import type { ShopifyWebhookJob } from "../queues";

// Raw SQL for the claim and the stamp: two of a checkout's few statements, each 0.7 ms of CPU through Prisma's
// client engine (tests/bench/README.md).
const TOPICS = Object.keys(shopifyWebhookHandlers);

/** Runs the handler for one stored delivery, once: a processed receipt is skipped on any repeat. */
export async function processShopifyWebhook(job: Job<ShopifyWebhookJob>) {
  // The read and the attempt count in one statement; only a receipt this worker can handle is counted.
  const [receipt] = await sql<WebhookReceipt>`
    UPDATE "WebhookReceipt" SET attempts = attempts + 1
    WHERE id = ${job.data.receiptId} AND "processedAt" IS NULL AND topic = ANY(${TOPICS})
    RETURNING *`;
  if (!receipt) return unclaimed(job.data.receiptId);
  try {
    await shopifyWebhookHandlers[receipt.topic]({ ...receipt, payload: restoreJson(receipt.payload) });
  } catch (error) {
    throw error instanceof PermanentError ? new UnrecoverableError(error.message) : error;
  }
  // No row to stamp when shop/redact deleted this very receipt along with the rest of the shop.
  await sql`UPDATE "WebhookReceipt" SET "processedAt" = ${new Date()}, "lastError" = NULL WHERE id = ${receipt.id}`;
  logger.info("shopify webhook processed", { receiptId: receipt.id, shop: receipt.shop, topic: receipt.topic });
  return "processed";
}

/** Why a receipt was not claimed. */
async function unclaimed(receiptId: string) {
  const [receipt] = await sql<{ topic: string; processedAt: Date | null }>`
    SELECT topic, "processedAt" FROM "WebhookReceipt" WHERE id = ${receiptId}`;
  if (!receipt) return "missing"; // removed by shop/redact
  if (receipt.processedAt) return "already-processed";
  throw new UnrecoverableError(`no handler for topic ${receipt.topic}`);
}

/** Final failure: the receipt records why, and the sweeper leaves it alone. */
export async function recordWebhookFailure(job: Job<ShopifyWebhookJob> | undefined, error: Error) {
  if (!job) return;
  const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
  await db.webhookReceipt.updateMany({
    where: { id: job.data.receiptId },
    data: { lastError: error.message.slice(0, 1_000), ...(final ? { failedAt: new Date() } : {}) },
  });
}
