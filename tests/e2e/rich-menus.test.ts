// The rich-menu pages in headless Chromium, served by the real web process: the list, the editor with its image,
// the tap areas drawn over it and its tabs, the image check and its resize offer, the tag-rule page (keys and
// drag), the friend page's menu line and the action-links page, in Japanese and English at 1280 and 390 pixels.
// The menus are published by the real worker to the LINE fake. Screenshots go to tests/output/rich-menus-*.png.
import type { Page } from "playwright-core";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveActionLink } from "~/action-links/action-links.server";
import { publishRichMenu, saveRichMenu, saveRules, saveTabGroup, setDefaultMenu } from "~/rich-menus/rich-menus.server";
import { TEMPLATES, type AreaActionInput, type TemplateId } from "~/rich-menus/model";
import { messages } from "~/i18n/messages";
import { sessionStorage } from "~/shopify.server";
import { startWorkers, stopWorkers } from "../../jobs/worker";
import { adminBrowser, screenshot, waitForToast } from "../support/browser";
import { createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { waitUntil } from "../support/worker";

const WIDTHS = [1280, 390] as const;
const URL_ERROR = messages.en["richMenus.error.url"];
const ids = { main: "", sale: "", vip: "", friend: "", account: "", vipTag: "", matchaTag: "" };

/** A menu picture: coloured panels with an icon-like circle and a word, as a designer would hand it over. */
async function menuPicture(layout: TemplateId, words: string[], palette: string[]) {
  const { size, areas } = TEMPLATES[layout];
  const height = size === "full" ? 1686 : 843;
  const panels = areas
    .map((b, i) => {
      const cx = b.x + b.width / 2;
      const cy = b.y + b.height / 2;
      return `<rect x="${b.x}" y="${b.y}" width="${b.width}" height="${b.height}" fill="${palette[i % palette.length]}"/>
        <circle cx="${cx}" cy="${cy - 90}" r="110" fill="rgba(255,255,255,.85)"/>
        <text x="${cx}" y="${cy + 150}" font-size="120" font-family="Noto Sans CJK JP, sans-serif" font-weight="700" fill="#fff" text-anchor="middle">${words[i] ?? ""}</text>`;
    })
    .join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2500" height="${height}">${panels}</svg>`;
  const bytes = await sharp(Buffer.from(svg)).png({ palette: true }).toBuffer();
  return { bytes, type: "image/png", width: 2500, height };
}

function menu(lineAccountId: string, name: string, layout: TemplateId, actions: AreaActionInput[]) {
  const { size, areas } = TEMPLATES[layout];
  return { lineAccountId, name, chatBarText: "メニュー", size, layout, areas: areas.map((bounds, i) => ({ bounds, action: actions[i] ?? { type: "message" as const, text: "?" } })) };
}

async function live(menuId: string) {
  const queued = await publishRichMenu(TEST_SHOP_DOMAIN, menuId);
  if ("errors" in queued) throw new Error(JSON.stringify(queued.errors));
  return waitUntil(() => db.richMenuVersion.findFirst({ where: { id: queued.versionId, status: "live" } }), 90_000);
}

async function seed() {
  await createShop(db, { shop: TEST_SHOP_DOMAIN, timeZone: "Asia/Tokyo" });
  await sessionStorage.storeSession(offlineSession());
  const { account, channel } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea", accessToken: true, liffId: "2000000001-TokyoTea" });
  ids.account = account.id;
  ids.vipTag = (await db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name: "VIP", color: "success" } })).id;
  ids.matchaTag = (await db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name: "抹茶好き" } })).id;
  const green = ["#06c755", "#0b8f45", "#2e7d32", "#1b5e20", "#388e3c", "#43a047"];
  const orange = ["#ef6c00", "#f57c00", "#fb8c00", "#e65100", "#ff9800", "#ffa726"];
  const save = async (input: ReturnType<typeof menu>, image: Awaited<ReturnType<typeof menuPicture>>, id: string | null = null) => {
    const saved = await saveRichMenu(TEST_SHOP_DOMAIN, id, input, image);
    if ("errors" in saved) throw new Error(JSON.stringify(saved.errors));
    return saved.menu.id;
  };
  const mainImage = await menuPicture("full-6", ["商品", "営業時間", "VIP", "セール", "予約", "ショップ"], green);
  const saleImage = await menuPicture("full-6", ["抹茶", "煎茶", "ほうじ茶", "メイン", "ギフト", "新着"], orange);
  ids.main = await save(menu(account.id, "メインメニュー", "full-6", [{ type: "message", text: "?" }]), mainImage);
  ids.sale = await save(menu(account.id, "セールタブ", "full-6", [{ type: "message", text: "?" }]), saleImage);
  const group = await saveTabGroup(TEST_SHOP_DOMAIN, null, { lineAccountId: account.id, menuIds: [ids.main, ids.sale] });
  if ("errors" in group) throw new Error("group");
  await save(
    menu(account.id, "メインメニュー", "full-6", [
      { type: "uri", target: "product", url: "https://tokyo-tea.example/products/matcha-latte", title: "抹茶ラテ", resourceId: "gid://shopify/Product/1" },
      { type: "message", text: "営業時間を教えてください" },
      { type: "tag", op: "add", tagId: ids.vipTag },
      { type: "tab", richMenuId: ids.sale },
      { type: "liff", path: "/reserve" },
      { type: "uri", target: "url", url: "https://tokyo-tea.example/" },
    ]),
    mainImage,
    ids.main,
  );
  await save(
    menu(account.id, "セールタブ", "full-6", [
      { type: "uri", target: "collection", url: "https://tokyo-tea.example/collections/matcha", title: "抹茶コレクション" },
      { type: "message", text: "煎茶" },
      { type: "tag", op: "add", tagId: ids.matchaTag },
      { type: "tab", richMenuId: ids.main },
      { type: "message", text: "ギフト" },
      { type: "uri", target: "url", url: "https://tokyo-tea.example/new" },
    ]),
    saleImage,
    ids.sale,
  );
  ids.vip = await save(
    menu(account.id, "VIPメニュー", "compact-3", [
      { type: "uri", target: "url", url: "https://tokyo-tea.example/vip" },
      { type: "message", text: "VIP特典" },
      { type: "tag", op: "remove", tagId: ids.vipTag },
    ]),
    await menuPicture("compact-3", ["VIP特典", "相談", "解除"], ["#6a1b9a", "#7b1fa2", "#8e24aa"]),
  );
  const friend = await db.friend.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, lineUserId: `U${"a1".repeat(16)}`, displayName: "佐藤 花子", followStatus: "following" } });
  ids.friend = friend.id;
  await db.friendTag.create({ data: { shop: TEST_SHOP_DOMAIN, friendId: friend.id, tagId: ids.vipTag } });
  await saveActionLink(TEST_SHOP_DOMAIN, null, { name: "春のクーポン", lineAccountId: account.id, targetUrl: "https://tokyo-tea.example/coupon", addTagIds: [ids.matchaTag], richMenuId: ids.sale });

  const workers = await startWorkers();
  try {
    const mainVersion = await live(ids.main);
    await live(ids.sale);
    await setDefaultMenu(TEST_SHOP_DOMAIN, account.id, ids.main);
    const rules = await saveRules(TEST_SHOP_DOMAIN, account.id, [
      { tagId: ids.vipTag, richMenuId: ids.vip },
      { tagId: ids.matchaTag, richMenuId: ids.sale },
    ]);
    if ("errors" in rules) throw new Error(JSON.stringify(rules.errors));
    await waitUntil(async () => (await db.friendRichMenu.findUnique({ where: { friendId: friend.id } }))?.linkedLineMenuId ?? null, 90_000);
    // Every change the publishes and rules marked is applied before the worker stops.
    await waitUntil(async () => (await db.friendRichMenu.count({ where: { lineAccountId: account.id, dirtyAt: { not: null } } })) === 0, 90_000);
    const bounds = TEMPLATES["full-6"].areas;
    lineFake().richMenus.setInsight(channel.channelId, mainVersion.lineRichMenuId!, {
      impression: { metrics: { count: 4_210, uniqueUsers: 1_380 } },
      clicks: bounds.map((b, i) => ({ bounds: b, metrics: { count: [812, 240, 133, 421, 95, 310][i]!, uniqueUsers: [500, 200, 120, 300, 80, 250][i]! } })),
    });
  } finally {
    await stopWorkers(workers, 10_000);
  }
}

