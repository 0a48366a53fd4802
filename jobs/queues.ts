// The queues: names, payloads and default options. The web app only adds jobs through the functions here.
// Payloads carry row ids only: job data sits in Redis in clear text.
import { Queue, type JobsOptions } from "bullmq";
import { env } from "../app/env.server";
import { producerConnection, readyProducer } from "../app/redis.server";

export const QUEUE_NAMES = {
  shopifyWebhooks: "shopify-webhooks",
  lineEvents: "line-events",
  postbacks: "postbacks",
  cartReminders: "cart-reminders",
  maintenance: "maintenance",
  followerImports: "follower-imports",
  // One queue per LINE endpoint: a shop's broadcast (thousands of multicast jobs) never waits ahead of a push.
  pushDeliveries: "deliveries-push",
  multicastDeliveries: "deliveries-multicast",
  broadcasts: "broadcasts",
  scenarios: "scenarios",
  // Shopify customers of linked friends: imports, bulk imports, tag mirroring, the sweep of unlinked customers.
  // Its own queue: a shop's bulk import or a slow Admin API must not hold up the sweeper or anything else.
  customers: "customers",
  richMenus: "rich-menus",
  // Inbox work for LINE (fetching a received image, marking a chat read): never behind a broadcast's sends.
  inbox: "inbox",
  quotaChecks: "quota-checks",
  notifications: "notifications",
} as const;

export type ShopifyWebhookJob = { receiptId: string };
/** Events stored together (one webhook delivery, or several delivered at once) are processed by one job. */
export type LineEventJob = { eventIds: string[] };
export type PostbackJob = { deliveryId: string };
export type CartReminderJob = { reminderId: string };
export type MaintenanceJob =
  | { type: "sweep-inboxes" }
  | { type: "sync-shop"; shop: string }
  | { type: "tag-customer"; shop: string; customerId: string }
  | { type: "sync-collection"; shop: string; collectionId: string }
  | { type: "refresh-collections" }
  | { type: "reattribute-shop"; shop: string };
/** An import of followers, or the fetch of the missing profiles of an account's friends (app/friends/profiles.server.ts). */
export type FollowerImportJob = { importId: string } | { profilesOf: string };
export type DeliveryJob = { deliveryId: string };
export type CustomerJob =
  | { type: "import"; shop: string; customerId: string }
  /** operationId and customerIds are added by the job itself once the bulk operation started. */
  | { type: "bulk-import"; shop: string; operationId?: string; customerIds?: string[] }
  | { type: "sync-tags"; shop: string; customerId: string }
  | { type: "sweep" };
/** start: freeze the audience and queue its deliveries; finish: close the broadcast once every delivery ended. */
export type BroadcastJob = { broadcastId: string };
/** A tick of the step engine: due steps are read from PostgreSQL (ScenarioRun.nextDueAt), not carried by jobs. */
export type ScenarioJob = { type: "tick" };
/**
 * publish: a RichMenuVersion's steps (create, image, live, aliases, default, move friends, delete the old version);
 * sync: an account's friends whose menu is to be recomputed and linked, its default and aliases (coalesced per account).
 */
export type RichMenuJob = { type: "publish"; versionId: string } | { type: "sync"; accountId: string };
/** fetch-content: a received message's image/video/audio/file from LINE; mark-read: the friend's chat at LINE. */
export type InboxJob = { type: "fetch-content"; messageId: string } | { type: "mark-read"; friendId: string };
/** The daily 12:00 check of one account's monthly quota. */
export type QuotaCheckJob = { lineAccountId: string };
/** One notification row, or every pending new-message row of a staff channel due by `until` (a digest). */
export type NotificationJob = { notificationId: string } | { channelId: string; until: string };

