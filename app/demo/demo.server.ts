// The local demo (development only): a seeded demo shop opened in the real admin pages with a session minted here,
// the way the Shopify admin would hand one over (an offline session in storage, a session token signed with the
// app's secret). Every demo route calls `requireDemo()` first: in production nothing of it exists (404).
import { createHmac, randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { env } from "../env.server";
import type { Locale } from "../i18n/messages";
import { sessionStorage } from "../shopify.server";

export const DEMO_SHOP = "line-crm-demo.myshopify.com";
/** The staff member the demo's session token names (Shopify user id). */
export const DEMO_USER_ID = "1";

export function demoEnabled(): boolean {
  return !env.isProduction;
}

/** Ends the request with 404 when the demo is off (production). */
export function requireDemo(): void {
  if (!demoEnabled()) throw new Response("Not Found", { status: 404 });
}

export function isDemoShop(shop: string): boolean {
  return demoEnabled() && shop === DEMO_SHOP;
}

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** A session token as App Bridge hands it over for the demo shop's staff member: HS256 with the API secret. */
export function demoSessionToken(now = Date.now()): string {
  requireDemo();
  const seconds = Math.floor(now / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${DEMO_SHOP}/admin`,
      dest: `https://${DEMO_SHOP}`,
      aud: env.SHOPIFY_API_KEY,
      sub: DEMO_USER_ID,
      exp: seconds + 3600,
      nbf: seconds - 5,
      iat: seconds,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", env.SHOPIFY_API_SECRET).update(`${header}.${payload}`).digest("base64url");
  return `${header}.${payload}.${signature}`;
}

/** The offline session an install would have stored; with it the admin pages need no token exchange. */
export async function ensureDemoSession(): Promise<void> {
  requireDemo();
  const session = new Session({ id: `offline_${DEMO_SHOP}`, shop: DEMO_SHOP, state: "", isOnline: false });
  session.accessToken = "demo-offline-token";
  session.scope = env.SCOPES;
  await sessionStorage.storeSession(session);
}

/** An admin page opened as the Shopify admin opens it: embedded, with the shop, host and a session token. */
export function demoAdminUrl(path: string, locale: Locale): string {
  const url = new URL(path, "http://demo.invalid");
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", DEMO_SHOP);
  url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${DEMO_SHOP.split(".")[0]}`).toString("base64"));
  url.searchParams.set("locale", locale);
  url.searchParams.set("id_token", demoSessionToken());
  return `${url.pathname}${url.search}`;
}

/** The App Bridge stand-in the demo's admin pages load instead of Shopify's CDN script (none outside the demo). */
export function demoAppBridgeUrl(shop: string): string | undefined {
  return isDemoShop(shop) ? "/demo/app-bridge.js" : undefined;
}
