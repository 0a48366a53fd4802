// Shopify webhooks: verify, record (dedupe key), enqueue, answer. The worker does the work.
import { randomUUID } from "node:crypto";
import { WebhookValidationErrorReason } from "@shopify/shopify-api";
import { enqueueShopifyWebhook } from "../../jobs/queues";
import { sql } from "../db.server";
import { logger } from "../logger.server";
import { validateWebhook } from "../shopify.server";

type Outcome = "queued" | "stored" | "duplicate";

// The answers `authenticate.webhook` gives, thrown as it throws them.
const rejection = (status: 400 | 401 | 405, statusText: string) => new Response(undefined, { status, statusText });

export async function receiveShopifyWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") throw rejection(405, "Method not allowed");
  const rawBody = await request.text();
  const check = await validateWebhook({ rawBody, rawRequest: request });
  if (!check.valid) {
    throw check.reason === WebhookValidationErrorReason.InvalidHmac ? rejection(401, "Unauthorized") : rejection(400, "Bad Request");
  }
  try {
    JSON.parse(rawBody);
  } catch {
    // Checked only after the HMAC passed, so this is a genuine sender's bad JSON.
    return new Response("Malformed JSON body", { status: 400 });
  }
  const { domain: shop, topic, webhookId, apiVersion: version } = check;
  const eventId = "eventId" in check ? check.eventId : undefined;
  const triggeredAt = check.triggeredAt ? new Date(check.triggeredAt) : null;

  const outcome = await record({
    shop,
    topic,
    webhookId,
    eventId: eventId ?? null,
    dedupeKey: eventId ?? webhookId,
    apiVersion: version,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    payload: rawBody,
  });
  logger.info("shopify webhook", { shop, topic, webhookId, outcome });
  return new Response(null, { status: 200 });
}

type Delivery = {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  dedupeKey: string;
  apiVersion: string;
  triggeredAt: Date | null;
  /** The raw body, already checked to be JSON. */
  payload: string;
};

// Raw SQL: the receipt insert and the enqueuedAt stamp are the web process's only statements per delivery, and
// through Prisma each cost 0.7–1 ms of CPU (tests/bench/README.md). Ids are UUIDs made here, as for LINE events.
async function record(delivery: Delivery): Promise<Outcome> {
  // A repeat (same topic and dedupe key: the @@unique of WebhookReceipt) inserts nothing. Database down: the
  // error becomes a 5xx and Shopify delivers again.
  const [created] = await sql<{ id: string }>`
    INSERT INTO "WebhookReceipt" ("id", "shop", "topic", "dedupeKey", "webhookId", "eventId", "apiVersion",
                                  "triggeredAt", "payload", "receivedAt")
    VALUES (${randomUUID()}, ${delivery.shop}, ${delivery.topic}, ${delivery.dedupeKey}, ${delivery.webhookId},
            ${delivery.eventId}, ${delivery.apiVersion}, ${delivery.triggeredAt}, ${delivery.payload}::jsonb, ${new Date()})
    ON CONFLICT ("topic", "dedupeKey") DO NOTHING
    RETURNING "id"`;
  if (!created) return "duplicate";
  return (await enqueueReceipt(created.id)) ? "queued" : "stored";
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
  await sql`UPDATE "WebhookReceipt" SET "enqueuedAt" = ${new Date()} WHERE "id" = ${receiptId}`;
  return true;
}
