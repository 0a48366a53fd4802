// The worker process: every queue's processor in one process. Run as many copies as needed.
import { Worker, type Job, type Processor } from "bullmq";
import { db } from "../app/db.server";
import { env } from "../app/env.server";
import { errorFields, logger } from "../app/logger.server";
import { closeRedis, producerConnection, workerConnection } from "../app/redis.server";
import { processBroadcast } from "./processors/broadcast";
import { processCustomerJob } from "./processors/customer";
import { processCartReminder, recordCartReminderFailure } from "./processors/cart-reminder";
import { processDelivery, recordDeliveryFailure } from "./processors/delivery";
import { processLineEvents, recordLineEventFailure } from "./processors/line-event";
import { processFollowerImport } from "./processors/follower-import";
import { processInbox, recordInboxFailure } from "./processors/inbox";
import { processQuotaCheck } from "./processors/quota-check";
import { processMaintenance } from "./processors/maintenance";
import { processNotification, recordNotificationJobFailure } from "./processors/notification";
import { processPostback, recordPostbackFailure } from "./processors/postback";
import { processScenarioTick } from "./processors/scenarios";
import { processRichMenu } from "./processors/rich-menu";
import { processShopifyWebhook, recordWebhookFailure } from "./processors/shopify-webhook";
import { scheduleAllQuotaChecks } from "../app/quota/daily-check.server";
import { closeQueues, QUEUE_NAMES, scheduleMaintenance } from "./queues";

type Definition = {
  queue: string;
  processor: Processor;
  concurrency: number;
  onFailed?: (job: Job | undefined, error: Error) => Promise<void>;
  /** Times a job may be found stalled (its worker died) before it fails; BullMQ's default is 1. */
  maxStalledCount?: number;
};

// Sends are limited per LINE channel and endpoint (app/messaging/budget.server.ts), not per queue: one merchant's
// burst or 429 must not hold up the others. Push and multicast have queues of their own, so a broadcast's backlog
// never waits ahead of a push.
// Cart reminder jobs are sent in batches of the jobs a worker holds at once (jobs/processors/cart-reminder.ts), so
// this many may be active together: a held job costs a lock in Redis and a waiting promise, no CPU.
const CART_REMINDERS_AT_ONCE = 400;
const PUSHES_AT_ONCE = 400;

const definitions: Definition[] = [
  {
    queue: QUEUE_NAMES.shopifyWebhooks,
    processor: processShopifyWebhook,
    concurrency: env.WORKER_CONCURRENCY,
    onFailed: recordWebhookFailure,
  },
  {
    queue: QUEUE_NAMES.lineEvents,
    processor: processLineEvents,
    concurrency: env.WORKER_CONCURRENCY,
    onFailed: recordLineEventFailure,
  },
  {
    queue: QUEUE_NAMES.cartReminders,
    processor: processCartReminder,
    concurrency: CART_REMINDERS_AT_ONCE,
    onFailed: recordCartReminderFailure,
  },
  {
    // Pushes are sent in batches of the jobs a worker holds at once (jobs/processors/delivery.ts), like cart
    // reminders: a due burst of step messages needs hundreds in flight to reach a channel's push budget.
    queue: QUEUE_NAMES.pushDeliveries,
    processor: processDelivery,
    concurrency: Math.max(env.WORKER_CONCURRENCY, PUSHES_AT_ONCE),
    onFailed: recordDeliveryFailure,
  },
  {
    queue: QUEUE_NAMES.multicastDeliveries,
    processor: processDelivery,
    concurrency: env.WORKER_CONCURRENCY,
    onFailed: recordDeliveryFailure,
  },
  { queue: QUEUE_NAMES.postbacks, processor: processPostback, concurrency: 10, onFailed: recordPostbackFailure },
  { queue: QUEUE_NAMES.maintenance, processor: processMaintenance, concurrency: 2 },
  { queue: QUEUE_NAMES.followerImports, processor: processFollowerImport, concurrency: 2 },
  // Planning is one heavy statement per broadcast; the sends themselves run in the delivery queue.
  { queue: QUEUE_NAMES.broadcasts, processor: processBroadcast, concurrency: 2 },
  // One tick at a time per worker; ticks of several workers share the due runs (FOR UPDATE SKIP LOCKED).
  { queue: QUEUE_NAMES.scenarios, processor: processScenarioTick, concurrency: 1 },
  // Admin API calls: each shop's query cost bucket, not our CPU, limits them (app/customers/admin-api.server.ts).
  { queue: QUEUE_NAMES.customers, processor: processCustomerJob, concurrency: 5 },
  // Publishes wait for LINE's hourly limits by delaying themselves; syncs are one job per account at a time.
  // A publish resumes from its recorded step, so a job whose worker died is always safe to take up again.
  { queue: QUEUE_NAMES.richMenus, processor: processRichMenu, concurrency: 4, maxStalledCount: 20 },
  { queue: QUEUE_NAMES.inbox, processor: processInbox, concurrency: 5, onFailed: recordInboxFailure },
  { queue: QUEUE_NAMES.quotaChecks, processor: processQuotaCheck, concurrency: 2 },
  // Staff notifications: a few at once, each waits on a mail server or an HTTP API.
  { queue: QUEUE_NAMES.notifications, processor: processNotification, concurrency: 5, onFailed: recordNotificationJobFailure },
];

