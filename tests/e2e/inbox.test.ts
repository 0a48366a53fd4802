// The inbox in headless Chromium, served by the real web process: a long thread opens at its latest message with
// the composer in view (both inside the window, no page scrolling), older messages load as the thread scrolls up,
// a received image and a sticker show, broadcasts and cart reminders appear as what they are; the quota meter on
// the home page. Japanese and English, 1280 and 390 pixels; screenshots in tests/output/inbox-*.png.
import { deflateSync } from "node:zlib";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, screenshot } from "../support/browser";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;
const THREAD_LENGTH = 150;
let friendId = "";

/** A solid-colour PNG of the given size (what LINE's content endpoint would have returned). */
function png(width: number, height: number, rgb: [number, number, number]) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const byte of buf) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(8 + data.length + 4);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

async function seed() {
  await createShop(db, { shop: TEST_SHOP_DOMAIN, timeZone: "Asia/Tokyo" });
  await sessionStorage.storeSession(offlineSession());
  const { account, channel } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea", accessToken: true });
  channel.quota = { type: "limited", value: 5_000 };
  channel.totalUsage = 3_210;
  const start = Date.now() - THREAD_LENGTH * 60_000 - 3_600_000;
  const friend = await db.friend.create({
    data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, lineUserId: lineUserId(), displayName: "山田 花子", followStatus: "following", lastMessageAt: new Date(start + THREAD_LENGTH * 60_000) },
  });
  friendId = friend.id;
  await db.message.createMany({
    data: Array.from({ length: THREAD_LENGTH }, (_, i) => ({
      shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, friendId: friend.id,
      direction: i % 3 === 2 ? "out" : "in", kind: "text", sentVia: i % 3 === 2 ? "push" : null,
      text: i === THREAD_LENGTH - 1 ? "最後のメッセージ: 明日届きますか？" : `メッセージ ${i + 1} — 抹茶の在庫について`,
      createdAt: new Date(start + i * 60_000),
    })),
  });
  const image = await db.message.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, friendId: friend.id, direction: "in", kind: "image", lineMessageId: "7001", createdAt: new Date(start + (THREAD_LENGTH - 4.5) * 60_000) } });
  await db.messageContent.create({
    data: { messageId: image.id, shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, status: "stored", contentType: "image/png", bytes: new Uint8Array(png(200, 140, [46, 160, 67])), size: 1, fetchedAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000) },
  });
  await db.message.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, friendId: friend.id, direction: "in", kind: "sticker", payload: { type: "sticker", packageId: "446", stickerId: "1988" }, createdAt: new Date(start + (THREAD_LENGTH - 3.5) * 60_000) } });
  const sent = (minute: number) => ({ status: "sent", sentAt: new Date(start + minute * 60_000), dueAt: new Date(start + minute * 60_000) });
  await db.delivery.createMany({
    data: [
      { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, kind: "broadcast", channel: "multicast", sourceId: "b1", recipients: [friend.lineUserId], messages: [{ type: "text", text: "冬のセールが始まりました！" }], ...sent(THREAD_LENGTH - 6.5) },
      { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, kind: "cart-reminder", channel: "push", sourceId: "r1", recipients: [friend.lineUserId], friendId: friend.id, messages: [{ type: "flex", altText: "カートに商品が残っています", contents: { type: "bubble" } }], ...sent(THREAD_LENGTH - 5.5) },
    ],
  });
  for (const [index, name] of ["佐藤 太郎", "Emily Chen", "鈴木 一郎"].entries()) {
    const other = await db.friend.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, lineUserId: lineUserId(), displayName: name, followStatus: "following", lastMessageAt: new Date(start - index * 3_600_000) } });
    await db.message.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, friendId: other.id, direction: "in", kind: "text", text: "注文の確認をお願いします", createdAt: new Date(start - index * 3_600_000) } });
  }
  await db.savedReply.create({ data: { shop: TEST_SHOP_DOMAIN, title: "営業時間", text: "営業時間は平日10時〜18時です。" } });
  // A scheduled send this month, counted by the meter.
  await db.delivery.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, kind: "broadcast", channel: "multicast", sourceId: "b2", recipients: [lineUserId(), lineUserId()], messages: [{ type: "text", text: "x" }], dueAt: new Date(Date.now() + 60_000) } });
}

