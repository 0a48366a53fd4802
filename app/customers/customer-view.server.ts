// What the friend page shows of the linked Shopify customer: name (linking to the customer in the Shopify admin),
// orders, spend per currency, last order, tags, consent, the import's state, and the recent orders with their status
// and the message each was attributed to.
import { db } from "../db.server";
import { amountText } from "../abandoned-cart/money";
import { customerName } from "../friends/friends.server";

export const RECENT_ORDERS = 10;

export type CustomerView = {
  customerId: string;
  /** Null: the customer is linked but not stored (yet). */
  stored: boolean;
  name: string | null;
  importStatus: string;
  importError: string | null;
  ordersCount: number;
  firstOrderAt: Date | null;
  lastOrderAt: Date | null;
  tags: string[];
  emailMarketing: string | null;
  smsMarketing: string | null;
  spend: { currency: string; total: string; orders: number; average: string }[];
  orders: {
    id: string;
    name: string | null;
    processedAt: Date;
    currency: string;
    total: string;
    refunded: string;
    financialStatus: string | null;
    fulfillmentStatus: string | null;
    cancelled: boolean;
    attribution: { kind: string; rule: string } | null;
  }[];
};

/** Shopify customer ids are stored as numbers or as GraphQL ids; the admin link wants the number. */
export function customerNumber(id: string) {
  return id.replace(/^gid:\/\/shopify\/Customer\//, "");
}

/** The linked customer of a friend of `shop`, or null when the friend is not linked. */
export async function customerView(shop: string, shopifyCustomerId: string | null): Promise<CustomerView | null> {
  if (!shopifyCustomerId) return null;
  const customerId = customerNumber(shopifyCustomerId);
  const [customer, orders] = await Promise.all([
    db.customer.findUnique({ where: { shop_customerId: { shop, customerId } }, include: { spend: { orderBy: { currency: "asc" } } } }),
    db.order.findMany({
      where: { shop, customerId },
      orderBy: [{ processedAt: "desc" }, { id: "desc" }],
      take: RECENT_ORDERS,
      include: { attribution: { select: { kind: true, rule: true } } },
    }),
  ]);
  return {
    customerId,
    stored: Boolean(customer),
    name: customer ? customerName(customer) : null,
    importStatus: customer?.importStatus ?? "pending",
    importError: customer?.importError ?? null,
    ordersCount: customer?.ordersCount ?? 0,
    firstOrderAt: customer?.firstOrderAt ?? null,
    lastOrderAt: customer?.lastOrderAt ?? null,
    tags: customer?.tags ?? [],
    emailMarketing: customer?.emailMarketing ?? null,
    smsMarketing: customer?.smsMarketing ?? null,
    spend: (customer?.spend ?? []).map((s) => ({
      currency: s.currency,
      total: amountText(s.totalSpent.toFixed(), s.currency),
      orders: s.orders,
      average: amountText(s.orders > 0 ? s.totalSpent.dividedBy(s.orders).toFixed(4) : "0", s.currency),
    })),
    orders: orders.map((o) => ({
      id: o.id,
      name: o.name,
      processedAt: o.processedAt,
      currency: o.currency,
      total: amountText(o.totalPrice.toFixed(), o.currency),
      refunded: amountText(o.refunded.toFixed(), o.currency),
      financialStatus: o.financialStatus,
      fulfillmentStatus: o.fulfillmentStatus,
      cancelled: o.cancelledAt !== null,
      attribution: o.attribution,
    })),
  };
}
