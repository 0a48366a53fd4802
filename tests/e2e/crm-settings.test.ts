// The tags, greeting and auto-replies pages in headless Chromium, served by the real web process and opened
// the way the admin opens them. Screenshots go to tests/output/.
import { describe, expect, it } from "vitest";
import { createRule } from "~/auto-replies/auto-replies.server";
import { db } from "~/db.server";
import { saveGreeting } from "~/greeting/greeting.server";
import { sessionStorage } from "~/shopify.server";
import { addTagsByName, createTag } from "~/tags/tags.server";
import { adminBrowser, emptyStateIllustrationShown, screenshot, waitForToast } from "../support/browser";
import { createFriend } from "../support/factories";
import { connectedAccount } from "../support/line";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const EMPTY_SHOP = "empty-shop.myshopify.com";

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await sessionStorage.storeSession(offlineSession(EMPTY_SHOP));
  const { account } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea" });
  await createTag(TEST_SHOP_DOMAIN, { name: "VIP", color: "success" });
  await createTag(TEST_SHOP_DOMAIN, { name: "未購入", color: "attention" });
  for (let i = 0; i < 3; i += 1)
    await addTagsByName(await createFriend(db, account), ["VIP", "セール興味あり"], "postback");
  await saveGreeting(TEST_SHOP_DOMAIN, account.id, {
    enabled: true,
    messages: ["友だち追加ありがとうございます！", "クーポンコード WELCOME10 で初回10%オフ。"],
  });
  await createRule(TEST_SHOP_DOMAIN, account.id, {
    name: "営業時間",
    matchType: "contains",
    pattern: "営業時間",
    messages: ["営業時間は10時〜19時です。"],
    priority: 10,
  });
  await createRule(TEST_SHOP_DOMAIN, account.id, {
    name: "セール案内",
    matchType: "exact",
    pattern: "セール",
    messages: ["ただいまセール開催中です！", "https://example.com/sale"],
    priority: 20,
  });
}

const { open, url } = adminBrowser({ seed });

describe("tags page in Chromium", () => {
  it("lists tags with colours and friend counts in Japanese, and confirms a delete with the count", async () => {
    const { page, errors } = await open("/app/tags", "ja");
    await page.getByRole("heading", { name: "タグ", exact: true }).waitFor();
    const row = page.locator(".Polaris-IndexTable__TableRow", { hasText: "VIP" });
    await expect(row.getByText("3人").count()).resolves.toBe(1);
    await expect(
      page.locator(".Polaris-IndexTable__TableRow", { hasText: "未購入" }).getByText("0人").count(),
    ).resolves.toBe(1);
    await expect(page.getByText("セール興味あり").count()).resolves.toBe(1);
    expect(await row.locator(".Polaris-Badge--toneSuccess").count()).toBe(1);
    await screenshot(page, "tags-ja");

    await row.getByRole("button", { name: "削除" }).click();
    await page.getByText("3人の友だちからこのタグが外れます。").waitFor();
    await screenshot(page, "tags-delete-ja");
    expect(errors).toEqual([]);
  });

  it("creates a tag through the form in English and shows a duplicate-name error", async () => {
    const { page, errors } = await open("/app/tags", "en");
    await page.getByRole("button", { name: "Create tag" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("VIP");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.getByText("A tag with this name already exists.").waitFor();
    await dialog.getByLabel("Name").fill("Repeat buyer");
    expect(await dialog.getByText("A tag with this name already exists.").count()).toBe(0);
    await dialog.getByText("Red").click();
    await screenshot(page, "tags-create-en");
    await dialog.getByRole("button", { name: "Save" }).click();
    await waitForToast(page, "Tag “Repeat buyer” saved.");
    expect(await db.tag.findFirst({ where: { shop: TEST_SHOP_DOMAIN, name: "Repeat buyer" } })).toMatchObject({
      color: "critical",
    });
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: "Repeat buyer" }).waitFor();
    await screenshot(page, "tags-en");
    expect(errors).toEqual([]);
  });
});