const admin = adminBrowser({ seed, timeout: 240_000 });

async function atWidth(page: Page, width: number) {
  await page.setViewportSize({ width, height: 900 });
  await page.waitForTimeout(150);
}

async function shots(page: Page, name: string) {
  for (const width of WIDTHS) {
    await atWidth(page, width);
    await screenshot(page, `${name}-${width}`);
  }
}

describe("rich-menu pages in Chromium", () => {
  it("lists the menus with their previews", async () => {
    for (const locale of ["ja", "en"]) {
      const { page, errors } = await admin.open("/app/rich-menus", locale);
      await page.locator('[data-menu="メインメニュー"] img').waitFor();
      await page.getByText(locale === "ja" ? "デフォルト" : "Default", { exact: true }).first().waitFor();
      await shots(page, `rich-menus-list-${locale}`);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("shows the editor with its image, the areas drawn over it, tabs and taps per area", async () => {
    for (const locale of ["ja", "en"]) {
      const { page, errors } = await admin.open(`/app/rich-menus/${ids.main}`, locale);
      const preview = page.getByTestId("rich-menu-preview");
      await preview.locator("img").waitFor();
      for (const n of [1, 2, 3, 4, 5, 6]) await preview.locator(`[data-area="${n}"]`).waitFor();
      const labels = await preview.locator("[data-area]").allInnerTexts();
      expect(labels.join("|")).toContain(locale === "ja" ? "抹茶ラテを開く" : "Opens 抹茶ラテ");
      expect(labels.join("|")).toContain(locale === "ja" ? "セールタブに切り替え" : "Switches to セールタブ");
      expect(labels.join("|")).toContain("VIP");
      await page.getByText(locale === "ja" ? "タブ2: セールタブ" : "Tab 2: セールタブ").waitFor();
      await page.getByText("812").waitFor();
      await shots(page, `rich-menus-editor-${locale}`);
      expect(errors).toEqual([]);
      await page.close();
    }
    // Publishing says when the change will be live, on the shop's clock.
    const { page, errors } = await admin.open(`/app/rich-menus/${ids.sale}`, "en");
    const versions = await db.richMenuVersion.count({ where: { richMenuId: ids.sale } });
    await page.getByRole("button", { name: "Publish" }).click();
    await page.waitForFunction(() => ((window as unknown as { __toasts?: string[] }).__toasts ?? []).some((toast) => /^Publishing: live by \d\d:\d\d\.$/.test(toast)));
    expect(await db.richMenuVersion.count({ where: { richMenuId: ids.sale } })).toBe(versions + 1);
    await screenshot(page, "rich-menus-editor-published-en-1280");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("checks an uploaded image, names the limit broken and offers a conforming copy", async () => {
    const { page, errors } = await admin.open(`/app/rich-menus/new?account=${ids.account}`, "en");
    const input = page.locator('input[type="file"]');
    const narrow = await sharp({ create: { width: 1000, height: 800, channels: 3, background: "#06c755" } }).png().toBuffer();
    await input.setInputFiles({ name: "square.png", mimeType: "image/png", buffer: narrow });
    await page.getByText("Width ÷ height is 1.25; LINE needs at least 1.45").waitFor();
    expect(await page.getByRole("button", { name: "Resize and compress" }).count()).toBe(0);
    const heavy = await sharp({ create: { width: 2500, height: 1686, channels: 3, background: "#000", noise: { type: "gaussian", mean: 128, sigma: 90 } } }).jpeg({ quality: 100 }).toBuffer();
    await input.setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: heavy });
    await page.getByText(/The file is [\d.]+ MB; LINE allows at most 1 MB/).waitFor();
    await screenshot(page, "rich-menus-image-check-en-1280");
    await page.getByRole("button", { name: "Resize and compress" }).click();
    await page.getByText(/Resized copy ready/).waitFor({ timeout: 60_000 });
    await page.getByTestId("rich-menu-preview").locator("img").waitFor();
    await screenshot(page, "rich-menus-image-fixed-en-1280");
    // The fixed copy is what is saved with the new menu.
    await page.getByLabel("Name (only you see it)").fill("Photo menu");
    await page.getByLabel("Chat bar text").fill("Shop");
    await page.locator('[data-layout="full-1"]').click();
    // An area with no target is refused with the field's reason.
    await page.getByRole("button", { name: "Save draft" }).click();
    await page.locator('[data-area-editor="1"]').getByText(URL_ERROR).waitFor();
    await screenshot(page, "rich-menus-editor-errors-en-1280");
    await page.locator('[data-area-editor="1"]').getByLabel("URL").fill("https://tokyo-tea.example/");
    await page.getByRole("button", { name: "Save draft" }).click();
    const saved = await waitUntil(() => db.richMenu.findFirst({ where: { shop: TEST_SHOP_DOMAIN, name: "Photo menu" } }), 30_000);
    expect(saved).toMatchObject({ chatBarText: "Shop", imageWidth: expect.any(Number), layout: "full-1" });
    expect(saved.image!.byteLength).toBeLessThanOrEqual(1024 * 1024);
    await page.waitForURL(new RegExp(`/app/rich-menus/${saved.id}`));
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it("says on the friend page which menu the friend sees and why", async () => {
    for (const locale of ["ja", "en"]) {
      const { page, errors } = await admin.open(`/app/friends/${ids.friend}`, locale);
      const line = page.getByTestId("friend-rich-menu");
      await line.waitFor();
      expect(await line.innerText()).toContain(locale === "ja" ? "VIPメニュー（タグ別ルール「VIP」）" : "VIPメニュー — tag rule “VIP”");
      // The worker linked it: nothing is waiting to be applied at LINE.
      expect(await line.innerText()).not.toContain(locale === "ja" ? "反映中" : "Being updated");
      await shots(page, `rich-menus-friend-${locale}`);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("orders tag rules by keys and by dragging, and saves them", async () => {
    for (const locale of ["ja", "en"]) {
      const { page, errors } = await admin.open(`/app/rich-menus/rules?account=${ids.account}`, locale);
      await page.locator('[data-rule="2"]').waitFor();
      await shots(page, `rich-menus-rules-${locale}`);
      expect(errors).toEqual([]);
      await page.close();
    }
    const { page } = await admin.open(`/app/rich-menus/rules?account=${ids.account}`, "en");
    await page.getByRole("button", { name: "Move rule 2 up" }).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("button", { name: "Save order and rules" }).click();
    await waitForToast(page, "Rules saved. Friends' menus are being updated.");
    const order = async () => (await db.richMenuRule.findMany({ where: { lineAccountId: ids.account }, orderBy: { priority: "asc" } })).map((r) => r.tagId);
    expect(await order()).toEqual([ids.matchaTag, ids.vipTag]);
    await page.dragAndDrop('[data-drag-handle="2"]', '[data-rule="1"]');
    await page.getByRole("button", { name: "Save order and rules" }).click();
    await waitUntil(async () => (await order())[0] === ids.vipTag);
    expect(await order()).toEqual([ids.vipTag, ids.matchaTag]);
    await page.close();
  });

  it("lists action links with what they do", async () => {
    for (const locale of ["ja", "en"]) {
      const { page, errors } = await admin.open("/app/action-links", locale);
      await page.getByText("春のクーポン").waitFor();
      await shots(page, `rich-menus-action-links-${locale}`);
      expect(errors).toEqual([]);
      await page.close();
    }
    const { page, errors } = await admin.open("/app/action-links", "en");
    await page.getByRole("button", { name: "Create action link" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill("VIP invite");
    await dialog.getByLabel("Opens (https URL)").fill("not a url");
    await dialog.getByRole("button", { name: "Save" }).click();
    await dialog.getByText("Enter an https URL").waitFor();
    await dialog.getByText("Choose at least one thing the link does").waitFor();
    await screenshot(page, "rich-menus-action-link-form-en-1280");
    await dialog.getByLabel("Opens (https URL)").fill("https://tokyo-tea.example/vip");
    await dialog.locator("fieldset").first().getByText("VIP", { exact: true }).click();
    await dialog.getByLabel("Switch the rich menu to").selectOption({ label: "VIPメニュー" });
    await dialog.getByRole("button", { name: "Save" }).click();
    await waitForToast(page, "Link saved.");
    const created = await db.actionLink.findFirstOrThrow({ where: { name: "VIP invite" } });
    expect(created.actions).toMatchObject({ addTagIds: [ids.vipTag], removeTagIds: [], richMenuId: ids.vip });
    await page.getByText("VIP invite").waitFor();
    expect(errors).toEqual([]);
  });
});
