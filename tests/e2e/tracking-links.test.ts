// The tracking-links page in headless Chromium, served by the real web process and opened the way the admin
// opens it: the report over seeded data in Japanese, then create (with the live postback preview refusing a
// private address), copy and archive in English. Screenshots go to tests/output/.
import type { LineAccount } from "@prisma/client";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { createTrackingLink } from "~/sources/tracking-admin.server";
import { adminBrowser, emptyStateIllustrationShown, screenshot } from "../support/browser";
import { createFriend, createLineAccount } from "../support/factories";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const EMPTY_SHOP = "tracking-empty.myshopify.com";
const NO_ACCOUNT_SHOP = "tracking-no-account.myshopify.com";

let springCode = "";

async function seedLink(account: LineAccount, input: { name: string; tagNames?: string[]; postbackUrl?: string }) {
  const result = await createTrackingLink(TEST_SHOP_DOMAIN, { lineAccountId: account.id, ...input });
  if (!("link" in result)) throw new Error(JSON.stringify(result.errors));
  return result.link;
}

/** Spring: 12 clicks, 9 LINE logins, 4 friends (1 blocked since), 3 orders in two currencies, postbacks 2 sent and 1 failed. */
async function seedReport(account: LineAccount) {
  const spring = await seedLink(account, {
    name: "Instagram 春セール",
    tagNames: ["Instagram", "春セール"],
    postbackUrl: "https://ad.example.com/cv?cid={click_id}&t={now}",
  });
  const google = await seedLink(account, { name: "Google 検索広告", tagNames: ["Google"] });
  springCode = spring.code;
  await db.trackingClick.createMany({
    data: Array.from({ length: 12 }, (_, i) => ({ shop: TEST_SHOP_DOMAIN, trackingLinkId: spring.id, params: {}, linkedAt: i < 9 ? new Date() : null })),
  });
  await db.trackingClick.createMany({
    data: Array.from({ length: 3 }, () => ({ shop: TEST_SHOP_DOMAIN, trackingLinkId: google.id, params: {} })),
  });
  const since = new Date(Date.now() - 30 * 86_400_000);
  const friends = [
    await createFriend(db, account, { shopifyCustomerId: "1001" }),
    await createFriend(db, account, { shopifyCustomerId: "1002", followStatus: "blocked" }),
    await createFriend(db, account),
    await createFriend(db, account),
  ];
  const statuses = ["sent", "failed", "sent", null];
  for (const [index, friend] of friends.entries()) {
    const source = await db.friendSource.create({
      data: { shop: TEST_SHOP_DOMAIN, friendId: friend.id, trackingLinkId: spring.id, params: {}, createdAt: since },
    });
    const status = statuses[index];
    if (status) {
      await db.postbackDelivery.create({
        data: { shop: TEST_SHOP_DOMAIN, friendSourceId: source.id, url: "https://ad.example.com/cv", method: "GET", status },
      });
    }
  }
  const day = (days: number) => new Date(since.getTime() + days * 86_400_000);
  await db.order.createMany({
    data: [
      { shop: TEST_SHOP_DOMAIN, orderId: "1", customerId: "1001", currency: "JPY", totalPrice: "4800", processedAt: day(2) },
      { shop: TEST_SHOP_DOMAIN, orderId: "2", customerId: "1002", currency: "JPY", totalPrice: "2200", processedAt: day(3) },
      { shop: TEST_SHOP_DOMAIN, orderId: "3", customerId: "1001", currency: "USD", totalPrice: "12.50", processedAt: day(4) },
      { shop: TEST_SHOP_DOMAIN, orderId: "4", customerId: "1001", currency: "JPY", totalPrice: "9999", processedAt: day(-1) },
    ],
  });
}

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await sessionStorage.storeSession(offlineSession(EMPTY_SHOP));
  await sessionStorage.storeSession(offlineSession(NO_ACCOUNT_SHOP));
  const account = await createLineAccount(db, TEST_SHOP_DOMAIN, {
    displayName: "Tokyo Tea",
    liffId: "2000000001-AbCdEfGh",
    loginChannelId: "2000000001",
  });
  await createLineAccount(db, EMPTY_SHOP, { displayName: "Empty Shop" });
  await seedReport(account);
  await seedLink(await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "Osaka Store" }), { name: "Flyer QR" });
}

const admin = adminBrowser({ seed, page: { permissions: ["clipboard-read", "clipboard-write"] } });
const open = (locale: string, shop?: string) => admin.open("/app/tracking-links", locale, { shop });

/** Without whitespace: how the browser spaces stacked and inline parts of a cell is not the point. */
const squash = (text: string) => text.replace(/\s+/g, "");

/** A row's cell texts, in column order, squashed. */
async function cells(page: Page, name: string) {
  const row = page.locator(".Polaris-IndexTable__TableRow", { hasText: name });
  return (await row.locator("td").allInnerTexts()).map(squash);
}

