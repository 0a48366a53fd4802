// Scheduling and cancelling reminders. The (account, checkout) row is unique, so however many times a
// checkout is created or updated, at most one reminder job exists for it per account.
import { randomUUID } from "node:crypto";
import type { Checkout } from "@prisma/client";
import { cartReminderQueue, enqueueCartReminder } from "../../jobs/queues";
import { sql } from "../db.server";
import { logger } from "../logger.server";
import { retryKeyFor } from "../line/send.server";
import { findFriendsForCheckout } from "../storefront/match-checkout.server";

export const reminderJobId = (reminderId: string) => `reminder-${reminderId}`;

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
