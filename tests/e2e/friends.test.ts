// The friends list and a friend's page in Chromium, served by the real web process, in Japanese and English.
// Screenshots go to tests/output/.
import type { Friend } from "@prisma/client";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, emptyStateIllustrationShown, screenshot, toasts, waitForToast } from "../support/browser";
import { DESKTOP, expectFits, expectNoEnglish, PHONE } from "../support/layout";
import { createFriend, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { withWorkers } from "../support/worker";

const EMPTY_SHOP = "empty-friends.myshopify.com";

let hanako: Friend;
let taro: Friend;
let longName: Friend;
let emojiName: Friend;
const LONG_NAME = "株式会社グリーンティーワールド 代表取締役 佐藤 健太郎（東京本店・大阪支店・福岡支店 担当）";
const EMOJI_NAME = "🍵👩‍👩‍👧 まっちゃ";
let channelId: string;
let emptyChannelId: string;

const avatar = (color: string) =>
  `data:image/svg+xml;utf8,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80"><rect width="80" height="80" fill="${color}"/><circle cx="40" cy="32" r="14" fill="#fff"/><rect x="18" y="52" width="44" height="20" rx="10" fill="#fff"/></svg>`)}`;

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  await sessionStorage.storeSession(offlineSession(EMPTY_SHOP));
  await db.shop.createMany({ data: [{ shop: TEST_SHOP_DOMAIN }, { shop: EMPTY_SHOP }] });
  const connected = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea", accessToken: true });
  emptyChannelId = (await connectedAccount(db, EMPTY_SHOP, { displayName: "Empty Tea", accessToken: true })).channel.channelId;
  const { account } = connected;
  channelId = connected.channel.channelId;

  const [vip, sale, matcha] = await Promise.all(
    [["VIP", "success"], ["セール希望", "attention"], ["抹茶好き", "info"]].map(([name, color]) =>
      db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name, color } }),
    ),
  );
  const names = ["佐藤 健", "鈴木 美咲", "高橋 大輔", "田中 優子", "伊藤 翔", "渡辺 さくら", "Emily Chen", "山本 蓮", "中村 陽菜", "小林 悠斗",
    "加藤 結衣", "吉田 颯", "Lin Wei", "山田 葵", "佐々木 湊", "山口 凛", "松本 陸", "井上 美月", "木村 蒼", "林 芽依",
    "斎藤 樹", "清水 杏", "Somchai K.", "山崎 大和", "森 紬"];
  const start = Date.UTC(2026, 9, 1, 3, 0);
  for (const [i, displayName] of names.entries()) {
    const friend = await createFriend(db, account, {
      displayName,
      createdAt: new Date(start + i * 3_600_000 * 7),
      followStatus: i % 9 === 4 ? "blocked" : i % 11 === 7 ? "unknown" : "following",
      shopifyCustomerId: i % 4 === 0 ? String(7_000_000_000 + i) : null,
      operatorBlockedAt: i === 12 ? new Date(start) : undefined,
    });
    if (i % 3 === 0) await db.friend.update({ where: { id: friend.id }, data: { pictureUrl: avatar(["#06c755", "#2c6ecb", "#b98900"][(i / 3) % 3]) } });
    if (i % 2 === 0) await db.friendTag.create({ data: { shop: TEST_SHOP_DOMAIN, friendId: friend.id, tagId: vip.id } });
    if (i % 5 === 1) await db.friendTag.create({ data: { shop: TEST_SHOP_DOMAIN, friendId: friend.id, tagId: matcha.id } });
  }
  // Imported followers have no profile until they interact.
  await db.friend.createMany({
    data: [1, 2, 3].map((i) => ({
      shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, lineUserId: lineUserId(), followStatus: "following", source: "import",
      createdAt: new Date(start - i * 86_400_000),
    })),
  });

  hanako = await createFriend(db, account, { displayName: "山田 花子", createdAt: new Date(start + 30 * 86_400_000), shopifyCustomerId: "7123456789" });
  await db.friend.update({
    where: { id: hanako.id },
    data: { pictureUrl: avatar("#06c755"), statusMessage: "お茶のある暮らし🍵", language: "ja", followedAt: new Date(start), source: "liff" },
  });
  await db.friendTag.createMany({
    data: [vip, sale].map((tag) => ({ shop: TEST_SHOP_DOMAIN, friendId: hanako.id, tagId: tag.id })),
  });
  const thread: [string, string, string | null, number][] = [
    ["in", "こんにちは。抹茶の缶はまだ在庫ありますか？", null, 0],
    ["out", "お問い合わせありがとうございます。はい、20缶ございます。", "reply", 2],
    ["in", "sticker", null, 3],
    ["out", "本日発送いたしました。到着まで少々お待ちください。", "push", 60 * 24],
    ["out", "ご注文ありがとうございます！", "push-failed", 60 * 25],
    ["in", "届きました！とても美味しいです。また注文します。", null, 60 * 48],
  ];
  const threadStart = Date.now() - 3 * 86_400_000;
  for (const [direction, text, via, minutes] of thread) {
    const latest = minutes === 60 * 48;
    await db.message.create({
      data: {
        shop: TEST_SHOP_DOMAIN,
        lineAccountId: account.id,
        friendId: hanako.id,
        direction,
        kind: text === "sticker" ? "sticker" : "text",
        text: text === "sticker" ? null : text,
        sentVia: via?.replace("-failed", "") ?? null,
        sentBy: direction === "out" ? "staff:1" : null,
        status: via === "push-failed" ? "failed" : "sent",
        error: via === "push-failed" ? "429 You have reached your monthly limit." : null,
        createdAt: latest ? new Date(Date.now() - 5_000) : new Date(threadStart + minutes * 60_000),
        replyToken: latest ? lineFake().issueReplyToken(channelId, hanako.lineUserId, { ttlMs: 600_000 }) : null,
        replyTokenExpiresAt: latest ? new Date(Date.now() + 600_000) : null,
      },
    });
  }
  taro = await createFriend(db, account, { displayName: "鈴木 太郎", followStatus: "blocked", createdAt: new Date(start - 10 * 86_400_000) });

  // Realistic extremes: a very long name with 12 tags and a linked customer, and a name that starts with emoji.
  const more = await Promise.all(
    ["ギフト", "定期便", "新規", "リピーター", "法人", "関西", "九州", "メルマガ", "レビュー済"].map((name) =>
      db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name, color: "info" } }),
    ),
  );
  longName = await createFriend(db, account, { displayName: LONG_NAME, createdAt: new Date(start + 200 * 3_600_000), shopifyCustomerId: "7000000999" });
  await db.customer.create({ data: { shop: TEST_SHOP_DOMAIN, customerId: "7000000999", displayName: "佐藤 健太郎（グリーンティーワールド株式会社 購買部）", lastOrderAt: new Date(start), importStatus: "done", importedAt: new Date(start) } });
  await db.friendTag.createMany({ data: [vip, sale, matcha, ...more].map((tag) => ({ shop: TEST_SHOP_DOMAIN, friendId: longName.id, tagId: tag.id })) });
  await db.message.create({
    data: {
      shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, friendId: longName.id, direction: "in", kind: "text", status: "received",
      text: "来月の法人向けギフトについて、100セット以上の見積もりをお願いできますか？ 納期は3月上旬を希望しています。", createdAt: new Date(start + 201 * 3_600_000),
    },
  });
  emojiName = await createFriend(db, account, { displayName: EMOJI_NAME, createdAt: new Date(start + 199 * 3_600_000) });
}

const { open } = adminBrowser({ seed, timeout: 120_000, page: { viewport: { width: 1280, height: 900 } } });

const rowNames = (page: Page) => page.locator(".Polaris-IndexTable__TableRow").allInnerTexts();

describe("friends list in Chromium", () => {
  it("shows friends with pictures, status, tags, customer and account, in Japanese", async () => {
    const { page, response, errors } = await open("/app/friends", "ja");
    expect(response?.status()).toBe(200);
    await page.getByRole("heading", { name: "友だち" }).first().waitFor();
    const rows = await rowNames(page);
    expect(rows).toHaveLength(32);
    expect(rows[0]).toContain("山田 花子");
    expect(rows[0]).toContain("VIP");
    expect(rows[0]).toContain("セール希望");
    expect(rows[0]).toContain("届きました！とても美味しいです。"); // the last message
    await expect(page.getByText("32 人").count()).resolves.toBeGreaterThan(0);
    expect(rows.filter((row) => row.includes("フォロー中")).length).toBeGreaterThan(15);
    expect(rows.some((row) => row.includes("ブロック"))).toBe(true);
    expect(rows.some((row) => row.includes("管理者ブロック中"))).toBe(true);
    expect(rows.some((row) => row.includes("（名前未取得）") && row.includes("プロフィール未取得"))).toBe(true);
    expect(await page.locator('a[href="shopify://admin/customers/7123456789"]').innerText()).toBe("顧客 7123456789");
    await page.locator(".Polaris-IndexTable__TableRow img").first().waitFor();
    expect(await page.locator(".Polaris-IndexTable__TableRow img").count()).toBeGreaterThan(5);
    await expect(page.getByPlaceholder("名前で検索").count()).resolves.toBe(1);
    await screenshot(page, "friends-ja");
    expect(errors).toEqual([]);
  });

  it("applies the filters in the URL and pages with the cursor, in English", async () => {
    const { page, errors } = await open("/app/friends?status=blocked", "en");
    await page.getByText("Status: Blocked the account").waitFor();
    const blocked = await rowNames(page);
    expect(blocked.length).toBeGreaterThan(1);
    expect(blocked.every((row) => row.includes("Blocked the account"))).toBe(true);
    expect(blocked.some((row) => row.includes("鈴木 太郎"))).toBe(true);

    const paged = await open("/app/friends?limit=20", "en");
    expect(await rowNames(paged.page)).toHaveLength(20);
    await paged.page.getByRole("button", { name: "Next" }).click();
    await paged.page.waitForURL(/after=/);
    await paged.page.waitForFunction(() => document.querySelectorAll(".Polaris-IndexTable__TableRow").length === 12);
    const second = await rowNames(paged.page);
    expect(second.at(-1)).toContain("鈴木 太郎");
    await screenshot(paged.page, "friends-en-page-2");
    await paged.page.getByRole("button", { name: "Previous" }).click();
    await paged.page.waitForFunction(() => document.querySelectorAll(".Polaris-IndexTable__TableRow").length === 20);
    expect((await rowNames(paged.page))[0]).toContain("山田 花子");
    await screenshot(page, "friends-en-blocked");
    expect([...errors, ...paged.errors]).toEqual([]);
  });

  it("explains how friends arrive when there are none, with an import button", async () => {
    const { page, errors } = await open("/app/friends", "ja", { shop: EMPTY_SHOP });
    await page.getByText("友だちはまだいません").waitFor();
    await expect(page.getByRole("button", { name: "既存の友だちを取り込む" }).count()).resolves.toBe(1);
    await expect(page.getByText("認証済アカウントとプレミアムアカウントのみ").count()).resolves.toBe(1);
    await screenshot(page, "friends-empty-ja");
    expect(errors).toEqual([]);
  });

  it("shows a running import's progress, follows it every 2 s and then shows the result, in Japanese", async () => {
    const account = await db.lineAccount.findFirstOrThrow({ where: { shop: TEST_SHOP_DOMAIN } });
    // A worker elsewhere is on it: the row alone decides what the page shows.
    const run = await db.followerImport.create({
      data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, imported: 41_200, existing: 1_300 },
    });
    try {
      const { page, errors } = await open("/app/friends", "ja");
      await page.getByText("Tokyo Tea の友だちを取り込んでいます…").waitFor();
      await expect(page.getByText("これまでに 42,500 人を確認し、うち 41,200 人を新しく追加しました。").count()).resolves.toBe(1);
      await expect(page.locator(".Polaris-Banner .Polaris-Spinner").count()).resolves.toBe(1);
      await page.locator(".Polaris-IndexTable__TableRow img").first().waitFor();
      await screenshot(page, "friends-importing-ja");

      await db.followerImport.update({ where: { id: run.id }, data: { status: "done", imported: 41_250, existing: 1_300, finishedAt: new Date() } });
      await page.getByText("Tokyo Tea の友だちを取り込みました").waitFor({ timeout: 10_000 });
      await expect(page.getByText("新しく 41,250 人を追加しました（1,300 人は登録済みでした）。", { exact: false }).count()).resolves.toBe(1);
      await expect(page.getByText("取り込んでいます").count()).resolves.toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await db.followerImport.delete({ where: { id: run.id } });
    }
  });

  it("imports followers in the background from the button and lists them when done, in Japanese", async () => {
    lineFake().channel(emptyChannelId).followers.push(lineUserId(), lineUserId(), lineUserId());
    const { page, errors } = await open("/app/friends", "ja", { shop: EMPTY_SHOP });
    await emptyStateIllustrationShown(page); // the picture fades in once React runs: the button works from then on
    await page.getByRole("button", { name: "既存の友だちを取り込む" }).click();
    // The action answers at once; the worker has not run yet.
    await page.getByText("Empty Tea の友だちを取り込んでいます…").waitFor();
    expect(await db.followerImport.count({ where: { shop: EMPTY_SHOP, status: "running" } })).toBe(1);

    await withWorkers(() => page.getByText("Empty Tea の友だちを取り込みました").waitFor({ timeout: 15_000 }));
    await expect(page.getByText("新しく 3 人を追加しました（0 人は登録済みでした）。", { exact: false }).count()).resolves.toBe(1);
    await page.waitForFunction(() => document.querySelectorAll(".Polaris-IndexTable__TableRow").length === 3);
    await screenshot(page, "friends-imported-ja");
    expect(errors).toEqual([]);
  });
});

describe("friend page in Chromium", () => {
  it("shows the profile, tags, customer link and the thread, and offers a free reply, in Japanese", async () => {
    const { page, response, errors } = await open(`/app/friends/${hanako.id}`, "ja");
    expect(response?.status()).toBe(200);
    await page.getByRole("heading", { name: "山田 花子" }).first().waitFor();
    await expect(page.getByText("お茶のある暮らし🍵").count()).resolves.toBe(1);
    await expect(page.getByText("ストアからLINE連携").count()).resolves.toBe(1);
    expect(await page.locator('a[href="shopify://admin/customers/7123456789"]').innerText()).toBe("Shopifyで顧客 7123456789 を開く");
    await expect(page.getByText("セール希望").count()).resolves.toBeGreaterThan(0);
    const bubbles = await page.locator("[data-direction]").allInnerTexts();
    expect(bubbles).toHaveLength(6);
    expect(bubbles[0]).toContain("抹茶の缶はまだ在庫ありますか");
    expect(bubbles[1]).toContain("スタッフ · 返信");
    expect(bubbles[2]).toContain("（スタンプ）");
    expect(bubbles[4]).toContain("未送信：この LINE公式アカウントは今月のメッセージ通数の上限に達しました");
    expect(await page.locator('[data-direction="out"]').count()).toBe(3);
    await expect(page.getByText("返信・無料").count()).resolves.toBe(1);
    await expect(page.getByText(/^最新のメッセージへの返信として送信します（\d\d:\d\dまで）。月間のメッセージ通数は消費しません。$/).count()).resolves.toBe(1);
    await expect(page.getByText("日本語").count()).resolves.toBe(1);
    await screenshot(page, "friend-ja");

    await page.getByRole("button", { name: "ブロックする" }).click();
    await page.getByText("山田 花子 さんをブロックしますか？").waitFor();
    await screenshot(page, "friend-ja-block-confirm");
    await page.getByRole("button", { name: "キャンセル" }).click();
    expect(errors).toEqual([]);
  });

  it("sends a reply from the browser and LINE receives it", async () => {
    const { page, errors } = await open(`/app/friends/${hanako.id}`, "en");
    await page.getByText("Reply · free").waitFor();
    await page.getByLabel("Message", { exact: true }).fill("Thank you! See you next time.");
    await page.getByRole("button", { name: "Send" }).click();
    await lineFake().waitFor(() => lineFake().sent(channelId).find((d) => d.kind === "reply"), 10_000);
    expect(lineFake().sent(channelId)).toEqual([
      expect.objectContaining({ kind: "reply", to: [hanako.lineUserId], messages: [{ type: "text", text: "Thank you! See you next time." }] }),
    ]);
    // The page reloads its data: the message is in the thread and the next one will be a push.
    await page.getByText("Push · uses quota").waitFor();
    await expect(page.getByText("Sent as a reply (free).").count()).resolves.toBe(1);
    await expect(page.locator('[data-direction="out"]').last().innerText()).resolves.toContain("Thank you! See you next time.");
    await expect(page.getByText("it counts as 1 message against your monthly quota").count()).resolves.toBe(1);
    await screenshot(page, "friend-en");
    expect(errors).toEqual([]);
  });

  it("answers 404 with a way back for a friend that is not the shop's", async () => {
    const { page, response } = await open("/app/friends/no-such-friend", "ja", { status: 404 });
    expect(response?.status()).toBe(404);
    await page.getByText("この友だちはこのショップにいないか、削除されました。").waitFor();
    await expect(page.getByRole("link", { name: "友だち一覧に戻る" }).count()).resolves.toBe(1);
  });

  it("says why a friend who blocked the account cannot be messaged", async () => {
    const { page, errors } = await open(`/app/friends/${taro.id}`, "ja");
    await page.getByText("この友だちにはメッセージを送信できません").waitFor();
    await expect(page.getByText("アカウントをブロックしているか友だちではない").count()).resolves.toBe(1);
    await expect(page.getByRole("button", { name: "送信" }).count()).resolves.toBe(0);
    await screenshot(page, "friend-blocked-ja");
    expect(errors).toEqual([]);
  });
});

/** Console errors of a page (React reports a hydration mismatch there, not as an uncaught exception). */
const consoleErrors = (into: string[]) => async (page: Page) => {
  page.on("console", (message) => {
    if (message.type() === "error") into.push(message.text());
  });
};

describe("friends pages fit at 1280 and 390 px, in Japanese and English", () => {
  for (const locale of ["ja", "en"] as const) {
    for (const viewport of [DESKTOP, PHONE]) {
      it(`lists friends with names, status and key facts (${locale}, ${viewport.width} px)`, async () => {
        const logged: string[] = [];
        const { page, response, errors } = await open("/app/friends", locale, { viewport, prepare: consoleErrors(logged) });
        // The server's HTML is whole: no emoji cut in half (U+FFFD) in an avatar's initial.
        const html = (await response?.text()) ?? "";
        expect(html).not.toContain("\uFFFD");
        expect(html).toContain(EMOJI_NAME);
        await page.locator(".Polaris-IndexTable__TableRow").first().waitFor();
        // Hydrated without a mismatch (React error #425 and friends): the table's condensed layout on a phone
        // is switched after hydration (a bound on waiting on a loaded machine, not a speed check).
        if (viewport.width < 500) await page.locator("li.Polaris-IndexTable__TableRow").first().waitFor({ timeout: 90_000 });
        const rows = page.locator(".Polaris-IndexTable__TableRow");
        const longRow = rows.filter({ hasText: "株式会社グリーンティーワールド" });
        const text = await longRow.innerText();
        expect(text).toContain(locale === "ja" ? "フォロー中" : "Following");
        expect(text).toContain("来月の法人向けギフト"); // last message preview
        expect(text).toContain("+10"); // 2 of 12 tags, the rest on hover
        expect(text).toContain("佐藤 健太郎（グリーンティーワールド"); // the customer's name, not an id
        // The full name and every tag are there on hover.
        await expect(longRow.locator(`[title="${LONG_NAME}"]`).count()).resolves.toBe(1);
        expect(await longRow.locator('[title*="レビュー済"]').count()).toBe(1);
        const emojiRow = rows.filter({ hasText: "まっちゃ" });
        expect(await emojiRow.locator(".Polaris-Avatar").innerText()).toBe("🍵");
        await expectFits(page);
        if (locale === "ja") await expectNoEnglish(page);
        await screenshot(page, `friends-list-${locale}-${viewport.width}`);
        expect(errors).toEqual([]);
        expect(logged.filter((line) => /#4(18|23|25)|hydrat|did not match/i.test(line))).toEqual([]);
      });

      it(`shows a friend's page (${locale}, ${viewport.width} px)`, async () => {
        const logged: string[] = [];
        const { page, errors } = await open(`/app/friends/${longName.id}`, locale, { viewport, prepare: consoleErrors(logged) });
        await page.locator("[data-direction]").first().waitFor();
        await expect(page.getByText("レビュー済").count()).resolves.toBeGreaterThan(0);
        await expectFits(page);
        if (locale === "ja") await expectNoEnglish(page);
        await screenshot(page, `friend-page-${locale}-${viewport.width}`);
        expect(errors).toEqual([]);
        expect(logged.filter((line) => /#4(18|23|25)|hydrat|did not match/i.test(line))).toEqual([]);
      });
    }
  }
});

