// The long settings forms (cart reminders, greeting, auto-replies) in headless Chromium: they fit their cards in
// Japanese and English at desktop and phone widths, show App Bridge's contextual save bar while they differ from
// what is stored, restore on Discard, store and toast on Save, and ask before the page is left with changes.
// Screenshots go to tests/output/.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { createRule } from "~/auto-replies/auto-replies.server";
import { db } from "~/db.server";
import { getGreeting, saveGreeting } from "~/greeting/greeting.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, openSaveBar, screenshot, waitForToast } from "../support/browser";
import { createFriend, createShop } from "../support/factories";
import { DESKTOP, expectFits, expectNoEnglish, PHONE } from "../support/layout";
import { connectedAccount } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const NO_RULES_SHOP = "no-rules.myshopify.com";
let accountId: string;

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await sessionStorage.storeSession(offlineSession(NO_RULES_SHOP));
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  const { account } = await connectedAccount(db, SHOP, { displayName: "Tokyo Tea" });
  accountId = account.id;
  await connectedAccount(db, NO_RULES_SHOP, { displayName: "Osaka Tea" });
  await db.cartReminderSettings.create({
    data: { lineAccountId: account.id, shop: SHOP, enabled: true, delayMinutes: 600, tagsToAdd: ["かご落ち送信済み"] },
  });
  await createFriend(db, account, { displayName: "山田 花子" });
  await saveGreeting(SHOP, account.id, { enabled: true, messages: ["友だち追加ありがとうございます！"] });
  await createRule(SHOP, account.id, {
    name: "営業時間",
    matchType: "contains",
    pattern: "営業時間",
    messages: ["営業時間は10時〜19時です。"],
    priority: 10,
  });
}

const { open } = adminBrowser({
  seed,
  page: { shop: SHOP, prepare: async (page) => page.setDefaultTimeout(60_000) },
});

const saveBarButton = (page: Page, name: string) => page.locator("ui-save-bar button", { hasText: name });
const waitForSaveBar = (page: Page, open: boolean) =>
  page.waitForFunction((shown) => document.documentElement.hasAttribute("data-save-bar-open") === shown, open);
/** A link of the app's navigation menu, as App Bridge follows it (it asks the app to route). */
const followNavLink = (page: Page, href: string) =>
  page.evaluate((to) => {
    document.querySelector(`ui-nav-menu a[href="${to}"]`)!.dispatchEvent(new Event("shopify:navigate", { bubbles: true }));
  }, href);

// Words of the Japanese cart page that are not English text: the Enter key, the {count} placeholder, Google
// Analytics, and the UTM parameters of the URL-parameters example.
const CART_WORDS = ["Enter", "count", "Google", "Analytics", "utm", "source", "medium", "abandoned", "cart", "campaign", "recover"];

const PAGES = [
  { name: "cart-settings", path: "/app/abandoned-cart", heading: { ja: "かご落ちLINE", en: "Abandoned-cart LINE" } },
  { name: "greeting", path: "/app/greeting", heading: { ja: "あいさつメッセージ", en: "Greeting message" } },
  { name: "auto-replies", path: "/app/auto-replies", heading: { ja: "自動応答", en: "Auto-replies" } },
] as const;

describe("settings pages fit at desktop and phone widths", () => {
  for (const { name, path, heading } of PAGES) {
    for (const locale of ["ja", "en"] as const) {
      it(`${name} in ${locale}`, async () => {
        for (const viewport of [DESKTOP, PHONE]) {
          const { page, errors } = await open(path, locale, { viewport });
          await page.getByRole("heading", { name: heading[locale], exact: true }).waitFor();
          // On a phone the rule table condenses once the page knows its width (after hydration).
          if (name === "auto-replies" && viewport === PHONE) await page.getByTestId("rule-condensed").first().waitFor();
          await expectFits(page);
          if (locale === "ja") await expectNoEnglish(page, name === "cart-settings" ? CART_WORDS : []);
          await screenshot(page, `${name}-${locale}-${viewport.width}`);
          expect(errors).toEqual([]);
          await page.close();
        }
      });
    }
  }
});

