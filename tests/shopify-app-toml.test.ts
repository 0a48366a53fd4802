// shopify.app.toml is read by Shopify CLI only at deploy time; a key it does not know would first fail there.
// Every table is checked here against the keys Shopify's app configuration reference documents
// (shopify.dev/docs/apps/build/cli-for-apps/app-configuration), and every webhook subscription against its route.
import { existsSync, readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { signedWebhook } from "./support/shopify";

// Table path → the keys the reference documents for it. Nested tables are listed by their dotted path; an
// array of tables ([[webhooks.subscriptions]]) is checked entry by entry.
const DOCUMENTED: Record<string, string[]> = {
  "": [
    "client_id", "name", "handle", "application_url", "embedded", "extension_directories", "web_directories",
    "access_scopes", "access", "auth", "webhooks", "app_proxy", "pos", "app_preferences", "build",
  ],
  access_scopes: ["scopes", "optional_scopes", "use_legacy_install_flow"],
  access: ["admin"],
  "access.admin": ["direct_api_mode", "embedded_app_direct_api_access"],
  auth: ["redirect_urls"],
  webhooks: ["api_version", "subscriptions"],
  "webhooks.subscriptions": ["topics", "compliance_topics", "uri", "include_fields", "filter"],
  app_proxy: ["url", "subpath", "prefix"],
  pos: ["embedded"],
  app_preferences: ["url"],
  build: ["automatically_update_urls_on_dev", "dev_store_url", "include_config_on_deploy"],
};

const isTable = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Keys the reference does not document, as dotted paths ("pos.name"). */
function undocumentedKeys(table: Record<string, unknown>, path = ""): string[] {
  const allowed = DOCUMENTED[path];
  if (!allowed) return [path];
  return Object.entries(table).flatMap(([key, value]) => {
    const child = path ? `${path}.${key}` : key;
    if (!allowed.includes(key)) return [child];
    if (isTable(value)) return undocumentedKeys(value, child);
    if (Array.isArray(value) && value.every(isTable)) return value.flatMap((entry) => undocumentedKeys(entry, child));
    return [];
  });
}

const appToml = readFileSync("shopify.app.toml", "utf8");
const SHOP = "toml-check.myshopify.com";

describe("shopify.app.toml", () => {
  it("uses only keys Shopify's app configuration reference documents, in every table", () => {
    expect(undocumentedKeys(parse(appToml))).toEqual([]);
  });

  it("would be caught with theme-extension keys in [pos]", () => {
    const broken = appToml.replace(/^\[pos\]$/m, '[pos]\nname = "LINE connect"\ntype = "theme"');
    expect(undocumentedKeys(parse(broken))).toEqual(["pos.name", "pos.type"]);
  });

  it("subscribes each topic at its own route, and that route accepts exactly that topic", async () => {
    const { webhooks } = parse(appToml) as { webhooks: { subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] } };
    for (const subscription of webhooks.subscriptions) {
      const topics = [...(subscription.topics ?? []), ...(subscription.compliance_topics ?? [])];
      expect(topics).toHaveLength(1);
      const [topic] = topics;
      expect(subscription.uri).toBe(`/webhooks/${topic}`);
      const route = topic.replace("/", ".");
      expect(existsSync(`app/routes/webhooks.${route}.tsx`)).toBe(true);
      const { action } = (await import(`../app/routes/webhooks.${route}.tsx`)) as { action: (args: { request: Request; params: {}; context: {} }) => Promise<Response> };
      // A shop that never installed: accepted (200) and not stored; a topic the route does not serve: refused (400).
      const body = { shop_domain: SHOP, myshopify_domain: SHOP };
      expect((await action({ request: signedWebhook({ topic, shop: SHOP, body }), params: {}, context: {} })).status).toBe(200);
      const other = topic === "shop/redact" ? "customers/redact" : "shop/redact";
      expect((await action({ request: signedWebhook({ topic: other, shop: SHOP, body }), params: {}, context: {} })).status).toBe(400);
    }
  });
});