// Errors of a Redis connection that is down or dropped; every worker and its blocking connection report each
// reconnect attempt (about 21 a second in all), so the outage is logged once instead.
const CONNECTION_ERRORS = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);
const isConnectionError = (error: Error) =>
  CONNECTION_ERRORS.has((error as NodeJS.ErrnoException).code ?? "") || /Connection is closed|Stream isn't writeable/.test(error.message);

const MISSING_LOCK = /^Missing lock for job /;

/** Logs a Redis outage when the first connection error arrives and its end when the connection is ready again. */
function redisOutage() {
  let down = false;
  let endedAt = 0;
  return {
    /** Within an outage or the minute after it: a Redis that restarted may have lost the jobs' locks. */
    recent() {
      return down || Date.now() - endedAt < 60_000;
    },
    failed(error: Error) {
      if (down) return;
      down = true;
      logger.error("redis unavailable; workers wait for it", errorFields(error));
    },
    over() {
      if (!down) return;
      down = false;
      endedAt = Date.now();
      logger.info("redis available again");
    },
  };
}

export async function startWorkers() {
  const outage = redisOutage();
  const workers = definitions.map((definition) => {
    const worker = new Worker(definition.queue, definition.processor, {
      connection: workerConnection(),
      prefix: env.QUEUE_PREFIX,
      concurrency: definition.concurrency,
      // How soon a job of a killed worker is taken up again by another one.
      lockDuration: env.WORKER_LOCK_DURATION_MS,
      stalledInterval: env.WORKER_STALLED_INTERVAL_MS,
      ...(definition.maxStalledCount ? { maxStalledCount: definition.maxStalledCount } : {}),
    });
    worker.on("error", (error) => {
      if (isConnectionError(error)) outage.failed(error);
      // A job that ran across an outage finds its lock gone when it finishes (Redis may have restarted empty): part
      // of the outage already logged; BullMQ takes the job up again as stalled, and every job is idempotent.
      else if (MISSING_LOCK.test(error.message) && outage.recent()) logger.debug("job lock lost in the outage", { queue: definition.queue, ...errorFields(error) });
      else logger.error("worker error", { queue: definition.queue, ...errorFields(error) });
    });
    worker.on("failed", (job, error) => {
      logger.warn("job failed", { queue: definition.queue, jobId: job?.id, attempts: job?.attemptsMade, ...errorFields(error) });
      definition.onFailed?.(job, error).catch((failure) =>
        logger.error("could not record job failure", { jobId: job?.id, ...errorFields(failure) }),
      );
    });
    return worker;
  });
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));
  await scheduleMaintenance();
  await scheduleAllQuotaChecks().catch((error) => logger.warn("could not schedule quota checks", errorFields(error)));
  // A Redis that restarts empty loses the schedulers too; put them back on every reconnect.
  producerConnection().on("ready", () => {
    outage.over();
    scheduleMaintenance().catch((error) => logger.warn("could not restore schedulers", errorFields(error)));
    scheduleAllQuotaChecks().catch((error) => logger.warn("could not restore quota schedulers", errorFields(error)));
  });
  return workers;
}

/** Stops taking jobs, lets running ones finish until the deadline, then forces the exit. */
export async function stopWorkers(workers: Worker[], deadlineMs = env.SHUTDOWN_DEADLINE_MS) {
  const deadline = setTimeout(() => {
    logger.error("shutdown deadline passed; exiting with jobs still running", { deadlineMs });
    process.exit(1);
  }, deadlineMs);
  deadline.unref();
  await Promise.all(workers.map((worker) => worker.close()));
  await closeQueues();
  await closeRedis();
  await db.$disconnect();
  clearTimeout(deadline);
}

async function main() {
  const workers = await startWorkers();
  logger.info("worker ready", { queues: definitions.map((d) => d.queue), pid: process.pid });
  let stopping = false;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      logger.info("worker stopping", { signal });
      stopWorkers(workers).then(() => process.exit(0));
    });
  }
  process.on("unhandledRejection", (reason) => logger.error("unhandled rejection", errorFields(reason)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    logger.error("worker failed to start", errorFields(error));
    process.exit(1);
  });
}