const defaultJobOptions: JobsOptions = {
  attempts: 8,
  // 1 s, 2 s, 4 s … about 2 minutes in all, enough to ride out a database restart.
  backoff: { type: "exponential", delay: 1_000, jitter: 0.2 },
  // `age` only trims when another job finishes, so a count bounds memory on quiet queues too.
  removeOnComplete: { age: 3_600, count: 1_000 },
  // Failed jobs are kept longer for inspection; the durable record of the work is in PostgreSQL.
  removeOnFail: { age: 7 * 24 * 3_600, count: 10_000 },
};

const queues = new Map<string, Queue>();

function queue<T>(name: string): Queue<T> {
  let existing = queues.get(name);
  if (!existing) {
    existing = new Queue(name, { connection: producerConnection(), prefix: env.QUEUE_PREFIX, defaultJobOptions });
    existing.on("error", () => {}); // connection errors surface to the caller of add(); see redis.server.ts
    queues.set(name, existing);
  }
  return existing as Queue<T>;
}

export function shopifyWebhookQueue() {
  return queue<ShopifyWebhookJob>(QUEUE_NAMES.shopifyWebhooks);
}

export function lineEventQueue() {
  return queue<LineEventJob>(QUEUE_NAMES.lineEvents);
}

export function postbackQueue() {
  return queue<PostbackJob>(QUEUE_NAMES.postbacks);
}

export function cartReminderQueue() {
  return queue<CartReminderJob>(QUEUE_NAMES.cartReminders);
}

export function maintenanceQueue() {
  return queue<MaintenanceJob>(QUEUE_NAMES.maintenance);
}

export function followerImportQueue() {
  return queue<FollowerImportJob>(QUEUE_NAMES.followerImports);
}

export function deliveryQueue(channel: "push" | "multicast") {
  return queue<DeliveryJob>(channel === "push" ? QUEUE_NAMES.pushDeliveries : QUEUE_NAMES.multicastDeliveries);
}

export function customerQueue() {
  return queue<CustomerJob>(QUEUE_NAMES.customers);
}

export function broadcastQueue() {
  return queue<BroadcastJob>(QUEUE_NAMES.broadcasts);
}

export function scenarioQueue() {
  return queue<ScenarioJob>(QUEUE_NAMES.scenarios);
}

export function inboxQueue() {
  return queue<InboxJob>(QUEUE_NAMES.inbox);
}

export function quotaCheckQueue() {
  return queue<QuotaCheckJob>(QUEUE_NAMES.quotaChecks);
}

/** Job ids may not contain ":" (BullMQ); a repeat add while the job exists is a no-op. */
export async function enqueueShopifyWebhook(receiptId: string) {
  await readyProducer();
  await shopifyWebhookQueue().add("receipt", { receiptId }, { jobId: `receipt-${receiptId}` });
}

const LINE_EVENTS_PER_JOB = 50;

/** Jobs of up to 50 stored LINE events, in one round trip; a repeat add of the same batch is a no-op. */
export async function enqueueLineEvents(eventIds: string[]) {
  await readyProducer();
  const jobs = [];
  for (let start = 0; start < eventIds.length; start += LINE_EVENTS_PER_JOB) {
    const batch = eventIds.slice(start, start + LINE_EVENTS_PER_JOB);
    jobs.push({ name: "events", data: { eventIds: batch }, opts: { jobId: `events-${batch[0]}-${batch.length}` } });
  }
  await lineEventQueue().addBulk(jobs);
}

export async function enqueuePostback(deliveryId: string) {
  await readyProducer();
  await postbackQueue().add(
    "postback",
    { deliveryId },
    // The receiver may be down for a while: 6 tries over about 10 minutes.
    { jobId: `postback-${deliveryId}`, attempts: 6, backoff: { type: "exponential", delay: 10_000, jitter: 0.2 } },
  );
}

export const reminderJobId = (reminderId: string) => `reminder-${reminderId}`;

/**
 * One delayed job per reminder row, due when the reminder is; the fixed job id makes a repeat add a no-op (also
 * while BullMQ keeps the finished job: the sweeper removes such a job before it queues the reminder again).
 */
