// The local demo's server side: the seed (once, whatever the number of clicks), the session it mints (accepted by
// the Shopify library as the admin's own), the App Bridge stand-in only for the demo shop outside production, and
// the development defaults that point LINE at the sandbox only when no Shopify app is configured.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { DEMO_SHOP, demoAdminUrl, demoAppBridgeUrl, ensureDemoSession, requireDemo } from "~/demo/demo.server";
import { seedDemo } from "~/demo/seed.server";
import { env, parseEnv } from "~/env.server";
import { authenticate } from "~/shopify.server";
import { DESKTOP_USER_AGENT } from "../support/browser";

const KEY = Buffer.alloc(32, 1).toString("base64");

async function inProduction<T>(run: () => T | Promise<T>): Promise<T> {
  const before = env.isProduction;
  env.isProduction = true;
  try {
    return await run();
  } finally {
    env.isProduction = before;
  }
}

describe("demo seed", () => {
  it("seeds the week once, even when two clicks arrive together", async () => {
    const [first, second] = await Promise.all([seedDemo(db), seedDemo(db)]);
    expect(second.id).toBe(first.id);
    await seedDemo(db);
    const where = { shop: DEMO_SHOP };
    expect(await db.lineAccount.count({ where })).toBe(1);
    expect(await db.friend.count({ where })).toBe(40);
    expect(await db.friend.count({ where: { ...where, followStatus: "blocked" } })).toBeGreaterThan(0);
    expect(await db.tag.count({ where })).toBe(4);
    expect(await db.message.count({ where })).toBeGreaterThan(10);
    expect(await db.cartReminder.count({ where: { ...where, recoveredAt: { not: null } } })).toBeGreaterThan(0);
    expect(await db.broadcast.count({ where: { ...where, status: "sent" } })).toBe(1);
    expect(await db.greetingMessage.count({ where: { ...where, enabled: true } })).toBe(1);
    expect(await db.autoReplyRule.count({ where })).toBe(1);
  });
});

describe("demo session", () => {
  it("opens the admin as the Shopify admin would: the library accepts the minted token and session", async () => {
    await ensureDemoSession();
    const request = new Request(new URL(demoAdminUrl("/app", "ja"), "http://localhost:3000"), {
      headers: { "user-agent": DESKTOP_USER_AGENT },
    });
    const { session } = await authenticate.admin(request);
    expect(session.shop).toBe(DEMO_SHOP);
  });

  it("serves the App Bridge stand-in to the demo shop only, and never in production", async () => {
    expect(demoAppBridgeUrl(DEMO_SHOP)).toBe("/demo/app-bridge.js");
    expect(demoAppBridgeUrl("other.myshopify.com")).toBeUndefined();
    await inProduction(() => {
      expect(demoAppBridgeUrl(DEMO_SHOP)).toBeUndefined();
      expect(() => requireDemo()).toThrow(Response);
    });
  });
});

describe("development defaults", () => {
  it("points LINE at the sandbox when no Shopify app is configured", () => {
    const local = parseEnv({ NODE_ENV: "development", ENCRYPTION_KEY: KEY, PORT: "4000" });
    expect(local).toMatchObject({ LINE_SANDBOX_PORT: 4001, LINE_API_BASE_URL: "http://127.0.0.1:4001", LINE_DATA_API_BASE_URL: "http://127.0.0.1:4001" });
    const configured = parseEnv({ NODE_ENV: "development", ENCRYPTION_KEY: KEY, SHOPIFY_API_KEY: "key" });
    expect(configured).toMatchObject({ LINE_SANDBOX_PORT: 0, LINE_API_BASE_URL: "https://api.line.me" });
    const production = parseEnv({
      NODE_ENV: "production",
      ENCRYPTION_KEY: KEY,
      SHOPIFY_API_KEY: "key",
      SHOPIFY_API_SECRET: "secret",
      SHOPIFY_APP_URL: "https://app.example.com",
    });
    expect(production).toMatchObject({ LINE_SANDBOX_PORT: 0, LINE_API_BASE_URL: "https://api.line.me" });
  });
});
