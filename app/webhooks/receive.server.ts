// Shopify webhooks: verify, record (dedupe key), enqueue, answer. The worker does the work.
import { createHash, randomUUID } from "node:crypto";
import { WebhookValidationErrorReason } from "@shopify/shopify-api";
import { enqueueShopifyWebhook } from "../../jobs/queues";
import { sql } from "../db.server";
import { logger } from "../logger.server";
import { validateWebhook } from "../shopify.server";
import { storableJsonBody } from "../stored-json";
import { bodyShopMismatch, topicKey, type ShopifyTopic } from "./topics";

type Outcome = "queued" | "stored" | "duplicate" | "unknown-shop";

// The answers `authenticate.webhook` gives, thrown as it throws them.
const rejection = (status: 400 | 401 | 405, statusText: string) => new Response(undefined, { status, statusText });

const STACK_DEPTH_EXCEEDED = "54001"; // PostgreSQL's SQLSTATE

// Headers are not signed and may be of any length: logs get a bounded copy.
const clip = (value: string) => (value.length > 100 ? `${value.slice(0, 100)}…` : value);

/** A signed delivery refused (headers that contradict the route or the body, a body jsonb cannot parse): one log
 * line, a 4xx, nothing stored. */
function refuse(reason: string, fields: Record<string, string>) {
  logger.warn("shopify webhook refused", { reason, ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, clip(v)])) });
  return new Response(reason, { status: 400 });
}

/** `topic` is the route's own: the topic header must agree with it, and never picks the handler. */
export async function receiveShopifyWebhook(request: Request, topic: ShopifyTopic): Promise<Response> {
  if (request.method !== "POST") throw rejection(405, "Method not allowed");
  const rawBody = await request.text();
  const check = await validateWebhook({ rawBody, rawRequest: request });
  if (!check.valid) {
    throw check.reason === WebhookValidationErrorReason.InvalidHmac ? rejection(401, "Unauthorized") : rejection(400, "Bad Request");
  }
  const { domain: shop, webhookId, apiVersion: version } = check;
  if (check.topic !== topicKey(topic)) {
    return refuse("topic header disagrees with the route", { route: topic, topic: check.topic, shop, webhookId });
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    // Checked only after the HMAC passed, so this is a genuine sender's bad JSON.
    return new Response("Malformed JSON body", { status: 400 });
  }
  const mismatch = bodyShopMismatch(topic, body, shop);
  if (mismatch) return refuse(mismatch, { route: topic, shop, webhookId });

  let payload: string;
  try {
    payload = storableJsonBody(rawBody);
  } catch (error) {
    if (error instanceof RangeError) return refuse("payload nested too deep", { route: topic, shop, webhookId });
    throw error;
  }
  const eventId = "eventId" in check ? check.eventId : undefined;
  let outcome: Outcome;
  try {
    outcome = await record({
      shop,
      topic: check.topic,
      webhookId,
      eventId: eventId ?? null,
      dedupeKey: dedupeKey(eventId ?? webhookId),
      apiVersion: version,
      triggeredAt: triggeredAt(check.triggeredAt),
      payload,
    });
  } catch (error) {
    // PostgreSQL's jsonb parser recurses; a body nested thousands deep is no payload Shopify sends.
    if ((error as { code?: string }).code === STACK_DEPTH_EXCEEDED) {
      return refuse("payload nested too deep", { route: topic, shop, webhookId });
    }
    throw error;
  }
  logger.info("shopify webhook", { shop: clip(shop), topic: check.topic, webhookId: clip(webhookId), outcome });
  // A shop that never installed gets 200 too, with nothing stored: a retry would change nothing.
  return new Response(null, { status: 200 });
}

// Shopify's ids are UUIDs; an unsigned header of any length must still fit the unique index (a btree entry holds
// about 2.7 kB), so a long one is keyed by its hash. The full value is kept in `webhookId`/`eventId`.
const MAX_KEY_LENGTH = 255;

function dedupeKey(id: string) {
  return id.length <= MAX_KEY_LENGTH ? id : `sha256:${createHash("sha256").update(id).digest("hex")}`;
}

/** The header's time when it is one PostgreSQL's `timestamp` can hold and a sender could mean. */
function triggeredAt(header: string | undefined) {
  const time = header ? new Date(header) : null;
  const year = time?.getUTCFullYear();
  return time && year !== undefined && year >= 2000 && year <= 9999 ? time : null;
}

type Delivery = {
  shop: string;
  topic: string;
  webhookId: string;
  eventId: string | null;
  dedupeKey: string;
  apiVersion: string;
  triggeredAt: Date | null;
  /** The raw body, already checked to be JSON, in a form jsonb accepts (app/stored-json.ts). */
  payload: string;
};

// Raw SQL: the receipt insert and the enqueuedAt stamp are the web process's only statements per delivery, and
// through Prisma each cost 0.7–1 ms of CPU (tests/bench/README.md). Ids are UUIDs made here, as for LINE events.
async function record(delivery: Delivery): Promise<Outcome> {
  // Stored only for a shop that installed (a Shop row, or a session older than it) — an uninstalled shop included,
  // for its compliance webhooks. A repeat (same topic and dedupe key: the @@unique of WebhookReceipt) inserts
  // nothing. Database down: the error becomes a 5xx and Shopify delivers again.
  const [created] = await sql<{ id: string }>`
    INSERT INTO "WebhookReceipt" ("id", "shop", "topic", "dedupeKey", "webhookId", "eventId", "apiVersion",
                                  "triggeredAt", "payload", "receivedAt")
    SELECT ${randomUUID()}, ${delivery.shop}, ${delivery.topic}, ${delivery.dedupeKey}, ${delivery.webhookId},
           ${delivery.eventId}, ${delivery.apiVersion}, ${delivery.triggeredAt}, ${delivery.payload}::jsonb, ${new Date()}
    WHERE EXISTS (SELECT 1 FROM "Shop" WHERE "shop" = ${delivery.shop})
       OR EXISTS (SELECT 1 FROM "Session" WHERE "shop" = ${delivery.shop})
    ON CONFLICT ("topic", "dedupeKey") DO NOTHING
    RETURNING "id"`;
  if (!created) return (await knownShop(delivery.shop)) ? "duplicate" : "unknown-shop";
  return (await enqueueReceipt(created.id)) ? "queued" : "stored";
}

async function knownShop(shop: string) {
  const [row] = await sql<{ known: boolean }>`
    SELECT EXISTS (SELECT 1 FROM "Shop" WHERE "shop" = ${shop}) OR EXISTS (SELECT 1 FROM "Session" WHERE "shop" = ${shop}) AS known`;
  return Boolean(row?.known);
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