const STICKER = png(120, 120, [250, 200, 40]);
const admin = adminBrowser({
  seed,
  page: {
    prepare: async (page) => {
      await page.route(/^https:\/\/stickershop\.line-scdn\.net\//, (route) => route.fulfill({ status: 200, contentType: "image/png", body: STICKER }));
    },
  },
});

async function inViewport(page: Page, selector: string) {
  const box = await page.locator(selector).last().boundingBox();
  const viewport = page.viewportSize()!;
  expect(box, selector).not.toBeNull();
  expect(box!.y, `${selector} top`).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height, `${selector} bottom`).toBeLessThanOrEqual(viewport.height);
}

const imageLoaded = (page: Page, selector: string) =>
  page.waitForFunction((s) => [...document.querySelectorAll<HTMLImageElement>(s)].some((img) => img.complete && img.naturalWidth > 0), selector);

describe("the inbox in Chromium", () => {
  it("opens a long thread at its latest message with the composer in view, in ja and en at 1280 and 390 px", async () => {
    for (const locale of ["ja", "en"] as const) {
      for (const viewport of VIEWPORTS) {
        const { page, errors } = await admin.open(`/app/inbox?c=${friendId}`, locale, { viewport });
        const thread = page.getByTestId("thread-scroll");
        await thread.getByText("最後のメッセージ: 明日届きますか？").waitFor();
        await imageLoaded(page, "img.inbox-image");
        await imageLoaded(page, "img.inbox-sticker");
        await page.waitForFunction(() => {
          const box = document.querySelector("[data-testid=thread-scroll]")!;
          return box.scrollHeight - box.scrollTop - box.clientHeight < 2;
        });
        await inViewport(page, "[data-testid=thread-item]");
        await inViewport(page, "[data-testid=composer] textarea");
        await inViewport(page, "[data-testid=composer] button.Polaris-Button--variantPrimary");
        await thread.getByText(locale === "ja" ? "かご落ちリマインド" : "Cart reminder").waitFor();
        await thread.getByText(locale === "ja" ? "一斉配信" : "Broadcast", { exact: true }).waitFor();
        await thread.getByText("カートに商品が残っています").waitFor();
        await screenshot(page, `inbox-thread-${locale}-${viewport.width}`);

        // Scrolling up loads older pages until the start of the conversation.
        const before = await page.locator("[data-testid=thread-item]").count();
        expect(before).toBeLessThan(THREAD_LENGTH);
        const startText = locale === "ja" ? "会話の始まり" : "Start of the conversation";
        for (let i = 0; i < 10; i++) {
          if (await page.getByText(startText).isVisible()) break;
          // Counted before the scroll: the older page may arrive before the next line runs.
          const shown = await page.locator("[data-testid=thread-item]").count();
          await page.locator("[data-testid=thread-scroll]").evaluate((box) => box.scrollTo({ top: 0 }));
          await page.waitForFunction(
            ([n, text]) => document.querySelectorAll("[data-testid=thread-item]").length > n || document.body.innerText.includes(text),
            [shown, startText] as const,
          );
        }
        await page.getByText(locale === "ja" ? "会話の始まり" : "Start of the conversation").waitFor();
        expect(await page.locator("[data-testid=thread-item]").count()).toBe(THREAD_LENGTH + 4);
        await thread.getByText("メッセージ 1 — 抹茶の在庫について", { exact: true }).waitFor();
        expect(errors).toEqual([]);
        await page.close();
      }
    }
  });

  it("lists conversations with unread counts, and shows the quota meter on the home page", async () => {
    for (const locale of ["ja", "en"] as const) {
      for (const viewport of VIEWPORTS) {
        const { page, errors } = await admin.open("/app/inbox", locale, { viewport });
        await page.getByText("佐藤 太郎").waitFor();
        await page.getByText(locale === "ja" ? "未読 1" : "1 unread").first().waitFor();
        await screenshot(page, `inbox-list-${locale}-${viewport.width}`);
        await page.close();
        const home = await admin.open("/app", locale, { viewport });
        await home.page.getByText(locale === "ja" ? "ライトプラン（無料メッセージ5,000通）" : "Light plan (5,000 free messages)").waitFor();
        await home.page.getByText(locale === "ja" ? "予約分を引いた残り: 1,788通" : "Left after scheduled sends: 1,788").waitFor();
        await home.page.getByText(locale === "ja" ? "LINEの集計: 3,210通" : "LINE: 3,210", { exact: false }).waitFor();
        await screenshot(home.page, `inbox-quota-home-${locale}-${viewport.width}`);
        expect([...errors, ...home.errors]).toEqual([]);
        await home.page.close();
      }
    }
  });
});
