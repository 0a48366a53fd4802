// orders/create: the order is stored; its checkout is purchased (no reminder goes out any more); and an order
// placed within the attribution window after a reminder was sent makes that reminder "recovered".
import { randomUUID } from "node:crypto";
import { sql } from "../db.server";
import { PermanentError } from "../errors";
import { friendsChanged } from "../friends/changes.server";
import { attributeOrder } from "../customers/attribution.server";
import { cancelReminders } from "./reminders.server";

type Money = { amount?: string | number; currency_code?: string };

type OrderPayload = {
  id?: number | string;
  name?: string;
  customer?: { id?: number | string | null } | null;
  checkout_token?: string | null;
  cart_token?: string | null;
  currency?: string;
  presentment_currency?: string;
  total_price?: string | number;
  current_total_price?: string | number;
  total_price_set?: { shop_money?: Money; presentment_money?: Money } | null;
  processed_at?: string | null;
  created_at?: string;
};

// Raw SQL, as for checkouts (checkouts.server.ts): every orders/create delivery runs these.

/**
 * The total as the shopper paid it: `total_price_set.presentment_money`. Without it, `total_price` is in the shop's
 * currency (`currency`), so it is labelled with that and not with `presentment_currency`.
 */
function orderTotal(payload: OrderPayload): { amount: string; currency: string } {
  const paid = payload.total_price_set?.presentment_money;
  if (paid?.amount !== undefined && paid.currency_code) return { amount: String(paid.amount), currency: paid.currency_code };
  return {
    amount: String(payload.total_price ?? payload.current_total_price ?? "0"),
    currency: payload.currency || payload.presentment_currency || "JPY",
  };
}

export async function recordOrder(shop: string, raw: unknown) {
  const payload = raw as OrderPayload;
  if (payload.id === undefined || !payload.created_at) throw new PermanentError("order payload has no id or created_at");
  const processedAt = new Date(payload.processed_at ?? payload.created_at);
  const orderId = String(payload.id);
  const total = orderTotal(payload);
  await sql`
    INSERT INTO "Order" ("id", "shop", "orderId", "name", "customerId", "checkoutToken", "cartToken", "currency",
                         "totalPrice", "processedAt", "createdAt")
    VALUES (${randomUUID()}, ${shop}, ${orderId}, ${payload.name ?? null},
            ${payload.customer?.id ? String(payload.customer.id) : null}, ${payload.checkout_token ?? null},
            ${payload.cart_token ?? null}, ${total.currency}, ${total.amount}::numeric, ${processedAt}, ${new Date()})
    ON CONFLICT DO NOTHING`;
  if (payload.customer?.id) await announceOrder(shop, String(payload.customer.id), orderId, processedAt);
  if (!payload.checkout_token) return "stored";

  const [checkout] = await sql<{ id: string }>`
    UPDATE "Checkout" SET "purchasedAt" = COALESCE("purchasedAt", ${processedAt}::timestamp), "orderId" = ${orderId},
      "updatedAt" = ${new Date()}
    WHERE "shop" = ${shop} AND "token" = ${payload.checkout_token}
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