describe("greeting page in Chromium", () => {
  it("shows the saved greeting and a live LINE-style preview in Japanese", async () => {
    const { page, errors } = await open("/app/greeting", "ja");
    await page.getByRole("heading", { name: "あいさつメッセージ" }).waitFor();
    expect(await page.getByLabel("友だち追加されたときにあいさつメッセージを送信する").isChecked()).toBe(true);
    const preview = page.getByTestId("line-preview");
    await expect(preview.getByText("クーポンコード WELCOME10 で初回10%オフ。").count()).resolves.toBe(1);
    await page.getByRole("button", { name: "メッセージを追加" }).click();
    await page.getByLabel("メッセージ3").fill("ショップはこちら → https://example.com");
    await preview.getByText("ショップはこちら → https://example.com").waitFor();
    await screenshot(page, "greeting-ja");
    expect(errors).toEqual([]);
  });

  it("renders in English", async () => {
    const { page, errors } = await open("/app/greeting", "en");
    await page.getByText("Send a greeting when someone adds this account as a friend").waitFor();
    await expect(page.getByLabel("Message 2").inputValue()).resolves.toBe("クーポンコード WELCOME10 で初回10%オフ。");
    await screenshot(page, "greeting-en");
    expect(errors).toEqual([]);
  });
});

describe("auto-replies page in Chromium", () => {
  it("lists the rules in order and tries a sample message in Japanese", async () => {
    const { page, errors } = await open("/app/auto-replies", "ja");
    await page.getByRole("heading", { name: "自動応答" }).waitFor();
    const rows = page.locator(".Polaris-IndexTable__TableRow");
    const cells = async (index: number) => (await rows.nth(index).locator("td").allInnerTexts()).slice(0, 5);
    expect(await rows.count()).toBe(2);
    expect(await cells(0)).toEqual(["10", "営業時間", "部分一致", "営業時間", expect.stringMatching(/有効$/)]);
    expect(await cells(1)).toEqual(["20", "セール案内", "完全一致", "セール", expect.stringMatching(/有効$/)]);
    await page.getByLabel("メッセージの例").fill("ｾｰﾙ");
    await page.getByText("ルール「セール案内」が応答します：").waitFor();
    await expect(page.getByTestId("line-preview").getByText("ただいまセール開催中です！").count()).resolves.toBe(1);
    await screenshot(page, "auto-replies-ja");
    await page.getByLabel("メッセージの例").fill("こんにちは");
    await page.getByText("一致するルールはありません。自動応答は送信されません。").waitFor();
    expect(errors).toEqual([]);
  });

  it("renders in English and opens the rule editor with its preview", async () => {
    const { page, errors } = await open("/app/auto-replies", "en");
    await page.getByText("Exact match").waitFor();
    await expect(page.getByText("Contains", { exact: true }).count()).resolves.toBe(1);
    await screenshot(page, "auto-replies-en");
    await page
      .locator(".Polaris-IndexTable__TableRow", { hasText: "セール案内" })
      .getByRole("link", { name: "Edit" })
      .click();
    // The rule opens on its own screen (?rule=<id>), beside its preview.
    await page.getByRole("heading", { name: "Edit rule", exact: true }).waitFor();
    await expect(page.getByLabel("Keyword").inputValue()).resolves.toBe("セール");
    await expect(page.getByTestId("line-preview").getByText("https://example.com/sale").count()).resolves.toBe(1);
    await screenshot(page, "auto-replies-edit-en");
    expect(errors).toEqual([]);
  });
});

describe("a shop without a LINE account", () => {
  it("explains each empty page and points to the accounts page", async () => {
    const { page, errors } = await open("/app/tags", "ja", { shop: EMPTY_SHOP });
    await page.getByText("タグはまだありません").waitFor();
    expect(await page.getByRole("button", { name: "タグを作成" }).count()).toBe(1);
    await emptyStateIllustrationShown(page);
    await screenshot(page, "tags-empty-ja");
    for (const path of ["/app/greeting", "/app/auto-replies"]) {
      const { search } = new URL((await adminRequest(path, { locale: "ja", shop: EMPTY_SHOP })).url);
      await page.goto(`${url()}${path}${search}`);
      await page.getByText("まずLINE公式アカウントを連携してください").waitFor();
      const link = page.getByRole("link", { name: "LINEアカウントを連携" });
      expect(await link.getAttribute("href")).toBe("/app/accounts");
    }
    await emptyStateIllustrationShown(page);
    await screenshot(page, "auto-replies-no-account-ja");
    expect(errors).toEqual([]);
  });
});
