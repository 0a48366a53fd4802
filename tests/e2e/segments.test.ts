// The segments pages in Chromium, served by the real web process: the list, the editor's live count changing as
// conditions are added (Japanese and English, 1280 and 390 pixels wide), saving, and a segment opened as a
// filtered friends list. Screenshots go to tests/output/.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveForm } from "~/forms/forms.server";
import { formField } from "~/forms/model";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, emptyStateIllustrationShown, openSaveBar, screenshot, waitForToast } from "../support/browser";
import { createFriend } from "../support/factories";
import { connectedAccount } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const EMPTY_SHOP = "segments-empty.myshopify.com";
const NARROW = { width: 390, height: 844 };
let segmentId = "";
let formId = "";

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await sessionStorage.storeSession(offlineSession(EMPTY_SHOP));
  await db.shop.createMany({ data: [{ shop: TEST_SHOP_DOMAIN, timeZone: "Asia/Tokyo" }, { shop: EMPTY_SHOP }] });
  const { account } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea", accessToken: true });
  const vip = await db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name: "VIP", color: "success" } });
  const sale = await db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name: "セール希望", color: "attention" } });
  await db.trackingLink.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, code: "SEGLINK1", name: "Instagram 春", tagNames: [] } });
  const names = ["佐藤 健", "鈴木 美咲", "高橋 大輔", "田中 優子", "伊藤 翔", "渡辺 さくら", "Emily Chen", "山本 蓮", "中村 陽菜", "小林 悠斗",
    "加藤 結衣", "吉田 颯", "Lin Wei", "山田 葵", "佐々木 湊", "山口 凛", "松本 陸", "井上 美月", "木村 蒼", "林 芽依"];
  const form = await saveForm(TEST_SHOP_DOMAIN, null, {
    lineAccountId: account.id,
    title: "お茶の好みアンケート",
    oneAnswerPerFriend: false,
    fields: [
      formField.parse({ id: "tea", type: "singleChoice", label: "好きなお茶", choices: [{ id: "sencha", label: "煎茶" }, { id: "hojicha", label: "ほうじ茶" }] }),
      formField.parse({ id: "note", type: "shortText", label: "ひとこと" }),
    ],
  });
  if (!form.ok) throw new Error("seed form");
  formId = form.id;
  for (const [i, displayName] of names.entries()) {
    const friend = await createFriend(db, account, {
      displayName,
      createdAt: new Date(Date.now() - i * 3 * 86_400_000),
      followStatus: i % 7 === 3 ? "blocked" : "following",
      shopifyCustomerId: i % 3 === 0 ? String(7_000_000_000 + i) : null,
      operatorBlockedAt: i === 19 ? new Date() : undefined,
    });
    await db.friend.update({ where: { id: friend.id }, data: { language: i % 5 === 0 ? "en" : "ja", lastMessageAt: i % 2 === 0 ? new Date(Date.now() - i * 86_400_000) : null } });
    if (i % 2 === 0) await db.friendTag.create({ data: { shop: TEST_SHOP_DOMAIN, friendId: friend.id, tagId: vip.id } });
    if (i % 3 === 1) await db.friendTag.create({ data: { shop: TEST_SHOP_DOMAIN, friendId: friend.id, tagId: sale.id } });
    // Friends 0–2 answered the tea survey: sencha, sencha, hojicha.
    if (i < 3) await db.formAnswer.create({ data: { shop: TEST_SHOP_DOMAIN, formId, lineAccountId: account.id, friendId: friend.id, values: { tea: i < 2 ? "sencha" : "hojicha", note: "また買います" } } });
  }
  // VIP (even i: 10 friends) who are following (drops i = 10) and not staff-blocked (i = 19 is odd anyway): 9.
  const saved = await db.segment.create({
    data: {
      shop: TEST_SHOP_DOMAIN,
      name: "VIP常連",
      definition: { match: "all", groups: [{ match: "all", conditions: [{ field: "tags", match: "any", tagIds: [vip.id] }, { field: "followStatus", statuses: ["following"] }] }] },
    },
  });
  segmentId = saved.id;
}

const { open } = adminBrowser({ seed, timeout: 120_000, page: { viewport: { width: 1280, height: 900 } } });

