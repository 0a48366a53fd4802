// orders/create: the order is stored; its checkout is purchased (no reminder goes out any more); and an order
// placed within the attribution window after a reminder was sent makes that reminder "recovered".
import { sql } from "../db.server";
import { PermanentError } from "../errors";
import { recordOrderChange } from "../customers/webhooks.server";
import { orderFromRest, type RestOrder } from "../customers/payloads";
import { friendsChanged } from "../friends/changes.server";
import { cancelReminders } from "./reminders.server";

/**
 * Stores the order with its customer's data (app/customers/webhooks.server.ts: figures of a linked customer), then
 * announces it to the customer's friends and marks its checkout purchased (reminders cancelled, recovery credited).
 */
export async function recordOrder(shop: string, raw: unknown) {
  const order = orderFromRest(raw as RestOrder);
  if (!order) throw new PermanentError("order payload has no id or created_at");
  const { orderId, processedAt } = order;
  const total = { amount: order.totalPrice, currency: order.currency };
  await recordOrderChange(shop, order);
  if (order.customerId) await announceOrder(shop, order.customerId, orderId, processedAt);
  if (!order.checkoutToken) return "stored";

  const [checkout] = await sql<{ id: string }>`
    UPDATE "Checkout" SET "purchasedAt" = COALESCE("purchasedAt", ${processedAt}::timestamp), "orderId" = ${orderId},
      "updatedAt" = ${new Date()}
    WHERE "shop" = ${shop} AND "token" = ${order.checkoutToken}
    RETURNING id`;
  if (!checkout) return "stored";
  await cancelReminders(checkout.id, "purchased");
  await attributeRecovery(checkout.id, orderId, total, processedAt);
  return "purchased";
}

/**
 * The order to the friends linked to its customer (step-scenario triggers and exits). Announced on every delivery
 * of the webhook: listeners key their work on the order id. `first` when no earlier order of the customer is stored.
 */
async function announceOrder(shop: string, customerId: string, orderId: string, processedAt: Date) {
  const friends = await sql<{ id: string }>`SELECT id FROM "Friend" WHERE shop = ${shop} AND "shopifyCustomerId" = ${customerId}`;
  if (!friends.length) return;
  const [earlier] = await sql`
    SELECT 1 FROM "Order" WHERE shop = ${shop} AND "customerId" = ${customerId} AND "orderId" <> ${orderId}
      AND "processedAt" <= ${processedAt} LIMIT 1`;
  await friendsChanged(shop, friends.map((f) => f.id), { type: "ordered", orderId, first: !earlier });
}

/** Reminders of the checkout sent before the order and within their account's attribution window (7 days without settings). */
async function attributeRecovery(checkoutId: string, orderId: string, revenue: { amount: string; currency: string }, orderedAt: Date) {
  await sql`
    UPDATE "CartReminder" r
    SET "recoveredAt" = ${orderedAt}, "recoveredOrderId" = ${orderId}, "recoveredRevenue" = ${revenue.amount}::numeric,
      "recoveredCurrency" = ${revenue.currency}, "updatedAt" = ${new Date()}
    WHERE r."checkoutId" = ${checkoutId} AND r.status = 'sent' AND r."recoveredAt" IS NULL
      AND r."sentAt" <= ${orderedAt}::timestamp
      AND ${orderedAt}::timestamp - r."sentAt" <= make_interval(days => COALESCE(
        (SELECT s."attributionDays" FROM "CartReminderSettings" s WHERE s."lineAccountId" = r."lineAccountId"), 7))`;
}