export async function enqueueCartReminder(reminderId: string, dueAt: Date) {
  await readyProducer();
  await cartReminderQueue().add(
    "reminder",
    { reminderId },
    {
      jobId: reminderJobId(reminderId),
      delay: Math.max(0, dueAt.getTime() - Date.now()),
      // 5xx and timeouts: retried with the same X-Line-Retry-Key, so LINE accepts the push once. After the last
      // attempt the worker marks the reminder failed (jobs/processors/cart-reminder.ts).
      attempts: 10,
      backoff: { type: "exponential", delay: 2_000, jitter: 0.2 },
    },
  );
}

export const deliveryJobId = (deliveryId: string) => `delivery-${deliveryId}`;

const deliveryJobOptions: JobsOptions = {
  // 5xx, timeouts: sent again with the same X-Line-Retry-Key (LINE takes it once), about 30 minutes in all. After the
  // last attempt the worker marks the delivery failed (jobs/processors/delivery.ts); a throttled job waits in
  // "delayed" without using up an attempt.
  attempts: 10,
  backoff: { type: "exponential", delay: 2_000, jitter: 0.2 },
};

/**
 * One job per delivery row, on its endpoint's queue, due when the row is; the fixed job id makes a repeat add a
 * no-op (the sweeper removes a finished job before it queues the row again). One round trip per queue.
 */
export async function enqueueDeliveries(rows: { id: string; channel: "push" | "multicast"; dueAt: Date }[]) {
  await readyProducer();
  const now = Date.now();
  for (const channel of ["push", "multicast"] as const) {
    const jobs = rows
      .filter((row) => row.channel === channel)
      .map((row) => ({
        name: channel,
        data: { deliveryId: row.id },
        opts: { ...deliveryJobOptions, jobId: deliveryJobId(row.id), delay: Math.max(0, row.dueAt.getTime() - now) },
      }));
    if (jobs.length) await deliveryQueue(channel).addBulk(jobs);
  }
}

/** Adds the "LINE" tag to a Shopify customer who linked, so merchants can build Shopify segments on it. */
export async function enqueueCustomerTag(shop: string, customerId: string) {
  await readyProducer();
  await maintenanceQueue().add(
    "tag-customer",
    { type: "tag-customer", shop, customerId },
    { deduplication: { id: `tag-customer-${shop}-${customerId}` }, attempts: 5 },
  );
}

/** Reads a collection's products for segment conditions (app/customers/collections.server.ts). */
export async function enqueueCollectionSync(shop: string, collectionId: string) {
  await readyProducer();
  await maintenanceQueue().add(
    "sync-collection",
    { type: "sync-collection", shop, collectionId },
    { deduplication: { id: `sync-collection-${shop}-${collectionId}` }, attempts: 5 },
  );
}

/** Attributes the shop's recent orders again after its attribution windows changed (app/customers/revenue.server.ts). */
export async function enqueueReattribution(shop: string) {
  await readyProducer();
  await maintenanceQueue().add("reattribute-shop", { type: "reattribute-shop", shop }, { deduplication: { id: `reattribute-${shop}` }, attempts: 3 });
}

export const COLLECTIONS_REFRESH_MS = 24 * 3_600_000;

export async function enqueueShopSync(shop: string) {
  await readyProducer();
  await maintenanceQueue().add(
    "sync-shop",
    { type: "sync-shop", shop },
    { deduplication: { id: `sync-shop-${shop}` }, attempts: 3 },
  );
}

/**
 * Imports an account's existing followers in the background; the FollowerImport row holds its progress. Its own
 * queue: an import of a large account takes minutes and must not hold up the sweeper or customer tagging.
 */
