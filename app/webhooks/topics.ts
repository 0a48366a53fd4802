// The Shopify topics this app subscribes to (shopify.app.toml), each served by its own route. Shopify signs the
// body only: the topic and shop headers can be rewritten on a replayed body, so the route names the topic and the
// payloads that carry their shop must agree with the shop header.
export type ShopifyTopic =
  | "app/uninstalled"
  | "app/scopes_update"
  | "checkouts/create"
  | "checkouts/update"
  | "orders/create"
  | "orders/updated"
  | "orders/paid"
  | "orders/cancelled"
  | "refunds/create"
  | "customers/create"
  | "customers/update"
  | "customers/delete"
  | "customers/data_request"
  | "customers/redact"
  | "shop/redact";

/** The library's stored form of a topic: "app/uninstalled" → "APP_UNINSTALLED". */
export function topicKey(topic: string) {
  return topic.toUpperCase().replace(/[/.]/g, "_");
}

// The payload field naming the shop, on the topics whose payload has one: the compliance topics carry
// `shop_domain` (and `shop_id`, which this app does not store), app/uninstalled carries the shop itself.
const SHOP_FIELD: Partial<Record<ShopifyTopic, string>> = {
  "app/uninstalled": "myshopify_domain",
  "customers/data_request": "shop_domain",
  "customers/redact": "shop_domain",
  "shop/redact": "shop_domain",
};

/** Why the body's own shop disagrees with the shop header, or null when it agrees or the topic names none. */
export function bodyShopMismatch(topic: ShopifyTopic, body: unknown, shop: string): string | null {
  const field = SHOP_FIELD[topic];
  if (!field) return null;
  const named = body && typeof body === "object" ? (body as Record<string, unknown>)[field] : undefined;
  // Required where Shopify always sends it: a body without it is another topic's body replayed here.
  if (typeof named !== "string") return `payload has no ${field}`;
  return named === shop ? null : `payload ${field} names another shop`;
}