describe("tracking links page in Chromium", () => {
  it("shows each link's URL and report in Japanese, and copies the URL", async () => {
    const { page, errors } = await open("ja");
    await page.getByRole("heading", { name: "流入経路", exact: true }).waitFor();
    const spring = await cells(page, "Instagram 春セール");
    expect(spring).toEqual(
      [
      "Instagram 春セール Tokyo Tea Instagram 春セール",
      `my-test-app.myshopify.io/t/${springCode} コピー`,
      "12",
      "9",
      "4",
      "1 25%",
      "3",
      "￥7,000 $12.50",
      "送信 2 失敗 1",
      "編集 アーカイブ",
      ].map(squash),
    );
    const google = await cells(page, "Google 検索広告");
    expect(google.slice(2, 9)).toEqual(["3", "0", "0", "0", "0", "–", "なし"]);
    // Osaka Store has no LIFF app: its clicks cannot become sources, and the page says so.
    await page.getByText("Osaka Store はLIFFが未設定です。", { exact: false }).waitFor();
    expect(await page.locator(".Polaris-IndexTable__TableRow", { hasText: "Flyer QR" }).getByText("LIFF未設定").count()).toBe(1);
    expect(await page.locator(".Polaris-IndexTable__TableRow", { hasText: "Instagram 春セール" }).getByText("LIFF未設定").count()).toBe(0);
    await screenshot(page, "tracking-links-ja");

    const row = page.locator(".Polaris-IndexTable__TableRow", { hasText: "Instagram 春セール" });
    await row.getByRole("button", { name: "Instagram 春セールのURLをコピー" }).click();
    await row.getByText("コピーしました").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`https://my-test-app.myshopify.io/t/${springCode}`);
    expect(errors).toEqual([]);
  });

  it("explains tracking links on an empty shop", async () => {
    const { page, errors } = await open("ja", EMPTY_SHOP);
    await page.getByText("どの広告から友だちが増えたかを計測しましょう").waitFor();
    await expect(page.getByText("友だち追加すると、流入元として記録され", { exact: false }).count()).resolves.toBe(1);
    await screenshot(page, "tracking-links-empty-ja");
    await emptyStateIllustrationShown(page);
    await screenshot(page, "tracking-links-empty-ja");

    const noAccount = await open("en", NO_ACCOUNT_SHOP);
    await noAccount.page.getByText("Connect a LINE account first").waitFor();
    expect(await noAccount.page.getByRole("link", { name: "Connect a LINE account" }).getAttribute("href")).toContain("/app/accounts");
    expect(errors.concat(noAccount.errors)).toEqual([]);
  });

  it("creates a link in English with a live postback preview that refuses a private address, then archives one", async () => {
    const { page, errors } = await open("en");
    await page.getByRole("heading", { name: "Tracking links", exact: true }).waitFor();
    expect(await page.getByRole("button", { name: /^Archived/ }).count()).toBe(0);
    expect((await cells(page, "Instagram 春セール")).slice(7, 9)).toEqual(["¥7,000 $12.50", "2 sent 1 failed"].map(squash));
    await screenshot(page, "tracking-links-en");

    await page.getByRole("button", { name: "Create tracking link" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("LINE ad – summer");
    await dialog.getByLabel("Tags (optional)").fill("Summer, LINE ad");
    await dialog.getByLabel("Postback URL").fill("https://169.254.169.254/latest/meta-data");
    await dialog.getByText("This is a local or private network address", { exact: false }).waitFor();
    await dialog.getByLabel("Postback URL").fill("https://ad.example.com/cv?cid={click_id}&t={now}&src={utm_source}");
    const preview = dialog.getByTestId("postback-preview");
    await preview.getByText(/^GET https:\/\/ad\.example\.com\/cv\?cid=abc123&t=\d{10}&src=\(utm_source\)$/).waitFor();
    await screenshot(page, "tracking-links-create-en");
    await dialog.getByRole("button", { name: "Save" }).click();
    await page.getByText("Tracking link “LINE ad – summer” created.").waitFor();
    expect(await db.trackingLink.findFirstOrThrow({ where: { name: "LINE ad – summer" } })).toMatchObject({
      tagNames: ["Summer", "LINE ad"],
      postbackUrl: "https://ad.example.com/cv?cid={click_id}&t={now}&src={utm_source}",
      postbackMethod: "GET",
    });
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: "LINE ad – summer" }).waitFor();

    await page.locator(".Polaris-IndexTable__TableRow", { hasText: "Google 検索広告" }).getByRole("button", { name: "Archive" }).click();
    await page.getByText("The URL stops working", { exact: false }).waitFor();
    await page.getByRole("dialog").getByRole("button", { name: "Archive link" }).click();
    await page.getByText("Tracking link “Google 検索広告” archived.").waitFor();
    // The toast can show before the list revalidates: wait for the row to leave rather than counting at once.
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: "Google 検索広告" }).waitFor({ state: "detached" });
    expect((await db.trackingLink.findFirstOrThrow({ where: { name: "Google 検索広告" } })).archivedAt).toBeInstanceOf(Date);

    // Its report stays readable under the archived links; the URL is no longer offered for copying.
    await page.getByRole("button", { name: "Archived (1)" }).click();
    await page.getByRole("heading", { name: "Archived links" }).waitFor();
    const archived = await cells(page, "Google 検索広告");
    expect(archived[1]).not.toContain("Copy");
    expect(archived.slice(2, 4)).toEqual(["3", "0"]);
    expect(errors).toEqual([]);
  });
});
