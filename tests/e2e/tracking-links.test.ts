// The tracking-links page in headless Chromium, served by the real web process and opened the way the admin opens
// it, with many links with long names: in Japanese and English at 1280×800 and 390×844 nothing leaves its card and
// the actions stay in view; the period picker, QR code, create and archive (toasts) in English.
import type { LineAccount } from "@prisma/client";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { createTrackingLink } from "~/sources/tracking-admin.server";
import { adminBrowser, emptyStateIllustrationShown, screenshot, waitForToast } from "../support/browser";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { DESKTOP, expectFits, expectNoEnglish, PHONE } from "../support/layout";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const EMPTY_SHOP = "tracking-empty.myshopify.com";
const NO_ACCOUNT_SHOP = "tracking-no-account.myshopify.com";
const LONG = "Instagram ストーリーズ広告 2026年春の新作コレクション・送料無料キャンペーン（20代女性向け／関東エリア限定）";

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
  await seedLink(account, { name: "Google 検索広告", tagNames: ["Google"] });
  await db.trackingClick.createMany({
    data: Array.from({ length: 12 }, (_, i) => ({ shop: TEST_SHOP_DOMAIN, trackingLinkId: spring.id, params: {}, linkedAt: i < 9 ? new Date() : null })),
  });
  const since = new Date(Date.now() - 20 * 86_400_000);
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
      await db.postbackDelivery.create({ data: { shop: TEST_SHOP_DOMAIN, friendSourceId: source.id, url: "https://ad.example.com/cv", method: "GET", status } });
    }
  }
  const day = (days: number) => new Date(since.getTime() + days * 86_400_000);
  await db.order.createMany({
    data: [
      { shop: TEST_SHOP_DOMAIN, orderId: "1", customerId: "1001", currency: "JPY", totalPrice: "4800", processedAt: day(2) },
      { shop: TEST_SHOP_DOMAIN, orderId: "2", customerId: "1002", currency: "JPY", totalPrice: "2200", processedAt: day(3) },
      { shop: TEST_SHOP_DOMAIN, orderId: "3", customerId: "1001", currency: "USD", totalPrice: "12.50", processedAt: day(4) },
    ],
  });
}

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await sessionStorage.storeSession(offlineSession(EMPTY_SHOP));
  await sessionStorage.storeSession(offlineSession(NO_ACCOUNT_SHOP));
  await createShop(db, { shop: TEST_SHOP_DOMAIN, timeZone: "Asia/Tokyo" });
  const account = await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea", liffId: "2000000001-AbCdEfGh", loginChannelId: "2000000001" });
  await createLineAccount(db, EMPTY_SHOP, { displayName: "Empty Shop" });
  // Many links with long names and tags, older than the report's.
  for (let i = 1; i <= 14; i += 1) {
    await seedLink(account, { name: `${LONG} #${i}`, tagNames: ["Instagram広告", `キャンペーン${i}`, "ストーリーズ"] });
  }
  await seedReport(account);
  await seedLink(await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "Osaka Store" }), { name: "Flyer QR" });
}

const admin = adminBrowser({ seed, page: { permissions: ["clipboard-read", "clipboard-write"] } });
const open = (locale: string, viewport: { width: number; height: number } = DESKTOP, shop?: string) =>
  admin.open("/app/tracking-links", locale, { shop, viewport });

const squash = (text: string) => text.replace(/\s+/g, "");
const row = (page: Page, name: string) => page.locator(".Polaris-IndexTable__TableRow, .Polaris-IndexTable__CondensedList > li", { hasText: name }).first();

/** Every row's actions are inside the window: the merchant never scrolls sideways to reach them. */
async function actionsInView(page: Page, label: string) {
  const width = page.viewportSize()!.width;
  const buttons = page.getByRole("button", { name: label, exact: true });
  let shown = 0;
  for (let i = 0; i < (await buttons.count()); i += 1) {
    const box = await buttons.nth(i).boundingBox();
    if (!box) continue;
    shown += 1;
    expect(box.x + box.width, `${label} #${i}`).toBeLessThanOrEqual(width);
  }
  expect(shown).toBeGreaterThan(10);
}

