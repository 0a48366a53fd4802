// orders/create: the order is stored; its checkout is purchased (no reminder goes out any more); and an order
// placed within the attribution window after a reminder was sent makes that reminder "recovered".
import { db } from "../db.server";
import { PermanentError } from "../errors";
import { cancelReminders } from "./reminders.server";

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
  processed_at?: string | null;
  created_at?: string;
};

export async function recordOrder(shop: string, raw: unknown) {
  const payload = raw as OrderPayload;
  if (payload.id === undefined || !payload.created_at) throw new PermanentError("order payload has no id or created_at");
  const processedAt = new Date(payload.processed_at ?? payload.created_at);
  await db.order.createMany({
    data: [{
      shop,
      orderId: String(payload.id),
      name: payload.name ?? null,
      customerId: payload.customer?.id ? String(payload.customer.id) : null,
      checkoutToken: payload.checkout_token ?? null,
      cartToken: payload.cart_token ?? null,
      currency: payload.presentment_currency || payload.currency || "JPY",
      totalPrice: String(payload.total_price ?? payload.current_total_price ?? "0"),
      processedAt,
    }],
    skipDuplicates: true,
  });
  if (!payload.checkout_token) return "stored";

  const checkout = await db.checkout.findUnique({ where: { shop_token: { shop, token: payload.checkout_token } } });
  if (!checkout) return "stored";
  await db.checkout.update({
    where: { id: checkout.id },
    data: { purchasedAt: checkout.purchasedAt ?? processedAt, orderId: String(payload.id) },
  });
  await cancelReminders(checkout.id, "purchased");
  await attributeRecovery(checkout.id, String(payload.id), String(payload.total_price ?? "0"), processedAt);
  return "purchased";
}

async function attributeRecovery(checkoutId: string, orderId: string, revenue: string, orderedAt: Date) {
  const sent = await db.cartReminder.findMany({
    where: { checkoutId, status: "sent", recoveredAt: null, sentAt: { lte: orderedAt } },
    include: { lineAccount: { include: { cartReminder: true } } },
  });
  for (const reminder of sent) {
    const days = reminder.lineAccount.cartReminder?.attributionDays ?? 7;
    if (orderedAt.getTime() - reminder.sentAt!.getTime() > days * 86_400_000) continue;
    await db.cartReminder.update({
      where: { id: reminder.id },
      data: { recoveredAt: orderedAt, recoveredOrderId: orderId, recoveredRevenue: revenue },
    });
  }
}