export async function enqueueFollowerImport(importId: string) {
  await readyProducer();
  await followerImportQueue().add(
    "import-followers",
    { importId },
    {
      jobId: `import-followers-${importId}`,
      // The run records every failure on its row and the merchant starts again; a retry would only repeat it.
      // A worker that dies mid-import is covered by BullMQ's stalled-job check (the import is safe to repeat).
      attempts: 1,
    },
  );
}

export const broadcastStartJobId = (broadcastId: string) => `broadcast-${broadcastId}`;
export const broadcastFinishJobId = (broadcastId: string) => `broadcast-finish-${broadcastId}`;

/**
 * The start of a broadcast, delayed until it is due. One job per broadcast (its id is the broadcast's), so a
 * repeat add is a no-op; rescheduling removes the waiting job first (unscheduleBroadcast).
 */
export async function enqueueBroadcastStart(broadcastId: string, dueAt: Date) {
  await readyProducer();
  await broadcastQueue().add(
    "start",
    { broadcastId },
    {
      jobId: broadcastStartJobId(broadcastId),
      delay: Math.max(0, dueAt.getTime() - Date.now()),
      // Planning is one statement that either happened or not (app/broadcasts/plan.server.ts): safe to retry.
      attempts: 5,
      backoff: { type: "exponential", delay: 2_000, jitter: 0.2 },
      // The finished job must not block a later add under the same id (a broadcast started again after a reschedule).
      removeOnComplete: true,
    },
  );
}

/** Removes the waiting start job; false when it is running (or gone), i.e. the broadcast is starting already. */
export async function unscheduleBroadcast(broadcastId: string): Promise<boolean> {
  await readyProducer();
  const job = await broadcastQueue().getJob(broadcastStartJobId(broadcastId));
  if (!job) return true;
  if (await job.isActive()) return false;
  await job.remove();
  return true;
}

/** Checks every few seconds whether the broadcast's deliveries have all ended, then closes it. */
export async function enqueueBroadcastFinish(broadcastId: string, delayMs = 2_000) {
  await readyProducer();
  await broadcastQueue().add(
    "finish",
    { broadcastId },
    // The processor re-delays the same job while deliveries are pending; many attempts, since each wait is one.
    { jobId: broadcastFinishJobId(broadcastId), delay: delayMs, attempts: 10, backoff: { type: "fixed", delay: 5_000 }, removeOnComplete: true },
  );
}

// A customer's jobs run one at a time (keepLastIfActive: a change while one runs queues exactly one more, with the
// latest data), so a link, a relink and an order never import the same customer twice at once.
const customerJobOptions: JobsOptions = {
  // The Admin API may be down or the shop's token revoked for a while: about 10 minutes of retries.
  attempts: 6,
  backoff: { type: "exponential", delay: 10_000, jitter: 0.2 },
};

/** Imports a linked customer and their orders (app/customers/import.server.ts). */
export async function enqueueCustomerImport(shop: string, customerId: string) {
  await readyProducer();
  await customerQueue().add(
    "import",
    { type: "import", shop, customerId },
    { ...customerJobOptions, deduplication: { id: `import-${shop}-${customerId}`, keepLastIfActive: true } },
  );
}

/** Imports every customer of the shop waiting for it in one bulk operation (app/customers/bulk-import.server.ts). */
export async function enqueueBulkImport(shop: string) {
  await readyProducer();
  await customerQueue().add(
    "bulk-import",
    { type: "bulk-import", shop },
    // The job waits for Shopify's operation by delaying itself; a delay is not an attempt.
    { ...customerJobOptions, attempts: 3, deduplication: { id: `bulk-import-${shop}`, keepLastIfActive: true } },
  );
}

