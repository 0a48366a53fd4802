// The かご落ちLINE settings and analytics pages in headless Chromium, served by the real web process and opened the
// way the admin opens them; the test push goes from that process to this file's LINE fake.
// Screenshots go to tests/output/.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { storeCheckout } from "~/abandoned-cart/checkouts.server";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, screenshot } from "../support/browser";
import { checkoutPayload } from "../support/checkouts";
import { createFriend, createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const DAY = 86_400_000;
const IMAGE_HOST = "https://img.example.test";

let channelId: string;
let hanako: { id: string; lineUserId: string };

const svg = (fill: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"><rect width="120" height="120" fill="${fill}"/><circle cx="60" cy="64" r="30" fill="#fff" opacity=".8"/></svg>`;

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  const connected = await connectedAccount(db, SHOP, { displayName: "Tokyo Tea" });
  const { account } = connected;
  channelId = connected.channel.channelId;
  await db.cartReminderSettings.create({
    data: { lineAccountId: account.id, shop: SHOP, enabled: true, delayMinutes: 600, tagsToAdd: ["かご落ち送信済み"], tagsToRemove: ["カート放置"] },
  });
  hanako = await createFriend(db, account, { displayName: "山田 花子" });
  const ken = await createFriend(db, account, { displayName: "佐藤 健" });
  await createFriend(db, account, { displayName: "鈴木 一郎", followStatus: "blocked" });

  const checkout = await storeCheckout(
    SHOP,
    checkoutPayload({
      createdAt: new Date(Date.now() - 3 * DAY),
      items: [
        { productId: 1001, variantId: 2001, title: "静岡 煎茶 100g", variantTitle: "缶入り", quantity: 2, price: "1200" },
        { productId: 1002, variantId: 2002, title: "八女 玉露 50g", quantity: 1, price: "3000" },
        { productId: 1003, variantId: 2003, title: "ほうじ茶 ティーバッグ", quantity: 1, price: "800" },
        { productId: 1004, variantId: 2004, title: "宇治抹茶 30g", quantity: 1, price: "2500" },
      ],
    }),
  );
  // Cached product data, so the web process needs no Admin API.
  await db.productImage.createMany({
    data: [
      { shop: SHOP, key: "product:1001", url: `${IMAGE_HOST}/sencha.png`, handle: "shizuoka-sencha" },
      { shop: SHOP, key: "variant:2001", url: null, handle: null },
      { shop: SHOP, key: "product:1002", url: null, handle: "yame-gyokuro" },
      { shop: SHOP, key: "variant:2002", url: null, handle: null },
    ],
  });

  // Analytics: reminders of the last days in every state.
  let n = 0;
  const reminder = async (friendId: string, data: Record<string, unknown>, currency = "JPY", total = "4800") => {
    n += 1;
    const cart = n === 1 ? checkout : await db.checkout.create({
      data: { shop: SHOP, token: `e2e-${n}`, currency, totalPrice: total, lineItems: [], startedAt: new Date(), shopifyUpdatedAt: new Date() },
    });
    return db.cartReminder.create({
      data: { shop: SHOP, lineAccountId: account.id, checkoutId: cart.id, friendId, matchedBy: "cart", retryKey: `e2e-key-${n}`, dueAt: new Date(), status: "scheduled", ...data },
    });
  };
  const ago = (days: number) => new Date(Date.now() - days * DAY);
  const order = await db.order.create({ data: { shop: SHOP, orderId: "9001", currency: "JPY", totalPrice: "8600", processedAt: ago(2) } });
  const recovered = await reminder(hanako.id, { status: "sent", createdAt: ago(3), dueAt: ago(3), sentAt: ago(3), clickedAt: ago(3), clicks: 2, recoveredAt: ago(2), recoveredOrderId: "9001", recoveredRevenue: "8600" });
  // The recovery as order attribution records it: the figure the analytics read.
  await db.orderAttribution.create({
    data: { shop: SHOP, orderRef: order.id, friendId: hanako.id, kind: "cart-reminder", sourceId: recovered.id, rule: "click", touchedAt: ago(3), currency: "JPY", revenue: "8600" },
  });
  await reminder(ken.id, { status: "sent", createdAt: ago(3), dueAt: ago(2), sentAt: ago(2) });
  await reminder(ken.id, { status: "skipped", skipReason: "not-following", createdAt: ago(2), updatedAt: ago(2), dueAt: ago(2) });
  await reminder(hanako.id, { status: "cancelled", skipReason: "purchased", createdAt: ago(2), updatedAt: ago(1) });
  await reminder(ken.id, { status: "failed", error: "400 The property, 'to', in the request body is invalid", createdAt: ago(1), updatedAt: ago(1), dueAt: ago(1) }, "USD", "120.50");
  await reminder(hanako.id, { status: "scheduled", createdAt: new Date(), dueAt: new Date(Date.now() + DAY / 2) });

}

const { open } = adminBrowser({
  seed,
  page: {
    shop: SHOP,
    viewport: { width: 1280, height: 900 },
    prepare: async (page) => {
      // Fail with the locator that was not found, well within the test's own timeout.
      page.setDefaultTimeout(30_000);
      await page.route(`${IMAGE_HOST}/**`, (route) =>
        route.fulfill({ status: 200, contentType: "image/svg+xml", body: svg("#7a9a3a") }),
      );
    },
  },
});

const text = async (page: Page, testId: string) => (await page.getByTestId(testId).innerText()).replace(/\s+/g, " ");

describe("settings page in Chromium", () => {
  it("shows the settings and a live preview of the Flex message in Japanese, and sends a test", async () => {
    const { page, errors } = await open("/app/abandoned-cart", "ja");
    await page.getByRole("heading", { name: "かご落ちLINE", exact: true }).waitFor();
    expect(await page.getByLabel("10時間後").isChecked()).toBe(true);
    await expect(page.getByText("おすすめ", { exact: true }).count()).resolves.toBe(1);
    await expect(page.getByText("かご落ち送信済み", { exact: true }).count()).resolves.toBe(1);

    const preview = await text(page, "cart-preview");
    expect(preview).toContain("お買い忘れはありませんか？");
    expect(preview).toContain("静岡 煎茶 100g");
    expect(preview).toContain("八女 玉露 50g");
    expect(preview).toContain("ほか2点の商品");
    expect(preview).not.toContain("ほうじ茶");
    expect(preview).toContain("購入手続きに戻る");
    expect(preview).toContain("￥8,700");
    // The first item has its image, the second the grey placeholder.
    const images = page.getByTestId("flex-bubble").locator("img");
    expect(await images.count()).toBe(1);
    await page.waitForFunction(() => (document.querySelector("[data-testid=flex-bubble] img") as HTMLImageElement | null)?.naturalWidth === 120);
    const button = page.getByTestId("flex-bubble").getByRole("link", { name: "購入手続きに戻る" });
    expect(await button.getAttribute("href")).toMatch(/\/recover\?key=abc123&utm_source=line&utm_medium=abandoned_cart&utm_campaign=recover$/);

    // Live: the preview follows the form before anything is saved.
    await page.getByLabel("【6】3点以上のアイテムがカートに残っていた場合の補足").fill("他{count}点もカートでお待ちしています");
    await page.getByTestId("cart-preview").getByText("他2点もカートでお待ちしています").waitFor();
    await page.getByLabel("【4】タイトル").fill("まだカートに残っています");
    await page.getByTestId("cart-preview").getByText("まだカートに残っています").waitFor();

    // The friend search asks the loader for following friends by name (the blocked 鈴木 never appears).
    const options = () => page.getByLabel("送信先").locator("option:not([disabled])").allInnerTexts();
    expect((await options()).sort()).toEqual(["佐藤 健", "山田 花子"].sort());
    await page.getByLabel("友だちを名前で検索").fill("山田");
    await page.waitForFunction(() => document.querySelectorAll("select option:not([disabled])").length === 1);
    expect(await options()).toEqual(["山田 花子"]);
    await page.getByLabel("送信先").selectOption({ label: "山田 花子" });
    await page.getByRole("button", { name: "テスト送信" }).click();
    await page.getByText("山田 花子 さんにテスト送信しました").waitFor();
    const [push] = lineFake().sent(channelId);
    expect(push.to).toEqual([hanako.lineUserId]);
    expect(JSON.stringify(push.messages)).toContain("まだカートに残っています");
    expect(JSON.stringify(push.messages)).toContain("他2点もカートでお待ちしています");
    await screenshot(page, "abandoned-cart-ja");
    expect(errors).toEqual([]);
  });

  it("renders in English, validates a colour and shows the contrast-safe title colour", async () => {
    const { page, errors } = await open("/app/abandoned-cart", "en");
    await page.getByRole("heading", { name: "Abandoned-cart LINE", exact: true }).waitFor();
    expect(await page.getByLabel("10 hours later").isChecked()).toBe(true);
    await expect(page.getByText("Recommended", { exact: true }).count()).resolves.toBe(1);
    await page.getByRole("heading", { name: "Send a test to me" }).waitFor();
    const preview = await text(page, "cart-preview");
    expect(preview).toContain("静岡 煎茶 100g");
    expect(preview).toContain("ほか2点の商品");
    // LINE green is light: the title goes dark on it.
    await page.getByText("The title is shown in dark (contrast 8.4:1).").waitFor();
    const title = page.getByTestId("flex-bubble").getByText("お買い忘れはありませんか？");
    await expect(title.evaluate((el) => getComputedStyle(el).color)).resolves.toBe("rgb(17, 17, 17)");
    await screenshot(page, "abandoned-cart-en");

    const header = page.getByRole("textbox", { name: "Header colour", exact: true });
    await header.fill("#FFE0");
    await page.getByText("Enter a colour as #RRGGBB, for example #06C755.").waitFor();
    await header.fill("#1A4D8F");
    await page.getByText("The title is shown in white (contrast 8.4:1).").waitFor();
    await expect(title.evaluate((el) => getComputedStyle(el).color)).resolves.toBe("rgb(255, 255, 255)");
    await expect(title.evaluate((el) => getComputedStyle(el.parentElement!).backgroundColor)).resolves.toBe("rgb(26, 77, 143)");
    await page.getByRole("textbox", { name: "Button colour", exact: true }).fill("#FFFF66");
    await page.getByText("LINE shows the button text in white: on this colour it is hard to read", { exact: false }).waitFor();
    expect(errors).toEqual([]);
  });
});

describe("analytics page in Chromium", () => {
  const metric = (page: Page, label: string) =>
    page.getByTestId("metric").filter({ has: page.getByRole("heading", { name: label, exact: true }) }).innerText();

  it("shows the last 30 days in Japanese", async () => {
    const { page, errors } = await open("/app/abandoned-cart/analytics", "ja");
    await page.getByRole("heading", { name: "かご落ち分析", exact: true }).waitFor();
    expect(await metric(page, "配信数")).toMatch(/配信数\s+2\s+[^]*未配信 2・失敗 1/);
    expect(await metric(page, "回収注文数")).toMatch(/回収注文数\s+1/);
    expect(await metric(page, "回収売上")).toContain("￥8,600");
    expect(await metric(page, "回収率")).toContain("50%");
    expect(await page.getByTestId("cart-chart").locator("rect").count()).toBeGreaterThanOrEqual(3);
    await page.getByText("友だちがアカウントをブロック（またはフォロー解除）していました。").first().waitFor();
    await page.getByText("リマインドの前に購入が完了しました。").first().waitFor();
    const recent = page.locator(".Polaris-DataTable").last();
    await expect(recent.getByText("失敗", { exact: true }).count()).resolves.toBe(1);
    await expect(recent.getByText("回収", { exact: true }).count()).resolves.toBe(1);
    await expect(recent.getByText("￥8,600 の注文").count()).resolves.toBe(1);
    await expect(recent.getByText("$120.50").count()).resolves.toBe(1);
    await screenshot(page, "cart-analytics-ja");
    expect(errors).toEqual([]);
  });

  it("renders in English", async () => {
    const { page, errors } = await open("/app/abandoned-cart/analytics", "en");
    await page.getByRole("heading", { name: "Cart analytics", exact: true }).waitFor();
    expect(await metric(page, "Recovery rate")).toContain("50%");
    expect(await metric(page, "Clicked")).toMatch(/^Clicked\s+1\s/);
    await page.getByText("The shopper completed the purchase before the reminder was due.").first().waitFor();
    await expect(page.getByText("Last 30 days", { exact: false }).count()).resolves.toBe(1);
    await screenshot(page, "cart-analytics-en");
    expect(errors).toEqual([]);
  });
});
