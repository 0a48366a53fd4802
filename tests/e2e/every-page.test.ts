// Every admin page of the product (app/routes/app.*.tsx without the resource routes), opened the way the Shopify
// admin opens it, in Japanese and English at 1280×800 and 390×844, with a shop that looks like a merchant's after
// a few weeks: ~50 friends with Japanese names (one with emoji, some very long), tags, a segment, broadcasts (one
// failed), a scenario, rich menus, a form with answers, tracking and action links, cart reminders, conversations.
// Each page answers 200, throws nothing, hydrates without a React error, fits its cards, shows no English on the
// Japanese page outside user data, and leaves a screenshot every-<page>-<locale>-<width>.png in tests/output/.
import type { Page } from "playwright-core";
import { chai, describe, expect, it } from "vitest";
import { saveActionLink } from "~/action-links/action-links.server";
import { storeCheckout } from "~/abandoned-cart/checkouts.server";
import { saveBroadcast } from "~/broadcasts/broadcasts.server";
import { db } from "~/db.server";
import { saveForm } from "~/forms/forms.server";
import { formField } from "~/forms/model";
import { saveRichMenu } from "~/rich-menus/rich-menus.server";
import { saveScenario, setScenarioStatus } from "~/scenarios/scenarios.server";
import { sessionStorage } from "~/shopify.server";
import { createTrackingLink } from "~/sources/tracking-admin.server";
import { adminBrowser, screenshot } from "../support/browser";
import { checkoutPayload } from "../support/checkouts";
import { createFriend, createShop, enableCartReminders } from "../support/factories";
import { DESKTOP, expectFits, expectNoEnglish, PHONE } from "../support/layout";
import { connectedAccount } from "../support/line";
import { menuImage, menuInput } from "../support/rich-menus";
import { offlineSession, TEST_SHOP_DOMAIN as SHOP } from "../support/shopify";

// A failure shows every overflowing element and word, not the first few.
chai.config.truncateThreshold = 0;

const DAY = 86_400_000;
const ids = { friend: "", broadcast: "", sentBroadcast: "", scenario: "", richMenu: "", form: "", segment: "" };

const FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本"];
const GIVEN = ["花子", "健", "美咲", "大輔", "優子", "翔", "さくら", "蓮", "陽菜", "悠斗", "結衣", "颯", "葵", "湊", "凛", "陸"];
/** 50 friends: Japanese names, one with emoji, two very long, one in Latin letters. */
function friendNames() {
  const names = Array.from({ length: 46 }, (_, i) => `${FAMILY[i % FAMILY.length]} ${GIVEN[(i * 7) % GIVEN.length]}`);
  return [
    "🍵 さくら🌸抹茶ラブ",
    "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末食う寝る処に住む処やぶら小路の藪柑子",
    "株式会社東京ティーコーポレーション代表取締役社長 山田太郎（お問い合わせ担当）",
    "Emily Chen",
    ...names,
  ];
}