/** Sets the mirrored "LINE:<tag>" tags of each customer to what their friends hold (app/customers/tag-mirror.server.ts). */
export async function enqueueTagSync(shop: string, customerIds: string[]) {
  if (!customerIds.length) return;
  await readyProducer();
  for (let start = 0; start < customerIds.length; start += 1_000) {
    await customerQueue().addBulk(
      customerIds.slice(start, start + 1_000).map((customerId) => ({
        name: "sync-tags",
        data: { type: "sync-tags" as const, shop, customerId },
        opts: { ...customerJobOptions, deduplication: { id: `sync-tags-${shop}-${customerId}`, keepLastIfActive: true } },
      })),
    );
  }
}

// Customers no friend references any more are deleted hourly (and at once on customers/delete and redact).
const CUSTOMER_SWEEP_MS = 3_600_000;

export function richMenuQueue() {
  return queue<RichMenuJob>(QUEUE_NAMES.richMenus);
}

export const richMenuSyncKey = (accountId: string) => `richmenu-sync-${accountId}`;

/** Ends the coalescing of the account's sync: a change marked from now on queues a new job. */
export async function releaseRichMenuSync(accountId: string) {
  await readyProducer();
  await richMenuQueue().removeDeduplicationKey(richMenuSyncKey(accountId));
}

export const richMenuPublishJobId = (versionId: string) => `richmenu-publish-${versionId}`;

/** One job per version (a repeat add is a no-op); it waits for LINE's hourly limits by delaying itself. */
export async function enqueueRichMenuPublish(versionId: string, delayMs = 0) {
  await readyProducer();
  await richMenuQueue().add(
    "publish",
    { type: "publish", versionId },
    {
      jobId: richMenuPublishJobId(versionId),
      delay: delayMs,
      // Every step is recorded on the version before the next one starts: a retry resumes where it stopped.
      attempts: 20,
      backoff: { type: "exponential", delay: 2_000, jitter: 0.2 },
      removeOnComplete: true,
    },
  );
}

/**
 * The account's sync, coalesced: while one is waiting, more changes join it (their friends are marked dirty in
 * the database, and the job reads them all). The sweeper queues it again for friends marked while one was finishing.
 */
export async function enqueueRichMenuSync(accountId: string, delayMs = 100) {
  await readyProducer();
  await richMenuQueue().add(
    "sync",
    { type: "sync", accountId },
    {
      deduplication: { id: richMenuSyncKey(accountId) },
      delay: delayMs,
      attempts: 10,
      backoff: { type: "exponential", delay: 1_000, jitter: 0.2 },
      removeOnComplete: true,
    },
  );
}

/** One job per received media message; the fixed id makes a redelivered event's add a no-op. */
export async function enqueueContentFetch(messageId: string) {
  await readyProducer();
  await inboxQueue().add(
    "fetch-content",
    { type: "fetch-content", messageId },
    // LINE's 5xx and timeouts: tried again for about 15 minutes; a 404 (gone) ends at once (PermanentError).
    { jobId: `content-${messageId}`, attempts: 8, backoff: { type: "exponential", delay: 5_000, jitter: 0.2 }, removeOnComplete: true },
  );
}

/** Marks the friend's chat read at LINE; adds while one is waiting merge into it (it reads the latest token). */
export async function enqueueMarkRead(friendId: string) {
  await readyProducer();
  await inboxQueue().add("mark-read", { type: "mark-read", friendId }, { deduplication: { id: `mark-read-${friendId}` }, attempts: 5 });
}

export const quotaSchedulerId = (lineAccountId: string) => `quota-check-${lineAccountId}`;

/**
 * Every day at 12:00 in the shop's time zone, one job per account (BullMQ job scheduler: upsert is idempotent, so
 * every worker and every account save may call it; a time-zone change replaces the pattern's zone).
 */
export async function scheduleQuotaCheck(lineAccountId: string, timeZone: string) {
  await readyProducer();
  await quotaCheckQueue().upsertJobScheduler(
    quotaSchedulerId(lineAccountId),
    { pattern: "0 0 12 * * *", tz: timeZone },
    // A LINE outage at noon: tried again for about an hour; the day's row keeps the check to once a day.
    { name: "quota-check", data: { lineAccountId }, opts: { attempts: 6, backoff: { type: "exponential", delay: 60_000 }, removeOnFail: 1_000 } },
  );
}

