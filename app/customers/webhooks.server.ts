// customers/* and orders/* (but orders/create, which cart recovery owns: app/abandoned-cart/orders.server.ts)
// and refunds/create, as the worker runs them. Each stores what Shopify says, then the customer's figures.
import { enqueueCustomerImport } from "../../jobs/queues";
import { db } from "../db.server";
import { attributeOrder } from "./attribution.server";
import { PermanentError } from "../errors";
import { customerFromRest, numericId, orderFromRest, refundAmount, type OrderData, type RestCustomer, type RestOrder, type RestRefund } from "./payloads";
import { ensureCustomer, recomputeFigures, storeCustomer, storeOrder, storeRefund, type StoredOrder } from "./store.server";

/**
 * Stores an order (orders/create, orders/updated, orders/paid, orders/cancelled) and rewrites its customer's
 * figures. A linked customer seen for the first time (linked before the app kept customer data) is created and
 * imported. Then the order's attribution to a LINE message is recomputed (app/customers/attribution.server.ts).
 */
export async function recordOrderChange(shop: string, order: OrderData): Promise<StoredOrder> {
  if (order.customerId) {
    const customer = await ensureCustomer(shop, order.customerId);
    if (customer?.created) await enqueueCustomerImport(shop, order.customerId);
  }
  const stored = await storeOrder(shop, order);
  if (stored.customerId) await recomputeFigures(shop, [stored.customerId]);
  await attributeOrder(shop, stored.id);
  return stored;
}

export async function handleOrderUpdate(shop: string, payload: unknown) {
  const order = orderFromRest(payload as RestOrder);
  if (!order) throw new PermanentError("order payload has no id or created_at");
  const stored = await recordOrderChange(shop, order);
  return stored.applied ? "stored" : "older";
}

/** refunds/create: the refund joins its order's refunds (by id: a repeat counts once); the figures follow. */
export async function handleRefund(shop: string, payload: unknown) {
  const refund = payload as RestRefund;
  const orderId = numericId(refund.order_id);
  const refundId = numericId(refund.id);
  if (!orderId || !refundId) throw new PermanentError("refund payload has no id or order_id");
  const stored = await storeRefund(shop, orderId, refundId, refundAmount(refund));
  if (!stored) return "order-unknown";
  if (stored.customerId) await recomputeFigures(shop, [stored.customerId]);
  await attributeOrder(shop, stored.id);
  return "stored";
}

/** customers/create and customers/update: stored for a linked customer only, never over newer data. */
export async function handleCustomerUpdate(shop: string, payload: unknown) {
  const customer = customerFromRest(payload as RestCustomer);
  if (!customer) throw new PermanentError("customer payload has no id");
  return (await storeCustomer(shop, customer)) ? "stored" : "skipped";
}

/** customers/delete: the customer is gone from Shopify, so is what we kept of them (their friends stay). */
export async function handleCustomerDelete(shop: string, payload: unknown) {
  const customerId = numericId((payload as { id?: string | number }).id);
  if (!customerId) throw new PermanentError("customer payload has no id");
  await db.$transaction([
    db.orderLine.deleteMany({ where: { shop, order: { customerId } } }),
    db.customer.deleteMany({ where: { shop, customerId } }),
  ]);
  return "deleted";
}
