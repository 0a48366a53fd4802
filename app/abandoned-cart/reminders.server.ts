// Scheduling and cancelling reminders. The (account, checkout) row is unique, so however many times a
// checkout is created or updated, at most one reminder job exists for it per account.
import type { Checkout } from "@prisma/client";
import { cartReminderQueue, enqueueCartReminder } from "../../jobs/queues";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { retryKeyFor } from "../line/send.server";
import { findFriendForCheckout } from "../storefront/match-checkout.server";

export const reminderJobId = (reminderId: string) => `reminder-${reminderId}`;

export async function scheduleReminders(checkout: Checkout) {
  const accounts = await db.lineAccount.findMany({
    where: { shop: checkout.shop, status: "connected", cartReminder: { enabled: true } },
    include: { cartReminder: true },
  });
  let scheduled = 0;
  for (const account of accounts) {
    const match = await findFriendForCheckout(checkout.shop, { cart_token: checkout.cartToken, customer: { id: checkout.customerId } }, account.id);
    if (!match) continue;
    const dueAt = new Date(checkout.startedAt.getTime() + account.cartReminder!.delayMinutes * 60_000);
    const [created] = await db.cartReminder.createManyAndReturn({
      data: [{
        shop: checkout.shop,
        lineAccountId: account.id,
        checkoutId: checkout.id,
        friendId: match.friend.id,
        matchedBy: match.by,
        dueAt,
        retryKey: retryKeyFor(`cart-reminder:${account.id}:${checkout.id}`),
      }],
      skipDuplicates: true,
    });
    if (!created) continue; // already scheduled by an earlier create/update
    // An order or completion handled at the same moment may have looked for reminders before this row existed:
    // whichever of the two writes second sees the other, so a purchased checkout never keeps a reminder.
    const current = await db.checkout.findUniqueOrThrow({ where: { id: checkout.id }, select: { purchasedAt: true } });
    if (current.purchasedAt) {
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
  const pending = await db.cartReminder.findMany({ where: { checkoutId, status: "scheduled" }, select: { id: true } });
  return cancel(pending.map((r) => r.id), reason);
}

export async function cancelAccountReminders(lineAccountId: string, reason: string) {
  const pending = await db.cartReminder.findMany({ where: { lineAccountId, status: "scheduled" }, select: { id: true } });
  return cancel(pending.map((r) => r.id), reason);
}

async function cancel(ids: string[], reason: string) {
  if (!ids.length) return 0;
  await db.cartReminder.updateMany({ where: { id: { in: ids }, status: "scheduled" }, data: { status: "cancelled", skipReason: reason } });
  // A job already running re-checks everything before it sends, so a failed removal is harmless.
  await Promise.all(ids.map((id) => cartReminderQueue().remove(reminderJobId(id)).catch(() => 0)));
  return ids.length;
}
