// Shopify webhooks: verify, record (dedupe key), enqueue, answer. The worker does the work.
import { Prisma } from "@prisma/client";
import { enqueueShopifyWebhook } from "../../jobs/queues";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { authenticate } from "../shopify.server";

type Outcome = "queued" | "stored" | "duplicate";

export async function receiveShopifyWebhook(request: Request): Promise<Response> {
  let context: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    context = await authenticate.webhook(request);
  } catch (error) {
    // The library parses the body only after the HMAC check passed, so this is a genuine sender's bad JSON.
    if (error instanceof SyntaxError) return new Response("Malformed JSON body", { status: 400 });
    throw error; // Responses thrown by the library: 401 bad HMAC, 400 missing headers, 405 not POST.
  }
  const { shop, topic, webhookId, apiVersion, payload } = context;
  const eventId = "eventId" in context ? context.eventId : undefined;
  const triggeredAt = context.triggeredAt ? new Date(context.triggeredAt) : null;

  const outcome = await record({
    shop,
    topic,
    webhookId,
    eventId: eventId ?? null,
    dedupeKey: eventId ?? webhookId,
    apiVersion,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    payload: payload as Prisma.InputJsonValue,
  });
  logger.info("shopify webhook", { shop, topic, webhookId, outcome });
  return new Response(null, { status: 200 });
}

async function record(data: Prisma.WebhookReceiptCreateInput): Promise<Outcome> {
  let receiptId: string;
  try {
    receiptId = (await db.webhookReceipt.create({ data, select: { id: true } })).id;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return "duplicate";
    throw error; // Database down: a 5xx makes Shopify deliver again.
  }
  return (await enqueueReceipt(receiptId)) ? "queued" : "stored";
}

/** Adds the job and stamps the receipt; false when Redis is unavailable (the sweeper retries). */
export async function enqueueReceipt(receiptId: string): Promise<boolean> {
  try {
    await enqueueShopifyWebhook(receiptId);
  } catch (error) {
    logger.warn("webhook receipt not queued; the sweeper will retry", {
      receiptId,
      error: (error as Error).message,
    });
    return false;
  }
  await db.webhookReceipt.update({ where: { id: receiptId }, data: { enqueuedAt: new Date() } });
  return true;
}