export async function unscheduleQuotaCheck(lineAccountId: string) {
  await readyProducer();
  await quotaCheckQueue().removeJobScheduler(quotaSchedulerId(lineAccountId));
}

export function notificationQueue() {
  return queue<NotificationJob>(QUEUE_NAMES.notifications);
}

export const notificationJobId = (notificationId: string) => `notification-${notificationId}`;

// Mail servers, Chatwork and Slack may be away for a while: 8 tries over about 20 minutes. After the last one the
// worker marks the row failed with its reason (jobs/processors/notification.ts).
const notificationJobOptions: JobsOptions = { attempts: 8, backoff: { type: "exponential", delay: 5_000, jitter: 0.2 } };

/** One job per notification row; the fixed job id makes a repeat add (the sweeper's) a no-op. */
export async function enqueueNotifications(notificationIds: string[]) {
  if (!notificationIds.length) return;
  await readyProducer();
  await notificationQueue().addBulk(
    notificationIds.map((notificationId) => ({
      name: "send",
      data: { notificationId },
      opts: { ...notificationJobOptions, jobId: notificationJobId(notificationId) },
    })),
  );
}

/** One delayed job per staff channel and digest window: every new message of the window adds the same job. */
export async function enqueueNotificationDigest(channelId: string, until: Date) {
  await readyProducer();
  await notificationQueue().add(
    "digest",
    { channelId, until: until.toISOString() },
    { ...notificationJobOptions, jobId: `notification-digest-${channelId}-${until.getTime()}`, delay: Math.max(0, until.getTime() - Date.now()) },
  );
}

export const SWEEP_INTERVAL_MS = 15_000;
/** How often the step engine looks for due steps: a step goes out at most this long after it is due (plus the send). */
export const SCENARIO_TICK_MS = 2_000;

/** Idempotent by scheduler id, so every worker may call it at boot. */
export async function scheduleMaintenance() {
  await maintenanceQueue().upsertJobScheduler(
    "sweep-inboxes",
    { every: SWEEP_INTERVAL_MS },
    { name: "sweep-inboxes", data: { type: "sweep-inboxes" }, opts: { attempts: 1 } },
  );
  await scenarioQueue().upsertJobScheduler(
    "scenario-tick",
    { every: SCENARIO_TICK_MS },
    // A failed tick is not retried: the next one, 2 s later, claims the same due runs.
    { name: "tick", data: { type: "tick" }, opts: { attempts: 1, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
  );
  await customerQueue().upsertJobScheduler(
    "customers-sweep",
    { every: CUSTOMER_SWEEP_MS },
    { name: "sweep", data: { type: "sweep" }, opts: { attempts: 1 } },
  );
  // Collections named by segments: their products are read again every day.
  await maintenanceQueue().upsertJobScheduler(
    "refresh-collections",
    { every: COLLECTIONS_REFRESH_MS },
    { name: "refresh-collections", data: { type: "refresh-collections" }, opts: { attempts: 1 } },
  );
}

export async function closeQueues() {
  await Promise.all([...queues.values()].map((q) => q.close().catch(() => {})));
  queues.clear();
}

/**
 * Fetches the missing profiles of an account's friends (imported followers). One waiting or running fetch per
 * account: a second click while one is queued adds nothing. Retried with backoff after a rate limit or an outage.
 */
export async function enqueueProfileFetch(lineAccountId: string) {
  await readyProducer();
  await followerImportQueue().add(
    "fetch-profiles",
    { profilesOf: lineAccountId },
    { deduplication: { id: `fetch-profiles-${lineAccountId}` }, attempts: 5, backoff: { type: "exponential", delay: 30_000, jitter: 0.2 } },
  );
}
