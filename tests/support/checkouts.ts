// Checkout and order webhook payloads shaped as Shopify sends them (REST AbandonedCheckout / Order fields).
import { randomBytes } from "node:crypto";

type Item = { productId?: number; variantId?: number; title?: string; variantTitle?: string | null; quantity?: number; price?: string };

export function checkoutPayload(options: {
  token?: string;
  cartToken?: string | null;
  customerId?: number | null;
  createdAt?: Date;
  updatedAt?: Date;
  completedAt?: Date | null;
  currency?: string;
  items?: Item[];
  shop?: string;
} = {}) {
  const token = options.token ?? randomBytes(16).toString("hex");
  const createdAt = options.createdAt ?? new Date();
  const items = options.items ?? [{ productId: 1001, variantId: 2001, title: "煎茶 100g", variantTitle: "缶入り", quantity: 2, price: "1200" }];
  const total = items.reduce((sum, item) => sum + Number(item.price ?? "1000") * (item.quantity ?? 1), 0);
  return {
    id: Math.floor(Math.random() * 1e12),
    token,
    cart_token: options.cartToken === undefined ? randomBytes(12).toString("hex") : options.cartToken,
    email: "shopper@example.com",
    customer: options.customerId ? { id: options.customerId, email: "shopper@example.com" } : null,
    currency: options.currency ?? "JPY",
    presentment_currency: options.currency ?? "JPY",
    total_price: String(total),
    subtotal_price: String(total),
    abandoned_checkout_url: `https://${options.shop ?? "line-crm-test.myshopify.com"}/1234/checkouts/${token}/recover?key=abc123`,
    created_at: createdAt.toISOString(),
    updated_at: (options.updatedAt ?? createdAt).toISOString(),
    completed_at: options.completedAt ? options.completedAt.toISOString() : null,
    line_items: items.map((item, index) => ({
      key: `k${index}`,
      product_id: item.productId ?? 1000 + index,
      variant_id: item.variantId ?? 2000 + index,
      title: item.title ?? `Item ${index + 1}`,
      variant_title: item.variantTitle ?? null,
      quantity: item.quantity ?? 1,
      price: item.price ?? "1000",
    })),
  };
}

export function orderPayload(options: { checkoutToken?: string | null; customerId?: number | null; total?: string; createdAt?: Date; currency?: string } = {}) {
  const createdAt = options.createdAt ?? new Date();
  return {
    id: Math.floor(Math.random() * 1e12),
    name: `#${Math.floor(Math.random() * 9000) + 1000}`,
    checkout_token: options.checkoutToken ?? null,
    cart_token: null,
    customer: options.customerId ? { id: options.customerId } : null,
    currency: options.currency ?? "JPY",
    presentment_currency: options.currency ?? "JPY",
    total_price: options.total ?? "2400",
    created_at: createdAt.toISOString(),
    processed_at: createdAt.toISOString(),
  };
}