async function seed() {
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  await sessionStorage.storeSession(offlineSession());
  const { account } = await connectedAccount(db, SHOP, { displayName: "東京ティー 公式", accessToken: true, liffId: "2000000001-TokyoTea", loginChannelId: "2000000001" });
  await enableCartReminders(db, account);

  const tagNames = ["VIP", "セール希望", "抹茶好き", "リピーター", "Instagram 経由", "とても長いタグの名前：春の新茶キャンペーン2026参加者"];
  const tags = [];
  for (const [i, name] of tagNames.entries()) tags.push(await db.tag.create({ data: { shop: SHOP, name, color: i % 2 ? "attention" : "success" } }));

  const friends = [];
  for (const [i, displayName] of friendNames().entries()) {
    const friend = await createFriend(db, account, {
      displayName,
      createdAt: new Date(Date.now() - i * 0.6 * DAY),
      followStatus: i % 9 === 5 ? "blocked" : "following",
      shopifyCustomerId: i % 3 === 0 ? String(7_000_000_000 + i) : null,
    });
    friends.push(friend);
    await db.friendTag.createMany({ data: tags.filter((_, t) => (i + t) % 4 === 0).map((tag) => ({ shop: SHOP, friendId: friend.id, tagId: tag.id })) });
  }
  ids.friend = friends[0].id;

  // Conversations: the first dozen friends wrote in, some got answers.
  for (const [i, friend] of friends.slice(0, 12).entries()) {
    const at = (minutes: number) => new Date(Date.now() - (i + 1) * 3_600_000 + minutes * 60_000);
    await db.message.createMany({
      data: [
        { shop: SHOP, lineAccountId: account.id, friendId: friend.id, direction: "in", kind: "text", text: i === 1 ? "注文した商品がまだ届いていないのですが、配送状況を確認していただけますか？とても楽しみにしています。" : "抹茶ラテの在庫はありますか？", createdAt: at(0) },
        ...(i % 2 ? [{ shop: SHOP, lineAccountId: account.id, friendId: friend.id, direction: "out", kind: "text", sentVia: "reply", text: "お問い合わせありがとうございます。確認いたします。", createdAt: at(5) }] : []),
      ],
    });
    await db.friend.update({ where: { id: friend.id }, data: { lastMessageAt: at(i % 2 ? 5 : 0) } });
  }

  const segment = await db.segment.create({
    data: { shop: SHOP, name: "VIP常連（フォロー中）", definition: { match: "all", groups: [{ match: "all", conditions: [{ field: "tags", match: "any", tagIds: [tags[0].id] }, { field: "followStatus", statuses: ["following"] }] }] } },
  });
  ids.segment = segment.id;

  const broadcast = async (name: string, text: string) => {
    const saved = await saveBroadcast(SHOP, null, { name, lineAccountId: account.id, audience: { type: "all" }, quietHours: false }, [{ type: "text", text }]);
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
    return saved.broadcast.id;
  };
  ids.broadcast = await broadcast("冬のセールのお知らせ", "冬のセールが始まりました！ https://tokyo-tea.example/sale");
  ids.sentBroadcast = await broadcast("新茶入荷のご案内", "今年の新茶が入荷しました 🍵");
  await db.broadcast.update({ where: { id: ids.sentBroadcast }, data: { status: "sent", recipients: 45, audienceSize: 45, startedAt: new Date(Date.now() - 2 * DAY), finishedAt: new Date(Date.now() - 2 * DAY), plannedAt: new Date(Date.now() - 2 * DAY) } });
  const failed = await broadcast("とても長い配信名：春の新茶キャンペーン第二弾・VIPのお客様限定の先行販売のお知らせ", "先行販売のお知らせです。");
  await db.broadcast.update({ where: { id: failed }, data: { status: "failed", reason: "broadcasts.reason.quota", detail: "45 > 0", scheduledAt: new Date(Date.now() - DAY), finishedAt: new Date(Date.now() - DAY) } });

  const scenario = await saveScenario(SHOP, null, {
    name: "ウェルカムシナリオ",
    lineAccountId: account.id,
    trigger: { type: "follow", refollow: "ignore" },
    exitRules: [{ type: "blocked" }],
    steps: [
      { delay: { kind: "after", amount: 0, unit: "minutes", from: "start" }, messages: [{ type: "text", text: "{displayName}さん、友だち追加ありがとうございます！" }] },
      { delay: { kind: "after", amount: 3, unit: "days", from: "previous" }, messages: [{ type: "text", text: "VIP のお客様限定クーポン：TEA10" }], condition: { type: "hasTag", tagId: tags[0].id }, onConditionFail: "skip" },
    ],
  });
  if ("errors" in scenario) throw new Error(JSON.stringify(scenario.errors));
  ids.scenario = scenario.scenario.id;
  await setScenarioStatus(SHOP, ids.scenario, "on");

  const taps = ["新商品", "営業時間", "クーポン", "セール", "予約", "ショップ"].map((text) => ({ type: "message" as const, text }));
  const menu = await saveRichMenu(SHOP, null, { ...menuInput(account.id, "full-6", taps), name: "メインメニュー" }, menuImage());
  if ("errors" in menu) throw new Error(JSON.stringify(menu.errors));
  ids.richMenu = menu.menu.id;

  const form = await saveForm(SHOP, null, {
    lineAccountId: account.id,
    title: "お茶の好みアンケート",
    description: "1分で終わります。",
    fields: [
      formField.parse({ id: "tea", type: "singleChoice", label: "好きなお茶", required: true, choices: [{ id: "sencha", label: "煎茶" }, { id: "hojicha", label: "ほうじ茶" }] }),
      formField.parse({ id: "note", type: "shortText", label: "ひとこと" }),
    ],
  });
  if (!form.ok) throw new Error("seed form");
  ids.form = form.id;
  for (const [i, friend] of friends.slice(0, 6).entries()) {
    await db.formAnswer.create({ data: { shop: SHOP, formId: form.id, lineAccountId: account.id, friendId: friend.id, values: { tea: i % 2 ? "hojicha" : "sencha", note: i === 1 ? "いつも美味しいお茶をありがとうございます。次は季節限定のほうじ茶ラテも試してみたいです。" : "また買います" } } });
  }

  for (const name of ["Instagram 春セール", "Google 検索広告", "店頭POP（レジ横）"]) {
    const link = await createTrackingLink(SHOP, { lineAccountId: account.id, name, tagNames: [name.split(" ")[0]] });
    if (!("link" in link)) throw new Error(JSON.stringify(link.errors));
    await db.trackingClick.createMany({ data: Array.from({ length: 5 }, (_, i) => ({ shop: SHOP, trackingLinkId: link.link.id, params: {}, linkedAt: i < 3 ? new Date() : null })) });
  }
  const action = await saveActionLink(SHOP, null, { name: "春のクーポン", lineAccountId: account.id, targetUrl: "https://tokyo-tea.example/coupon", addTagIds: [tags[2].id] });
  if (!("link" in action) && "errors" in action) throw new Error(JSON.stringify(action.errors));

  // Cart reminders: sent, recovered, skipped, failed, scheduled.
  const reminders = [
    { status: "sent", sentAt: new Date(Date.now() - 3 * DAY), clicks: 2, clickedAt: new Date(Date.now() - 3 * DAY), recoveredAt: new Date(Date.now() - 2 * DAY), recoveredOrderId: "9001", recoveredRevenue: "4800", recoveredCurrency: "JPY" },
    { status: "sent", sentAt: new Date(Date.now() - 2 * DAY) },
    { status: "skipped", skipReason: "not-following" },
    { status: "failed", error: "400 The property, 'to', in the request body is invalid" },
    { status: "scheduled", dueAt: new Date(Date.now() + DAY / 2) },
  ];
  for (const [i, data] of reminders.entries()) {
    const checkout = await storeCheckout(SHOP, checkoutPayload({ createdAt: new Date(Date.now() - (i + 3) * DAY), items: [{ productId: 1001 + i, variantId: 2001 + i, title: "静岡 煎茶 100g", quantity: 2, price: "1200" }] }));
    await db.cartReminder.create({
      data: { shop: SHOP, lineAccountId: account.id, checkoutId: checkout.id, friendId: friends[i].id, matchedBy: "cart", retryKey: `every-page-${i}`, dueAt: new Date(Date.now() - (i + 2) * DAY), createdAt: new Date(Date.now() - (i + 2) * DAY), ...data },
    });
  }
}

