import { UnrecoverableError, type Job } from "bullmq";
import { db } from "../../app/db.server";
import { PermanentError } from "../../app/errors";
import { logger } from "../../app/logger.server";
import { shopifyWebhookHandlers } from "../../app/webhooks/handlers.server";
import type { ShopifyWebhookJob } from "../queues";

/** Runs the handler for one stored delivery, once: a processed receipt is skipped on any repeat. */
export async function processShopifyWebhook(job: Job<ShopifyWebhookJob>) {
  const receipt = await db.webhookReceipt.findUnique({ where: { id: job.data.receiptId } });
  if (!receipt) return "missing"; // removed by shop/redact
  if (receipt.processedAt) return "already-processed";
  const handler = shopifyWebhookHandlers[receipt.topic];
  if (!handler) throw new UnrecoverableError(`no handler for topic ${receipt.topic}`);

  await db.webhookReceipt.updateMany({ where: { id: receipt.id }, data: { attempts: { increment: 1 } } });
  try {
    await handler(receipt);
  } catch (error) {
    throw error instanceof PermanentError ? new UnrecoverableError(error.message) : error;
  }
  // updateMany: shop/redact deletes this very receipt along with the rest of the shop.
  await db.webhookReceipt.updateMany({ where: { id: receipt.id }, data: { processedAt: new Date(), lastError: null } });
  logger.info("shopify webhook processed", { receiptId: receipt.id, shop: receipt.shop, topic: receipt.topic });
  return "processed";
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