const countText = (page: Page) => page.getByTestId("segment-count").innerText();
const waitForCount = (page: Page, text: string) => page.getByTestId("segment-count").getByText(text, { exact: true }).waitFor({ timeout: 15_000 });

describe("segments in Chromium", () => {
  it("lists segments with their live friend counts, in Japanese", async () => {
    const { page, errors } = await open("/app/segments", "ja");
    await page.getByRole("heading", { name: "セグメント" }).first().waitFor();
    const rows = await page.locator(".Polaris-IndexTable__TableRow").allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain("VIP常連");
    expect(rows[0]).toContain("条件2件");
    expect(rows[0]).toMatch(/\b9\b/);
    await screenshot(page, "segments-list-ja");
    await page.getByRole("button", { name: "削除" }).click();
    await page.getByText("セグメント「VIP常連」を削除しますか？").waitFor();
    await screenshot(page, "segments-delete-confirm-ja");
    await page.getByRole("button", { name: "キャンセル" }).click();
    expect(errors).toEqual([]);
  });

  it("shows the empty state for a shop without segments", async () => {
    const { page } = await open("/app/segments", "en", { shop: EMPTY_SHOP });
    await page.getByText("No segments yet").waitFor();
    await emptyStateIllustrationShown(page);
    await screenshot(page, "segments-empty-en");
  });

  it("counts live as conditions are added, then saves, in Japanese at 1280 px", async () => {
    const { page, errors } = await open("/app/segments/new", "ja");
    await waitForCount(page, "19人"); // every friend but the staff-blocked one
    await page.getByRole("button", { name: "グループを追加" }).click();
    await page.getByRole("button", { name: "タグ", exact: true }).click();
    await page.getByText("すべての条件を入力すると人数が表示されます。").waitFor();
    await page.getByText("VIP", { exact: true }).click();
    await waitForCount(page, "10人");
    await page.getByRole("button", { name: "条件を追加" }).click();
    await page.getByRole("button", { name: "友だちからの最終メッセージ", exact: true }).click();
    await page.getByLabel("日数").fill("7");
    await waitForCount(page, "4人"); // VIP with a message in the last 7 days: i = 0, 2, 4, 6
    await screenshot(page, "segments-editor-ja");

    await page.locator("ui-save-bar button", { hasText: /^保存$/ }).click();
    await page.getByText("名前を入力してください。").waitFor();
    await page.getByLabel("セグメント名").fill("最近のVIP");
    await page.locator("ui-save-bar button", { hasText: /^保存$/ }).click();
    await waitForToast(page, "セグメントを保存しました");
    await page.waitForURL(/\/app\/segments\/(?!new)[A-Za-z0-9_-]+/);
    const saved = await db.segment.findFirstOrThrow({ where: { shop: TEST_SHOP_DOMAIN, name: "最近のVIP" } });
    expect(saved.definition).toMatchObject({ groups: [{ match: "all", conditions: [{ field: "tags" }, { field: "lastMessage", within: true, days: 7 }] }] });
    await screenshot(page, "segments-editor-saved-ja");
    await page.setViewportSize(NARROW);
    await waitForCount(page, "4人");
    await screenshot(page, "segments-editor-saved-ja-390");
    expect(errors).toEqual([]);
  });

  it("counts live in English on a 390 px screen, with an OR group", async () => {
    const { page, errors } = await open(`/app/segments/${segmentId}`, "en", { viewport: NARROW });
    await waitForCount(page, "9 friends");
    await page.getByRole("button", { name: "Add group" }).click();
    await page.getByRole("button", { name: "Linked to a Shopify customer", exact: true }).click();
    await page.getByLabel("Friends in the segment match").selectOption("any");
    // VIP and following (9), or linked (i % 3 === 0: 7, of whom 0, 6, 12, 18 are already in): 12.
    await waitForCount(page, "12 friends");
    expect(await countText(page)).toBe("12 friends");
    await screenshot(page, "segments-editor-en-390");
    await page.setViewportSize({ width: 1280, height: 900 });
    await waitForCount(page, "12 friends");
    await screenshot(page, "segments-editor-en");
    expect(errors).toEqual([]);
  });

  it("edits the form answer conditions (answered a form, answer is a choice) in ja at 1280 px and en at 390 px", async () => {
    const formSegmentId = (
      await db.segment.create({
        data: {
          shop: TEST_SHOP_DOMAIN,
          name: "煎茶派の回答者",
          definition: {
            match: "all",
            groups: [{ match: "all", conditions: [{ field: "answeredForm", formId, period: "lastDays", days: 30 }, { field: "formAnswer", formId, fieldId: "tea", kind: "choice", values: ["sencha"] }] }],
          },
        },
      })
    ).id;
    const ja = await open(`/app/segments/${formSegmentId}`, "ja");
    await waitForCount(ja.page, "2人");
    await ja.page.getByText("フォームに回答した", { exact: true }).waitFor();
    await ja.page.getByText("回答が次のいずれか").waitFor();
    await screenshot(ja.page, "segments-form-conditions-ja");
    // Ticking hojicha as well: the three who answered.
    await ja.page.getByText("ほうじ茶", { exact: true }).click();
    await waitForCount(ja.page, "3人");
    expect(ja.errors).toEqual([]);
    const en = await open(`/app/segments/${formSegmentId}`, "en", { viewport: NARROW });
    await waitForCount(en.page, "2 friends");
    await en.page.getByText("Answer to a form question", { exact: true }).waitFor();
    await screenshot(en.page, "segments-form-conditions-en-390");
    expect(en.errors).toEqual([]);
  });

  it("opens a segment as a filtered friends list with a banner linking back to it", async () => {
    const { page, errors } = await open(`/app/friends?segment=${segmentId}`, "ja");
    await page.getByText("セグメント: VIP常連").waitFor();
    await expect(page.locator(".Polaris-IndexTable__TableRow").count()).resolves.toBe(9);
    await screenshot(page, "segments-friends-list-ja");
    await page.getByRole("link", { name: "セグメントを編集" }).click();
    await page.waitForURL(new RegExp(`/app/segments/${segmentId}`));
    await waitForCount(page, "9人");
    const narrow = await open(`/app/friends?segment=${segmentId}`, "en", { viewport: NARROW });
    await narrow.page.getByText("Segment: VIP常連").waitFor();
    await screenshot(narrow.page, "segments-friends-list-en-390");
    expect(errors).toEqual([]);
  });
  it("shows the save bar while the segment differs from what is stored: Discard puts it back, leaving asks first, Save says so in a toast", async () => {
    const { page, errors } = await open(`/app/segments/${segmentId}`, "ja");
    await waitForCount(page, "9人");
    const name = page.getByLabel("セグメント名");
    expect(await openSaveBar(page)).toBeNull();
    await name.fill("VIP常連（変更中）");
    await page.waitForFunction(() => document.documentElement.getAttribute("data-save-bar-open") === "segment-save-bar");
    await screenshot(page, "segments-editor-save-bar-ja");
    await page.locator("ui-save-bar button", { hasText: "破棄" }).click();
    await page.waitForFunction(() => !document.documentElement.hasAttribute("data-save-bar-open"));
    expect(await name.inputValue()).toBe("VIP常連");

    await name.fill("VIP常連（変更中）");
    // The back link, from the keyboard (the stand-in's save bar covers the top of the page, as the admin's top bar does).
    await page.getByRole("link", { name: "セグメント" }).first().focus();
    await page.keyboard.press("Enter");
    await page.getByText("保存していない変更があります。ページを離れますか？").waitFor();
    await page.getByRole("button", { name: "このページにとどまる" }).click();
    expect(new URL(page.url()).pathname).toBe(`/app/segments/${segmentId}`);

    await name.fill("VIP常連");
    await page.waitForFunction(() => !document.documentElement.hasAttribute("data-save-bar-open"));
    await name.fill("VIPの常連さん");
    await page.locator("ui-save-bar button", { hasText: "保存" }).click();
    await waitForToast(page, "セグメントを保存しました");
    await page.waitForFunction(() => !document.documentElement.hasAttribute("data-save-bar-open"));
    expect((await db.segment.findUniqueOrThrow({ where: { id: segmentId } })).name).toBe("VIPの常連さん");
    await db.segment.update({ where: { id: segmentId }, data: { name: "VIP常連" } });
    expect(errors).toEqual([]);
  });
});
