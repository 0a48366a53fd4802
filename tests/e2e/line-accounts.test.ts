// The "LINE accounts" page in headless Chromium, in Japanese and English. Screenshots in tests/output/.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, screenshot } from "../support/browser";
import { connectedAccount } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

let accountId: string;

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  const { account } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "東京ティー本店" });
  accountId = account.id;
  await db.lineAccount.update({
    where: { id: account.id },
    data: {
      webhookUrl: `https://my-test-app.myshopify.io/webhooks/line/${account.id}`,
      webhookRegisteredAt: new Date(),
      webhookTestOk: true,
      webhookTestDetail: "200",
    },
  });
}

const { open } = adminBrowser({ seed, page: { viewport: { width: 1200, height: 1000 } } });

describe("LINE accounts page in Chromium", () => {
  it("shows the connected account, its webhook and the checklist in Japanese", async () => {
    const { page, response } = await open("/app/accounts", "ja");
    expect(response?.status()).toBe(200);
    await page.getByText("設定チェックリスト").waitFor();
    await expect(page.getByText("東京ティー本店").count()).resolves.toBeGreaterThan(0);
    await expect(page.getByText("LINE からこのアプリに接続できました（200）。").count()).resolves.toBe(1);
    expect(await page.inputValue(`input[value$="/webhooks/line/${accountId}"]`)).toContain(accountId);
    await screenshot(page, "accounts-ja");
  });

  it("shows the same page in English", async () => {
    const { page } = await open("/app/accounts", "en");
    await page.getByText("Set-up checklist").waitFor();
    await expect(page.getByText("Response mode is “Bot”").count()).resolves.toBe(1);
    await screenshot(page, "accounts-en");
  });

  it("shows the edit form in English without any secret", async () => {
    const { page, response } = await open(`/app/accounts?edit=${accountId}`, "en");
    expect(response?.status()).toBe(200);
    await page.getByText("Messaging API channel secret").waitFor();
    await expect(page.getByText(/Stored \(…[0-9a-f]{4}\)\. Leave blank to keep it\./).count()).resolves.toBe(1);
    const html = await page.content();
    const stored = await db.lineAccount.findUniqueOrThrow({ where: { id: accountId } });
    expect(html).not.toContain(stored.channelSecret);
    await screenshot(page, "accounts-edit-en");
  });
});
