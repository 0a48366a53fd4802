// Requests signed the way Shopify signs them: webhook HMAC (base64 of the raw body), app-proxy signature
// (hex over the sorted query), and the admin's session-token JWT.
import { createHmac, randomUUID } from "node:crypto";
import {
  API_KEY,
  API_SECRET_KEY,
  APP_URL,
  getJwt,
  setUpValidSession,
} from "@shopify/shopify-api/test-helpers";

export const TEST_SHOP_DOMAIN = "line-crm-test.myshopify.com";

type WebhookOptions = {
  topic: string; // as Shopify sends it: "app/uninstalled"
  shop?: string;
  body: unknown; // an object, or a raw string to send as it is
  webhookId?: string;
  eventId?: string;
  triggeredAt?: Date;
  secret?: string;
  path?: string;
  omitHeaders?: string[];
};

export function signedWebhook(options: WebhookOptions): Request {
  const raw = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const hmac = createHmac("sha256", options.secret ?? API_SECRET_KEY).update(raw, "utf8").digest("base64");
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Hmac-Sha256": hmac,
    "X-Shopify-Topic": options.topic,
    "X-Shopify-Shop-Domain": options.shop ?? TEST_SHOP_DOMAIN,
    "X-Shopify-API-Version": "2026-10",
    "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
    "X-Shopify-Triggered-At": (options.triggeredAt ?? new Date()).toISOString(),
  };
  if (options.eventId) headers["X-Shopify-Event-Id"] = options.eventId;
  for (const name of options.omitHeaders ?? []) delete headers[name];
  const path = options.path ?? `/webhooks/${options.topic}`;
  return new Request(new URL(path, APP_URL), { method: "POST", headers, body: raw });
}

/** An app/uninstalled payload: the shop itself, which names its own myshopify domain. */
export function shopPayload(shop = TEST_SHOP_DOMAIN) {
  return { id: 1, name: "LINE CRM test", domain: shop, myshopify_domain: shop };
}

/** Signs an app-proxy request: Shopify forwards /apps/line/* with shop, timestamp, customer and a signature. */
export function appProxyRequest(
  path: string,
  params: Record<string, string> = {},
  options: { shop?: string; timestamp?: number; secret?: string; customerId?: string } = {},
): Request {
  const query: Record<string, string> = {
    shop: options.shop ?? TEST_SHOP_DOMAIN,
    logged_in_customer_id: options.customerId ?? "",
    path_prefix: "/apps/line",
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    ...params,
  };
  const message = Object.keys(query)
    .sort()
    .map((key) => `${key}=${query[key]}`)
    .join("");
  const signature = createHmac("sha256", options.secret ?? API_SECRET_KEY).update(message).digest("hex");
  const url = new URL(path, APP_URL);
  for (const [key, value] of Object.entries({ ...query, signature })) url.searchParams.set(key, value);
  return new Request(url);
}

/** The session token App Bridge would send for this shop's admin user. */
export async function sessionToken(shop = TEST_SHOP_DOMAIN) {
  return (await getJwt(shop.replace(".myshopify.com", ""), API_KEY, API_SECRET_KEY)).token;
}

/** A document request as the admin loads an embedded app page (token-exchange strategy). */
export async function adminRequest(path: string, options: { shop?: string; locale?: string; method?: string; body?: BodyInit } = {}) {
  const shop = options.shop ?? TEST_SHOP_DOMAIN;
  const url = new URL(path, APP_URL);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64"));
  url.searchParams.set("id_token", await sessionToken(shop));
  if (options.locale) url.searchParams.set("locale", options.locale);
  const headers = new Headers();
  if (options.method && options.method !== "GET") headers.set("Authorization", `Bearer ${await sessionToken(shop)}`);
  return new Request(url, { method: options.method ?? "GET", headers, body: options.body });
}

/** An offline session as stored after install; token exchange is then not needed. */
export function offlineSession(shop = TEST_SHOP_DOMAIN) {
  // The scope must equal the app's configured scopes, or the library re-runs token exchange against Shopify.
  return setUpValidSession({ shop, isOnline: false, scope: process.env.SCOPES });
}
