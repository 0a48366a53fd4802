// Scheduling and cancelling reminders. The (account, checkout) row is unique, so however many times a
// checkout is created or updated, at most one reminder job exists for it per account.
import { randomUUID } from "node:crypto";
import type { Checkout } from "@prisma/client";
import { cartReminderQueue, enqueueCartReminder, reminderJobId } from "../../jobs/queues";
import { db, sql } from "../db.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { readyProducer } from "../redis.server";
import { retryKeyFor } from "../messaging/retry-key";
import { findFriendsForCheckout } from "../storefront/match-checkout.server";
import { markUnknown, RETRY_KEY_WINDOW_MS } from "./send.server";

export { reminderJobId };

// Raw SQL: this runs for every checkouts/* delivery, where each Prisma call costs ~0.7 ms of CPU in its client
// engine (tests/bench/README.md). Ids are UUIDs made here.

/** Of the accounts a friend matched in, those connected with cart reminders on, with their delay. */
function sendingAccounts(lineAccountIds: string[]) {
  return sql<{ id: string; delayMinutes: number }>`
    SELECT a.id, s."delayMinutes"
    FROM "LineAccount" a JOIN "CartReminderSettings" s ON s."lineAccountId" = a.id
    WHERE a.id = ANY(${lineAccountIds}) AND a.status = 'connected' AND s.enabled`;
}

export async function scheduleReminders(checkout: Checkout) {
  // Most checkouts belong to no LINE friend: for them the match is the only statement.
  const matches = await findFriendsForCheckout(checkout.shop, { cart_token: checkout.cartToken, customer: { id: checkout.customerId } });
  if (!matches.length) return 0;
  const accounts = await sendingAccounts(matches.map((match) => match.lineAccountId));
  let scheduled = 0;
  for (const account of accounts) {
    const match = matches.find((candidate) => candidate.lineAccountId === account.id)!;
    const dueAt = new Date(checkout.startedAt.getTime() + account.delayMinutes * 60_000);
    const now = new Date();
    const [created] = await sql<{ id: string }>`
      INSERT INTO "CartReminder" ("id", "shop", "lineAccountId", "checkoutId", "friendId", "matchedBy", "dueAt", "retryKey",
                                  "createdAt", "updatedAt")
      VALUES (${randomUUID()}, ${checkout.shop}, ${account.id}, ${checkout.id}, ${match.friend.id}, ${match.by}, ${dueAt},
              ${retryKeyFor(`cart-reminder:${account.id}:${checkout.id}`)}, ${now}, ${now})
      ON CONFLICT DO NOTHING
      RETURNING "id"`;
    if (!created) continue; // already scheduled by an earlier create/update
    // An order or completion handled at the same moment may have looked for reminders before this row existed:
    // whichever of the two writes second sees the other, so a purchased checkout never keeps a reminder. (A
    // statement of its own: one joined to the insert would read the checkout as of before the insert.)
    const [current] = await sql<{ purchasedAt: Date | null }>`SELECT "purchasedAt" FROM "Checkout" WHERE id = ${checkout.id}`;
    if (!current || current.purchasedAt) {
      await cancelReminders(checkout.id, "purchased");
      continue;
    }
    scheduled += 1;
    // Redis down: the row stays "scheduled" with no job; the sweeper queues due rows without one.
    await enqueueCartReminder(created.id, dueAt).catch((error: Error) =>
      logger.warn("cart reminder not queued; the sweeper will retry", { reminderId: created.id, error: error.message }),
    );
  }
  return scheduled;
}

/** A purchase or a merchant turning reminders off: scheduled reminders are cancelled and their jobs removed. */
export async function cancelReminders(checkoutId: string, reason: string) {
  return cancel(await sql<{ id: string }>`
    UPDATE "CartReminder" SET status = 'cancelled', "skipReason" = ${reason}, "updatedAt" = ${new Date()}
    WHERE "checkoutId" = ${checkoutId} AND status = 'scheduled'
    RETURNING id`);
}

export async function cancelAccountReminders(shop: string, lineAccountId: string, reason: string) {
  return cancel(await sql<{ id: string }>`
    UPDATE "CartReminder" SET status = 'cancelled', "skipReason" = ${reason}, "updatedAt" = ${new Date()}
    WHERE "lineAccountId" = ${lineAccountId} AND shop = ${shop} AND status = 'scheduled'
    RETURNING id`);
}

async function cancel(cancelled: { id: string }[]) {
  // A job already running re-checks everything before it sends, so a failed removal is harmless.
  await Promise.all(cancelled.map(({ id }) => cartReminderQueue().remove(reminderJobId(id)).catch(() => 0)));
  return cancelled.length;
}

// A due reminder's job should have started within this; the sweeper looks at those still waiting after it.
const NOT_QUEUED_GRACE_MS = 60_000;
const RECLAIM_BATCH = 500;
const LIVE_JOB_STATES = new Set(["waiting", "delayed", "active", "prioritized", "waiting-children"]);

/**
 * Reminders that should be moving but have no live job: due and still scheduled (not queued while Redis was down,
 * or the job was lost), or claimed ("sending") and untouched for longer than a job's lock (the job failed for good
 * without recording it, or was lost). Each is queued again; BullMQ keeps a finished job's id for days and ignores an
 * add under it, so that job is removed first. A claim older than the retry key's window is not sent again: its
 * outcome is unknown.
 */
export async function reclaimStrandedReminders(now = new Date(), lockMs = env.WORKER_LOCK_DURATION_MS) {
  const reminders = await db.cartReminder.findMany({
    where: {
      OR: [
        { status: "scheduled", dueAt: { lt: new Date(now.getTime() - NOT_QUEUED_GRACE_MS) } },
        { status: "sending", updatedAt: { lt: new Date(now.getTime() - lockMs) } },
      ],
    },
    select: { id: true, status: true, dueAt: true, claimedAt: true },
    orderBy: { dueAt: "asc" },
    take: RECLAIM_BATCH,
  });
  const result = { found: reminders.length, queued: 0, unknown: 0 };
  if (!reminders.length) return result;
  try {
    await readyProducer();
  } catch (error) {
    logger.warn("cart reminders not reclaimed while Redis is unavailable", { error: (error as Error).message });
    return result;
  }
  for (const reminder of reminders) {
    try {
      const jobId = reminderJobId(reminder.id);
      const state = await cartReminderQueue().getJobState(jobId);
      if (LIVE_JOB_STATES.has(state)) continue;
      const claimedAt = reminder.claimedAt?.getTime() ?? 0;
      if (reminder.status === "sending" && now.getTime() - claimedAt > RETRY_KEY_WINDOW_MS) {
        await markUnknown(reminder.id);
        result.unknown += 1;
        continue;
      }
      if (state !== "unknown") await cartReminderQueue().remove(jobId);
      await enqueueCartReminder(reminder.id, reminder.dueAt);
      result.queued += 1;
    } catch (error) {
      logger.warn("cart reminder not reclaimed; the next sweep retries", { reminderId: reminder.id, error: (error as Error).message });
    }
  }
  return result;
}
