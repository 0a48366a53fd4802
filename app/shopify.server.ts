import "@shopify/shopify-app-remix/adapters/node";
import { shopifyApi } from "@shopify/shopify-api";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { db } from "./db.server";
import { env } from "./env.server";
import { encryptedSessionStorage } from "./session-storage.server";
import { recordInstall } from "./shops/shops.server";

export const apiVersion = ApiVersion.October26;

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: env.SCOPES.split(",").map((scope) => scope.trim()),
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  // Offline access tokens are secrets: encrypted at rest like the LINE channel secrets.
  sessionStorage: encryptedSessionStorage(new PrismaSessionStorage(db), db),
  distribution: AppDistribution.AppStore,
  // The library logs every authenticated request at info level; keep that for debugging sessions.
  logger: { level: env.LOG_LEVEL === "debug" ? LogSeverity.Debug : LogSeverity.Warning },
  // Token exchange: Shopify manages installation from shopify.app.toml, no OAuth redirects in the iframe.
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    afterAuth: async ({ session }) => {
      await recordInstall(session.shop, session.scope);
    },
  },
});

export default shopify;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;

// Webhook verification alone, with the library's own check (HMAC of the raw body, then the required headers).
// `authenticate.webhook` does the same and then loads the shop's offline session through Prisma on every delivery,
// for an Admin API client the webhook routes never use: about a third of the web process's CPU per webhook
// (tests/bench/README.md). The receipt's worker builds its own client when it needs one.
export const validateWebhook = shopifyApi({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion,
  hostName: new URL(env.SHOPIFY_APP_URL).host,
  isEmbeddedApp: true,
  logger: { level: env.LOG_LEVEL === "debug" ? LogSeverity.Debug : LogSeverity.Warning },
}).webhooks.validate;
