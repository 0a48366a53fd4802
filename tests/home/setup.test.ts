// The guided set-up ticks from real data: an account that really works, the app embed on the live theme, cart
// reminders on, a test that reached LINE.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { embedState, storefrontButton, themeEditorUrl } from "~/home/theme.server";
import { loader as homeLoader } from "~/routes/app._index";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createLineAccount, createShop, enableCartReminders } from "../support/factories";
import { adminFake } from "../support/shopify-admin-fake";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const settings = (blocks: Record<string, { type: string; disabled?: boolean }>) =>
  `/*\n * IMPORTANT: The contents of this file are auto-generated.\n */\n${JSON.stringify({ current: { blocks } })}`;
const load = async () => homeLoader({ request: await adminRequest("/app"), params: {}, context: {} });

beforeEach(async () => {
  for (const table of ["delivery", "cartReminderSettings", "friend", "lineAccount", "shop", "session"] as const) {
    await (db[table] as { deleteMany: () => Promise<unknown> }).deleteMany();
  }
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: SHOP });
  adminFake().theme = { settingsData: null, denied: false };
});

describe("storefront button", () => {
  it("reads our app embed in the main theme's settings_data.json", async () => {
    expect(embedState(settings({ "1": { type: "shopify://apps/line-crm/blocks/line-embed/0a1b", disabled: false } }))).toBe("added");
    expect(embedState(settings({ "1": { type: "shopify://apps/line-crm/blocks/line-embed/0a1b", disabled: true } }))).toBe("disabled");
    expect(embedState(settings({ "1": { type: "shopify://apps/other-app/blocks/chat/99" } }))).toBe("missing");
    expect(embedState("not json")).toBe("missing");
  });

  it("asks the Admin API, and says when the theme scope is missing", async () => {
    const graphql = (query: string) => fetch(`https://${SHOP}/admin/api/2026-10/graphql.json`, { method: "POST", body: JSON.stringify({ query }) });
    expect(await storefrontButton(graphql)).toBe("missing");
    adminFake().theme = { settingsData: settings({ "9": { type: "shopify://apps/line-crm/blocks/line-embed/0a1b" } }), denied: false };
    expect(await storefrontButton(graphql)).toBe("added");
    adminFake().theme.denied = true;
    expect(await storefrontButton(graphql)).toBe("no-scope");
    expect(await storefrontButton(null)).toBe("unknown");
  });

  it("links to the theme editor with our app embed ready to switch on", () => {
    expect(themeEditorUrl("tea.myshopify.com", "abc123")).toBe("https://tea.myshopify.com/admin/themes/current/editor?context=apps&activateAppId=abc123/line-embed");
  });
});

describe("set-up checklist", () => {
  it("ticks each step from real data", async () => {
    let data = await load();
    expect(data.setup).toMatchObject({ lineAccounts: { connected: 0, ready: 0 }, cartReminders: { enabled: false }, testSent: false });
    expect(data.storefront).toBe("missing");

    const account = await createLineAccount(db, SHOP);
    data = await load();
    // Connected but LINE's webhook test has not passed: not ready.
    expect(data.setup.lineAccounts).toMatchObject({ connected: 1, ready: 0 });
    await db.lineAccount.update({ where: { id: account.id }, data: { webhookTestOk: true } });
    expect((await load()).setup.lineAccounts.ready).toBe(1);

    adminFake().theme = { settingsData: settings({ "1": { type: "shopify://apps/line-crm/blocks/line-embed/0a1b" } }), denied: false };
    expect((await load()).storefront).toBe("added");

    await enableCartReminders(db, account, 60);
    expect((await load()).setup.cartReminders.enabled).toBe(true);

    const me = await createFriend(db, account);
    await db.delivery.create({
      data: { shop: SHOP, lineAccountId: account.id, kind: "test", channel: "push", sourceId: account.id, recipients: [me.lineUserId], friendId: me.id, messages: [], dueAt: new Date(), status: "failed" },
    });
    expect((await load()).setup.testSent).toBe(false);
    await db.delivery.updateMany({ where: { shop: SHOP, kind: "test" }, data: { status: "sent", sentAt: new Date() } });
    expect((await load()).setup.testSent).toBe(true);
  });
});