/** Every admin page: its name in the screenshot, and its path (a seeded record where it takes an id). */
const PAGES: [name: string, path: () => string][] = [
  ["home", () => "/app"],
  ["accounts", () => "/app/accounts"],
  ["friends", () => "/app/friends"],
  ["friend", () => `/app/friends/${ids.friend}`],
  ["inbox", () => "/app/inbox"],
  ["tags", () => "/app/tags"],
  ["segments", () => "/app/segments"],
  ["segment", () => `/app/segments/${ids.segment}`],
  ["broadcasts", () => "/app/broadcasts"],
  ["broadcast", () => `/app/broadcasts/${ids.broadcast}`],
  ["broadcast-results", () => `/app/broadcasts/${ids.sentBroadcast}/results`],
  ["scenarios", () => "/app/scenarios"],
  ["scenario", () => `/app/scenarios/${ids.scenario}`],
  ["scenario-results", () => `/app/scenarios/${ids.scenario}/results`],
  ["rich-menus", () => "/app/rich-menus"],
  ["rich-menu", () => `/app/rich-menus/${ids.richMenu}`],
  ["rich-menu-rules", () => "/app/rich-menus/rules"],
  ["forms", () => "/app/forms"],
  ["form", () => `/app/forms/${ids.form}`],
  ["form-answers", () => `/app/forms/${ids.form}/answers`],
  ["action-links", () => "/app/action-links"],
  ["tracking-links", () => "/app/tracking-links"],
  ["greeting", () => "/app/greeting"],
  ["auto-replies", () => "/app/auto-replies"],
  ["abandoned-cart", () => "/app/abandoned-cart"],
  ["abandoned-cart-analytics", () => "/app/abandoned-cart/analytics"],
  ["revenue", () => "/app/revenue"],
  ["notifications", () => "/app/notifications"],
];

