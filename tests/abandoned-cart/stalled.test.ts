// A cart-reminder job that BullMQ fails because its lock lapsed twice (a worker killed, then a worker too busy to
// renew its locks) got no answer from LINE: the reminder is not marked failed, and the sweeper queues it again.
import { UnrecoverableError, type Job } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { reclaimStrandedReminders } from "~/abandoned-cart/reminders.server";
import { db } from "~/db.server";
import { recordCartReminderFailure } from "../../jobs/processors/cart-reminder";
import { cartReminderQueue, type CartReminderJob } from "../../jobs/queues";
import { createFriend, createLineAccount, createShop } from "../support/factories";

afterEach(async () => {
  await cartReminderQueue().obliterate({ force: true });
});

async function sendingReminder() {
  const { shop } = await createShop(db);
  const account = await createLineAccount(db, shop);
  const friend = await createFriend(db, account);
  const checkout = await db.checkout.create({
    data: { shop, token: `stalled-${friend.id}`, currency: "JPY", totalPrice: "1200", lineItems: [], startedAt: new Date(), shopifyUpdatedAt: new Date() },
  });
  // A worker claimed it a minute ago and died.
  const claimed = new Date(Date.now() - 60_000);
  const reminder = await db.cartReminder.create({
    data: { shop, lineAccountId: account.id, checkoutId: checkout.id, friendId: friend.id, matchedBy: "cart", status: "sending", dueAt: claimed, claimedAt: claimed, retryKey: `rk-${friend.id}`, lineUserId: friend.lineUserId },
  });
  await db.$executeRaw`UPDATE "CartReminder" SET "updatedAt" = ${claimed} WHERE id = ${reminder.id}`;
  const job = { data: { reminderId: reminder.id }, finishedOn: Date.now(), attemptsMade: 1 } as unknown as Job<CartReminderJob>;
  return { reminder, job };
}

describe("a cart-reminder job failed by BullMQ", () => {
  it("for stalling: the reminder is left for the sweeper, which queues it again", async () => {
    const { reminder, job } = await sendingReminder();
    await recordCartReminderFailure(job, new UnrecoverableError("job stalled more than allowable limit"));
    expect(await db.cartReminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ status: "sending", error: null });
    expect(await reclaimStrandedReminders(new Date(), 30_000)).toMatchObject({ found: 1, queued: 1 });
  });

  it("for its own error after its attempts: the reminder is failed with the reason", async () => {
    const { reminder, job } = await sendingReminder();
    await recordCartReminderFailure(job, new Error("socket hang up"));
    expect(await db.cartReminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ status: "failed" });
  });
});
