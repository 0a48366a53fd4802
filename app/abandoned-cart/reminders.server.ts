// Scheduling and cancelling reminders. The (account, checkout) row is unique, so however many times a
// checkout is created or updated, at most one reminder job exists for it per account.
import { randomUUID } from "node:crypto";
import type { Checkout } from "@prisma/client";
import { cartReminderQueue, enqueueCartReminder } from "../../jobs/queues";
import { sql } from "../db.server";
import { logger } from "../logger.server";
import { retryKeyFor } from "../line/send.server";
import { findFriendForCheckout } from "../storefront/match-checkout.server";

export const reminderJobId = (reminderId: string) => `reminder-${reminderId}`;

// Raw SQL: this runs for every checkouts/* delivery, where each Prisma call costs ~0.7 ms of CPU in its client
// engine (tests/bench/README.md). Ids are UUIDs made here.

/**
 * The connected accounts with cart reminders on that could have a friend for this checkout: a cart link for its
 * cart token or a friend with its customer id, the two ways findFriendForCheckout matches (which still decides).
 * Most checkouts belong to no LINE friend, and for them this one statement is all.
 */
async function candidateAccounts(checkout: Checkout) {
  return sql<{ id: string; delayMinutes: number }>`
    SELECT a.id, s."delayMinutes"
    FROM "LineAccount" a JOIN "CartReminderSettings" s ON s."lineAccountId" = a.id
    WHERE a.shop = ${checkout.shop} AND a.status = 'connected' AND s.enabled
      AND (EXISTS (SELECT 1 FROM "CartLink" l
                   WHERE l.shop = a.shop AND l."lineAccountId" = a.id AND l."cartToken" = ${checkout.cartToken})
           OR EXISTS (SELECT 1 FROM "Friend" f
                      WHERE f.shop = a.shop AND f."lineAccountId" = a.id AND f."shopifyCustomerId" = ${checkout.customerId}))`;
}

export async function scheduleReminders(checkout: Checkout) {
  const accounts = await candidateAccounts(checkout);
  let scheduled = 0;
  for (const account of accounts) {
    const match = await findFriendForCheckout(checkout.shop, { cart_token: checkout.cartToken, customer: { id: checkout.customerId } }, account.id);
    if (!match) continue;
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

export async function cancelAccountReminders(lineAccountId: string, reason: string) {
  return cancel(await sql<{ id: string }>`
    UPDATE "CartReminder" SET status = 'cancelled', "skipReason" = ${reason}, "updatedAt" = ${new Date()}
    WHERE "lineAccountId" = ${lineAccountId} AND status = 'scheduled'
    RETURNING id`);
}

async function cancel(cancelled: { id: string }[]) {
  // A job already running re-checks everything before it sends, so a failed removal is harmless.
  await Promise.all(cancelled.map(({ id }) => cartReminderQueue().remove(reminderJobId(id)).catch(() => 0)));
  return cancelled.length;
}