/**
 * Latin words of the seeded data where a page cannot mark it translate="no": inside <select> options (tags,
 * segments, accounts), the chat preview of a message, a URL's parts, the bot's basic id, a message template's
 * {displayName}. Plus names that stay as they are in Japanese (Slack) and the utm_campaign parameter's name.
 */
const USER_DATA_WORDS = ["VIP", "Instagram", "Google", "POP", "Emily", "Chen", "TEA", "https", "tokyo", "tea", "example", "sale", "coupon", "displayName", "abcde", "Slack", "campaign"];

const HYDRATION = /Minified React error #(418|423|425)|Hydration|did not match/i;

const admin = adminBrowser({ seed, timeout: 240_000 });

/** Opens the page with its console watched from the first script on; resolves once React has hydrated and the network is quiet. */
async function render(path: string, locale: string, viewport: { width: number; height: number }) {
  const consoleErrors: string[] = [];
  const opened = await admin.open(path, locale, {
    viewport,
    prepare: async (page: Page) => {
      page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
    },
  });
  // openAdminPage waited for hydration. Pages that poll (the inbox, live counts) never go fully idle, so the quiet
  // network is waited for a while only.
  await opened.page.waitForLoadState("networkidle", { timeout: 10_000 }).catch(() => undefined);
  // Polaris fades some parts in; layout is read once nothing finite is animating (spinners turn forever).
  await opened.page.waitForFunction(() =>
    document.getAnimations().every((animation) => animation.playState !== "running" || animation.effect?.getComputedTiming().iterations === Infinity),
  );
  return { ...opened, consoleErrors };
}

describe("every admin page", () => {
  for (const [name, path] of PAGES) {
    for (const locale of ["ja", "en"] as const) {
      for (const viewport of [DESKTOP, PHONE]) {
        it(`${name} in ${locale} at ${viewport.width} px`, async () => {
          const { page, errors, consoleErrors } = await render(path(), locale, viewport);
          try {
            await screenshot(page, `every-${name}-${locale}-${viewport.width}`);
            expect(errors, "uncaught page errors").toEqual([]);
            expect([...errors, ...consoleErrors].filter((text) => HYDRATION.test(text)), "hydration errors").toEqual([]);
            await expectFits(page);
            if (locale === "ja") await expectNoEnglish(page, USER_DATA_WORDS);
          } finally {
            await page.close();
          }
        });
      }
    }
  }
});
