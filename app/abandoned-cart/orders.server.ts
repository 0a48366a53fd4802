// orders/create: the order is stored; its checkout is purchased (no reminder goes out any more); and an order
// placed within the attribution window after a reminder was sent makes that reminder "recovered".
import { sql } from "../db.server";
import { PermanentError } from "../errors";
import { recordOrderChange } from "../customers/webhooks.server";
import { orderFromRest, type RestOrder } from "../customers/payloads";
import { friendsChanged } from "../friends/changes.server";
import { attributeOrder } from "../customers/attribution.server";
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

/**
 * The order's attribution (app/customers/attribution.server.ts): a reminder of this checkout clicked or sent before
 * the order, within the windows, is its last touch; the reminder's recovered figures follow the attribution row.
 */
async function attributeRecovery(checkoutId: string, orderId: string, _revenue: { amount: string; currency: string }, _orderedAt: Date) {
  const [order] = await sql<{ id: string; shop: string }>`
    SELECT o.id, o.shop FROM "Checkout" c JOIN "Order" o ON o.shop = c.shop AND o."orderId" = ${orderId}
    WHERE c.id = ${checkoutId}`;
  if (order) await attributeOrder(order.shop, order.id);
}