describe("greeting form with the contextual save bar", () => {
  it("shows the bar while edited, is clean again when undone, restores on Discard and toasts on Save (ja)", async () => {
    const { page, errors } = await open("/app/greeting", "ja");
    const message = page.getByLabel("メッセージ1");
    await expect(message.inputValue()).resolves.toBe("友だち追加ありがとうございます！");
    expect(await openSaveBar(page)).toBeNull();

    await message.fill("友だち追加ありがとう");
    await waitForSaveBar(page, true);
    expect(await openSaveBar(page)).toBe("greeting-save-bar");
    await message.fill("友だち追加ありがとうございます！");
    await waitForSaveBar(page, false);

    await message.fill("書きかけのメッセージ");
    await page.getByLabel("友だち追加されたときにあいさつメッセージを送信する").uncheck();
    await waitForSaveBar(page, true);
    await saveBarButton(page, "破棄").click();
    await waitForSaveBar(page, false);
    await expect(message.inputValue()).resolves.toBe("友だち追加ありがとうございます！");
    expect(await page.getByLabel("友だち追加されたときにあいさつメッセージを送信する").isChecked()).toBe(true);

    await message.fill("  ご登録ありがとうございます！  ");
    await saveBarButton(page, "保存").click();
    await waitForToast(page, "あいさつメッセージを保存しました。");
    await waitForSaveBar(page, false);
    // Stored trimmed, and the form shows what was stored.
    await expect(message.inputValue()).resolves.toBe("ご登録ありがとうございます！");
    expect(await getGreeting(accountId)).toMatchObject({
      messages: ["ご登録ありがとうございます！"],
    });
    expect(errors).toEqual([]);
  });

  it("keeps a server error next to the field, with the bar still open (en)", async () => {
    const { page, errors } = await open("/app/greeting", "en");
    await page.getByLabel("Message 1").fill("   ");
    await saveBarButton(page, "Save").click();
    await page.getByText("Enter the message, or remove it.").waitFor();
    expect(await openSaveBar(page)).toBe("greeting-save-bar");
    expect(await page.locator(".Polaris-InlineError").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it("asks before leaving with changes: Stay keeps them, Leave goes (ja)", async () => {
    const { page, errors } = await open("/app/greeting", "ja");
    await page.getByLabel("メッセージ1").fill("まだ保存していない文");
    await waitForSaveBar(page, true);
    await followNavLink(page, "/app/tags");
    const modal = page.getByRole("dialog");
    await modal.getByText("保存していない変更があります。ページを離れますか？").waitFor();
    await screenshot(page, "greeting-leave-ja");
    await modal.getByRole("button", { name: "このページにとどまる" }).click();
    await modal.waitFor({ state: "detached" });
    expect(new URL(page.url()).pathname).toBe("/app/greeting");
    await expect(page.getByLabel("メッセージ1").inputValue()).resolves.toBe("まだ保存していない文");

    await followNavLink(page, "/app/tags");
    await page.getByRole("dialog").getByRole("button", { name: "ページを離れる" }).click();
    await page.getByRole("heading", { name: "タグ", exact: true }).waitFor();
    expect(await openSaveBar(page)).toBeNull();
    expect(errors).toEqual([]);
  });
  it("asks the browser to confirm unloading while changed, and not once clean (en)", async () => {
    const { page, errors } = await open("/app/greeting", "en");
    // What the browser does before unloading: it asks when a listener cancels the event.
    const unloadIsHeld = () =>
      page.evaluate(() => {
        const event = new Event("beforeunload", { cancelable: true });
        dispatchEvent(event);
        return event.defaultPrevented;
      });
    expect(await unloadIsHeld()).toBe(false);
    await page.getByLabel("Message 1").fill("Unsaved words");
    await waitForSaveBar(page, true);
    expect(await unloadIsHeld()).toBe(true);
    await saveBarButton(page, "Discard").click();
    await waitForSaveBar(page, false);
    expect(await unloadIsHeld()).toBe(false);
    expect(errors).toEqual([]);
  });
});

describe("cart-reminder settings with the contextual save bar", () => {
  it("restores on Discard, stores and toasts on Save, and asks before leaving (en)", async () => {
    const { page, errors } = await open("/app/abandoned-cart", "en");
    const title = page.getByLabel("4. Title", { exact: true });
    const stored = await title.inputValue();
    // The radio first: the stand-in draws the save bar over the top of the page.
    await page.getByText("6 hours later", { exact: true }).click();
    await title.fill("Still in your cart?");
    await waitForSaveBar(page, true);
    expect(await openSaveBar(page)).toBe("cart-settings-save-bar");
    await screenshot(page, "cart-settings-dirty-en");
    await saveBarButton(page, "Discard").click();
    await waitForSaveBar(page, false);
    await expect(title.inputValue()).resolves.toBe(stored);
    expect(await page.getByLabel("10 hours later").isChecked()).toBe(true);

    await title.fill("Still in your cart?");
    await followNavLink(page, "/app/greeting");
    const modal = page.getByRole("dialog");
    await modal.getByText("Leave page with unsaved changes?").waitFor();
    await modal.getByRole("button", { name: "Stay" }).click();
    await modal.waitFor({ state: "detached" });
    await expect(title.inputValue()).resolves.toBe("Still in your cart?");

    await saveBarButton(page, "Save").click();
    await waitForToast(page, "Settings saved.");
    await waitForSaveBar(page, false);
    expect(await db.cartReminderSettings.findUnique({ where: { lineAccountId: accountId } })).toMatchObject({
      title: "Still in your cart?",
    });
    // Saved: nothing to lose, so leaving does not ask.
    await followNavLink(page, "/app/greeting");
    await page.getByRole("heading", { name: "Greeting message", exact: true }).waitFor();
    expect(errors).toEqual([]);
  });
});

describe("auto-reply rules", () => {
  it("adds a rule on its own screen with the save bar, then edits one and asks before going back (en)", async () => {
    const { page, errors } = await open("/app/auto-replies", "en");
    await page.getByRole("link", { name: "Add rule" }).click();
    await page.getByRole("heading", { name: "Add rule", exact: true }).waitFor();
    await page.getByLabel("Rule name").fill("Shipping");
    await page.getByLabel("Keyword").fill("shipping");
    await page.getByLabel("Reply 1").fill("We ship within 2 days.");
    await waitForSaveBar(page, true);
    expect(await openSaveBar(page)).toBe("auto-reply-save-bar");
    await expectFits(page);
    await screenshot(page, "auto-replies-edit-en-1280");
    await saveBarButton(page, "Save").click();
    await waitForToast(page, "Rule “Shipping” saved.");
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: "Shipping" }).waitFor();
    expect(await openSaveBar(page)).toBeNull();
    expect(await db.autoReplyRule.count({ where: { shop: SHOP, name: "Shipping" } })).toBe(1);

    await page.locator(".Polaris-IndexTable__TableRow", { hasText: "Shipping" }).getByRole("link", { name: "Edit" }).click();
    const keyword = page.getByLabel("Keyword");
    await expect(keyword.inputValue()).resolves.toBe("shipping");
    await keyword.fill("delivery");
    await waitForSaveBar(page, true);
    await page.getByRole("link", { name: "Auto-replies" }).click();
    const modal = page.getByRole("dialog");
    await modal.getByText("Leave page with unsaved changes?").waitFor();
    await modal.getByRole("button", { name: "Stay" }).click();
    await modal.waitFor({ state: "detached" });
    await expect(keyword.inputValue()).resolves.toBe("delivery");
    await saveBarButton(page, "Discard").click();
    await waitForSaveBar(page, false);
    await expect(keyword.inputValue()).resolves.toBe("shipping");
    // Clean: back to the list without a question.
    await page.getByRole("link", { name: "Auto-replies" }).click();
    await page.getByRole("heading", { name: "Auto-replies", exact: true }).waitFor();
    expect(errors).toEqual([]);
  });

  it("shows a server validation error on its field (ja)", async () => {
    const { page, errors } = await open("/app/auto-replies", "ja");
    await page.getByRole("link", { name: "ルールを追加" }).click();
    await page.getByLabel("ルール名").fill("空のキーワード");
    await page.getByLabel("応答メッセージ1", { exact: true }).fill("こんにちは");
    await saveBarButton(page, "保存").click();
    await page.getByText("キーワードを入力してください。").waitFor();
    expect(await openSaveBar(page)).toBe("auto-reply-save-bar");
    await expectNoEnglish(page);
    expect(errors).toEqual([]);
  });

  it("without rules, the empty state offers the first rule (ja)", async () => {
    const { page, errors } = await open("/app/auto-replies", "ja", { shop: NO_RULES_SHOP, viewport: PHONE });
    await page.getByText("自動応答ルールはまだありません").waitFor();
    await expectFits(page);
    await expectNoEnglish(page);
    await screenshot(page, "auto-replies-empty-ja-390");
    await page.getByRole("link", { name: "最初のルールを追加" }).click();
    await page.getByLabel("ルール名").waitFor();
    expect(new URL(page.url()).searchParams.get("rule")).toBe("new");
    expect(errors).toEqual([]);
  });
});