describe("tracking links page in Chromium", () => {
  for (const locale of ["ja", "en"] as const) {
    for (const viewport of [DESKTOP, PHONE]) {
      it(`fits at ${viewport.width} px in ${locale}, with every row's actions in view`, async () => {
        const { page, errors } = await open(locale, viewport);
        await page.getByRole("heading", { name: locale === "ja" ? "流入経路" : "Tracking links", exact: true }).waitFor();
        await row(page, "Instagram 春セール").waitFor();
        // On a phone the table turns into stacked rows once the browser knows its width.
        if (viewport === PHONE) await page.locator(".Polaris-IndexTable__CondensedList").waitFor();
        await actionsInView(page, locale === "ja" ? "編集" : "Edit");
        await expectFits(page);
        // Account names are the merchant's; "LP" (landing page) is the Japanese ad industry's own word.
        if (locale === "ja") await expectNoEnglish(page, ["LP", "Osaka", "Store", "Tokyo", "Tea"]);
        await screenshot(page, `tracking-links-${locale}-${viewport.width}`);
        expect(errors).toEqual([]);
      });
    }
  }

  it("shows the period's report and the full name of a cut one on hover", async () => {
    const { page, errors } = await open("ja");
    const spring = squash(await row(page, "Instagram 春セール").innerText());
    for (const part of ["Instagram春セール", "TokyoTea", "12", "9", "4", "125%", "3", "￥7,000", "$12.50", "送信2", "失敗1"]) expect(spring).toContain(part);
    expect(await page.getByTitle(`${LONG} #3`, { exact: true }).count()).toBe(1);
    await page.getByText("Osaka Store はLIFFが未設定です。", { exact: false }).waitFor();
    // Today only: no clicks of Spring's are that old… all 12 are from today; its friends are 20 days old.
    await page.getByTestId("date-range").getByRole("button", { name: "期間" }).click();
    await page.locator(".Polaris-Popover").getByText("今日", { exact: true }).click();
    await page.getByRole("button", { name: "適用" }).click();
    await page.waitForURL(/from=\d{4}-\d{2}-\d{2}&to=/);
    await page.getByRole("button", { name: "期間" }).filter({ hasText: "今日" }).waitFor();
    expect(squash(await row(page, "Instagram 春セール").locator("td").nth(3).innerText())).toBe("0");
    expect(squash(await row(page, "Instagram 春セール").locator("td").nth(1).innerText())).toBe("12");
    expect(errors).toEqual([]);
  });

  it("shows a link's QR code, creates a link and archives one in English with toasts", async () => {
    const { page, errors } = await open("en");
    await row(page, "Instagram 春セール").getByRole("button", { name: "QR code of Instagram 春セール" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByTestId("qr-image").waitFor();
    await dialog.getByRole("button", { name: "Download PNG" }).waitFor();
    await screenshot(page, "tracking-links-qr-en");
    await dialog.getByRole("button", { name: "Close" }).first().click();
    await dialog.waitFor({ state: "detached" });

    await page.getByRole("button", { name: "Create tracking link" }).click();
    const form = page.getByRole("dialog");
    await form.getByLabel("Name").fill("LINE ad – summer");
    await form.getByLabel("Tags (optional)").fill("Summer, LINE ad");
    await form.getByLabel("Postback URL").fill("https://169.254.169.254/latest/meta-data");
    await form.getByText("This is a local or private network address", { exact: false }).waitFor();
    await form.getByLabel("Postback URL").fill("https://ad.example.com/cv?cid={click_id}&t={now}&src={utm_source}");
    await form.getByTestId("postback-preview").getByText(/^GET https:\/\/ad\.example\.com\/cv\?cid=abc123&t=\d{10}&src=\(utm_source\)$/).waitFor();
    await form.getByRole("button", { name: "Save" }).click();
    await waitForToast(page, "Tracking link “LINE ad – summer” created.");
    expect(await db.trackingLink.findFirstOrThrow({ where: { name: "LINE ad – summer" } })).toMatchObject({ tagNames: ["Summer", "LINE ad"], postbackMethod: "GET" });
    await row(page, "LINE ad – summer").waitFor();

    await row(page, "Google 検索広告").getByRole("button", { name: "More actions for Google 検索広告" }).click();
    await page.getByRole("menuitem", { name: "Archive" }).click();
    await page.getByText("The URL stops working", { exact: false }).waitFor();
    await page.getByRole("dialog").getByRole("button", { name: "Archive link" }).click();
    await waitForToast(page, "Tracking link “Google 検索広告” archived.");
    await page.locator(".Polaris-IndexTable__TableRow", { hasText: "Google 検索広告" }).waitFor({ state: "detached" });
    expect((await db.trackingLink.findFirstOrThrow({ where: { name: "Google 検索広告" } })).archivedAt).toBeInstanceOf(Date);
    await page.getByRole("button", { name: "Archived (1)" }).click();
    await page.getByRole("heading", { name: "Archived links" }).waitFor();
    expect(errors).toEqual([]);
  });

  it("explains tracking links on an empty shop", async () => {
    const { page, errors } = await open("ja", DESKTOP, EMPTY_SHOP);
    await page.getByText("どの広告から友だちが増えたかを計測しましょう").waitFor();
    await emptyStateIllustrationShown(page);
    await expectFits(page);
    await screenshot(page, "tracking-links-empty-ja");
    const noAccount = await open("en", PHONE, NO_ACCOUNT_SHOP);
    await noAccount.page.getByText("Connect a LINE account first").waitFor();
    expect(errors.concat(noAccount.errors)).toEqual([]);
  });
});
