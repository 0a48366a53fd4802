import { sweepRichMenuWork } from "../../app/rich-menus/sweep.server";
import type { Job } from "bullmq";
import { db } from "../../app/db.server";
import { queueStored } from "../../app/line/webhook.server";
import { logger } from "../../app/logger.server";
import { syncShopDetails } from "../../app/shops/shops.server";
import { tagCustomer } from "../../app/storefront/customer-tag.server";
import { reclaimStrandedReminders } from "../../app/abandoned-cart/reminders.server";
import { reclaimStrandedDeliveries } from "../../app/messaging/stranded.server";
import { reclaimStrandedBroadcasts } from "../../app/broadcasts/stranded.server";
import { pruneCollections, syncCollection } from "../../app/customers/collections.server";
import { reattributeRecent } from "../../app/customers/revenue.server";
import { enqueueCollectionSync, enqueuePostback } from "../queues";
import { expireContent } from "../../app/inbox/content.server";
import { requeuePendingContent } from "../../app/inbox/inbound.server";
import { reclaimStrandedNotifications } from "../../app/notifications/stranded.server";
import { unauthenticated } from "../../app/shopify.server";
import { enqueueReceipt } from "../../app/webhooks/receive.server";
import type { MaintenanceJob } from "../queues";

const NOT_QUEUED_GRACE_MS = 5_000;
// A job that should have run long ago was lost (Redis flushed or restored from an old snapshot).
const LOST_JOB_AFTER_MS = 15 * 60_000;
const SWEEP_BATCH = 500;

export async function processMaintenance(job: Job<MaintenanceJob>) {
  switch (job.data.type) {
    case "sweep-inboxes":
      return sweepInboxes();
    case "sync-shop": {
      const { admin } = await unauthenticated.admin(job.data.shop);
      await syncShopDetails(job.data.shop, (query) => admin.graphql(query));
      return "synced";
    }
    case "tag-customer": {
      const { admin } = await unauthenticated.admin(job.data.shop);
      await tagCustomer(job.data.customerId, (query, options) => admin.graphql(query, options));
      return "tagged";
    }
    case "sync-collection":
      return syncCollection(job.data.shop, job.data.collectionId);
    case "reattribute-shop":
      return { orders: await reattributeRecent(job.data.shop) };
    case "refresh-collections": {
      const named = await pruneCollections();
      for (const { shop, collectionId } of named) await enqueueCollectionSync(shop, collectionId);
      return { collections: named.length };
    }
  }
}

/** Inbox rows (Shopify receipts, LINE events) that were stored but never queued, or whose job was lost. */
function strandedWhere(now: Date) {
  return {
    processedAt: null,
    failedAt: null,
    OR: [
      { enqueuedAt: null, receivedAt: { lt: new Date(now.getTime() - NOT_QUEUED_GRACE_MS) } },
      { enqueuedAt: { lt: new Date(now.getTime() - LOST_JOB_AFTER_MS) } },
    ],
  };
}

const stranded = { select: { id: true }, orderBy: { receivedAt: "asc" as const }, take: SWEEP_BATCH };

export async function sweepWebhookReceipts(now = new Date()) {
  const receipts = await db.webhookReceipt.findMany({ where: strandedWhere(now), ...stranded });
  let queued = 0;
  for (const { id } of receipts) if (await enqueueReceipt(id)) queued += 1;
  return { found: receipts.length, queued };
}

/** LINE events as stranded receipts, except those a job holds (it is working on them, however long it waited). */
export async function sweepLineEvents(now = new Date()) {
  const unclaimed = { OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] };
  const events = await db.lineEvent.findMany({ where: { AND: [strandedWhere(now), unclaimed] }, ...stranded });
  const queued = events.length && (await queueStored(events.map((event) => event.id))) ? events.length : 0;
  return { found: events.length, queued };
}

/** Postbacks recorded while Redis was unavailable (a queued one is not added twice: the job id is fixed). */
export async function sweepPostbacks(now = new Date()) {
  const deliveries = await db.postbackDelivery.findMany({
    where: { status: "pending", attempts: 0, createdAt: { lt: new Date(now.getTime() - NOT_QUEUED_GRACE_MS) } },
    select: { id: true },
    take: SWEEP_BATCH,
  });
  let queued = 0;
  for (const { id } of deliveries) {
    if (await enqueuePostback(id).then(() => true, () => false)) queued += 1;
  }
  return { found: deliveries.length, queued };
}

/** Reminders due or claimed without a live job (app/abandoned-cart/reminders.server.ts). */
export async function sweepCartReminders(now = new Date()) {
  return reclaimStrandedReminders(now);
}

/** Deliveries due or claimed without a live job (app/messaging/stranded.server.ts). */
export async function sweepDeliveries(now = new Date()) {
  return reclaimStrandedDeliveries(now);
}

/** Broadcasts due or running without a live start or finish job (app/broadcasts/stranded.server.ts). */
export async function sweepBroadcasts(now = new Date()) {
  return reclaimStrandedBroadcasts(now);
}

/** Rich-menu syncs lost to a race or a Redis outage, and publishes whose job is gone (app/rich-menus/sweep.server.ts). */
export async function sweepRichMenus(now = new Date()) {
  return sweepRichMenuWork(now);
}

/** Received images: bytes past their time deleted, fetches never queued queued again (app/inbox/). */
export async function sweepMessageContent(now = new Date()) {
  const expired = await expireContent(now);
  const queued = await requeuePendingContent(now);
  return { found: expired + queued, expired, queued };
}

/** Queues what the web process stored while Redis was unavailable, and re-queues lost jobs. */
export async function sweepInboxes(now = new Date()) {
  const result = {
    webhooks: await sweepWebhookReceipts(now),
    lineEvents: await sweepLineEvents(now),
    postbacks: await sweepPostbacks(now),
    cartReminders: await sweepCartReminders(now),
    deliveries: await sweepDeliveries(now),
    broadcasts: await sweepBroadcasts(now),
    richMenus: await sweepRichMenus(now),
    messageContent: await sweepMessageContent(now),
    notifications: await reclaimStrandedNotifications(now),
  };
  if (Object.values(result).some((part) => part.found)) logger.info("swept inboxes", result);
  return result;
}
