// Cart-reminder templates follow the account's language: a Taiwan account starts in Traditional Chinese, a Thai one
// in Thai, an English-only shop in English, Japanese otherwise; connecting infers the language from the shop; what
// the merchant saved is never rewritten.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { getSettings, saveSettings } from "~/abandoned-cart/settings.server";
import { parseReminderSettings } from "~/abandoned-cart/settings";
import { defaultReminderSettings, REMINDER_TEMPLATES } from "~/abandoned-cart/template-defaults";
import { inferMessageLanguage, MESSAGE_LANGUAGES } from "~/line/message-language";
import { action } from "~/routes/app.accounts";
import { sessionStorage } from "~/shopify.server";
import { channelId as newChannelId, channelSecret as newChannelSecret, createLineAccount, createShop } from "../support/factories";
import { lineFake } from "../support/line";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SCRIPT = { ja: /[ぁ-ん]/, en: /^[\x20-\x7E]+$/, "zh-TW": /[\u4e00-\u9fff]/, th: /[\u0e00-\u0e7f]/ } as const;

describe("the default templates", () => {
  it.each(MESSAGE_LANGUAGES.map((language) => [language]))("%s: in its own script and within the form's limits", (language) => {
    const defaults = defaultReminderSettings(language);
    for (const text of [defaults.title, defaults.body, defaults.moreItemsText, defaults.buttonText]) expect(text).toMatch(SCRIPT[language]);
    expect(defaults.moreItemsText).toContain("{count}");
    const parsed = parseReminderSettings({ ...defaults, enabled: true });
    expect(parsed.errors).toBeUndefined();
  });

  it("zh-TW is Traditional, not Simplified", () => {
    const all = Object.values(REMINDER_TEMPLATES["zh-TW"]).join("");
    expect(all).toMatch(/[您購還貨結帳請]/);
    expect(all).not.toMatch(/[购还货结帐请]/);
  });

  it("an unknown language falls back to Japanese", () => {
    expect(defaultReminderSettings("fr").title).toBe(REMINDER_TEMPLATES.ja.title);
    expect(defaultReminderSettings(null).title).toBe(REMINDER_TEMPLATES.ja.title);
  });
});

describe("the account's language, inferred from the shop", () => {
  it.each([
    [{ locale: "zh-TW", timeZone: "Asia/Taipei" }, "zh-TW"],
    [{ locale: "en", timeZone: "Asia/Taipei" }, "zh-TW"],
    [{ locale: "zh-Hant-HK", timeZone: "Asia/Hong_Kong" }, "zh-TW"],
    [{ locale: "th", timeZone: "Asia/Bangkok" }, "th"],
    [{ locale: "en", timeZone: "Asia/Bangkok" }, "th"],
    [{ locale: "ja", timeZone: "Asia/Tokyo" }, "ja"],
    [{ locale: "en", timeZone: "Asia/Tokyo" }, "ja"],
    [{ locale: "en", timeZone: "America/New_York" }, "en"],
    [{ locale: "fr", timeZone: "Europe/Paris" }, "ja"],
    [null, "ja"],
  ] as const)("%o → %s", (shop, language) => {
    expect(inferMessageLanguage(shop)).toBe(language);
  });
});

describe("settings of an account", () => {
  beforeEach(async () => {
    await db.cartReminderSettings.deleteMany();
    await db.lineAccount.deleteMany();
  });

  it.each(MESSAGE_LANGUAGES.map((language) => [language]))("not yet saved: the %s defaults", async (language) => {
    const shop = await createShop(db);
    const account = await createLineAccount(db, shop.shop);
    await db.lineAccount.update({ where: { id: account.id }, data: { messageLanguage: language } });
    const settings = await getSettings(shop.shop, account.id);
    expect(settings.saved).toBe(false);
    expect(settings).toMatchObject(REMINDER_TEMPLATES[language]);
  });

  it("saved: the merchant's words stay, whatever the account's language", async () => {
    const shop = await createShop(db);
    const account = await createLineAccount(db, shop.shop);
    const saved = await saveSettings(shop.shop, account.id, { ...defaultReminderSettings("ja"), title: "カートの確認" });
    expect("errors" in saved).toBe(false);
    await db.lineAccount.update({ where: { id: account.id }, data: { messageLanguage: "zh-TW" } });
    const settings = await getSettings(shop.shop, account.id);
    expect(settings).toMatchObject({ saved: true, title: "カートの確認", body: REMINDER_TEMPLATES.ja.body });
  });

  it("another shop's account id gives the Japanese defaults, not that account's language", async () => {
    const shop = await createShop(db);
    const other = await createShop(db);
    const account = await createLineAccount(db, other.shop);
    await db.lineAccount.update({ where: { id: account.id }, data: { messageLanguage: "th" } });
    expect((await getSettings(shop.shop, account.id)).title).toBe(REMINDER_TEMPLATES.ja.title);
  });
});

describe("connecting an account", () => {
  beforeEach(async () => {
    await db.lineAccount.deleteMany();
    await db.shop.deleteMany({ where: { shop: TEST_SHOP_DOMAIN } });
    await sessionStorage.storeSession(offlineSession());
    lineFake().reset();
  });

  async function connect() {
    const channelId = newChannelId();
    const channelSecret = newChannelSecret();
    lineFake().addChannel({ channelId, channelSecret });
    const body = new FormData();
    for (const [name, value] of Object.entries({ intent: "connect", displayName: "台北茶舖", channelId, channelSecret })) body.set(name, value);
    const response = await action({ request: await adminRequest("/app/accounts", { method: "POST", body }), params: {}, context: {} });
    expect(response.status).toBe(200);
    return db.lineAccount.findFirstOrThrow({ where: { shop: TEST_SHOP_DOMAIN, channelId } });
  }

  it("a Taiwan shop's account writes Traditional Chinese, and its reminder starts in it", async () => {
    await createShop(db, { shop: TEST_SHOP_DOMAIN, locale: "zh-TW", timeZone: "Asia/Taipei" });
    const account = await connect();
    expect(account.messageLanguage).toBe("zh-TW");
    expect((await getSettings(TEST_SHOP_DOMAIN, account.id)).title).toBe(REMINDER_TEMPLATES["zh-TW"].title);
  });

  it("a Thai shop's account writes Thai", async () => {
    await createShop(db, { shop: TEST_SHOP_DOMAIN, locale: "th", timeZone: "Asia/Bangkok" });
    expect((await connect()).messageLanguage).toBe("th");
  });

  it("a Japanese shop's account writes Japanese", async () => {
    await createShop(db, { shop: TEST_SHOP_DOMAIN });
    expect((await connect()).messageLanguage).toBe("ja");
  });
});