describe("bulk actions in Chromium", () => {
  it("adds a tag to every friend of the filter through 'select all matching', and says how many changed", async () => {
    const tag = await db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name: "一括テスト" } });
    const blocked = await db.friend.count({ where: { shop: TEST_SHOP_DOMAIN, followStatus: "blocked" } });
    const { page, errors } = await open("/app/friends?status=blocked&limit=2", "en", { viewport: DESKTOP });
    await page.locator(".Polaris-IndexTable__TableRow").first().waitFor();
    await page.waitForFunction(() => Boolean((window as { shopify?: unknown }).shopify));
    // Both friends of this page, then every friend of the filter.
    const rowBoxes = page.locator(".Polaris-IndexTable__TableRow input[type=checkbox]");
    await rowBoxes.nth(0).check({ force: true });
    await rowBoxes.nth(1).check({ force: true });
    await page.getByRole("button", { name: `Select all ${blocked} friends matching this filter` }).click();
    await page.getByRole("button", { name: "Add tag" }).click();
    await page.getByRole("dialog", { name: "Add tag" }).getByLabel("Tag", { exact: true }).selectOption(tag.id);
    await expect(page.getByText(`All ${blocked} friends matching this filter`).count()).resolves.toBe(1);
    await screenshot(page, "friends-bulk-en");
    await page.getByRole("button", { name: "Apply" }).click();
    await waitForToast(page, `Tag added to ${blocked} of ${blocked} friends`);
    expect(await db.friendTag.count({ where: { tagId: tag.id } })).toBe(blocked);
    expect(await toasts(page)).toContain(`Tag added to ${blocked} of ${blocked} friends`);
    expect(errors).toEqual([]);
  });
});
