// The demo shop's week, seeded once (a second run finds the account and changes nothing): a LINE account connected
// to the sandbox, friends with Japanese names and tags, chats, cart reminders (some recovered), a sent broadcast,
// the greeting and an auto-reply keyword. Used by the demo button and by `npm run seed` (prisma/seed.ts).
import { createHash, randomBytes } from "node:crypto";
import { Prisma, type PrismaClient } from "@prisma/client";
import { encryptSecret, lastFour } from "../crypto.server";
import { DEMO_SHOP } from "./demo.server";

export const DEMO_KEYWORD = "クーポン";
export const DEMO_CHANNEL_ID = "2000000001";

const NAMES = [
  "佐藤 美咲", "鈴木 大翔", "高橋 陽菜", "田中 蓮", "伊藤 結衣", "渡辺 悠真", "山本 さくら", "中村 湊",
  "小林 葵", "加藤 陽翔", "吉田 芽依", "山田 樹", "佐々木 凛", "山口 大和", "松本 結菜", "井上 颯",
  "木村 心春", "林 蒼", "斎藤 莉子", "清水 律", "山崎 美桜", "森 悠人", "池田 杏", "橋本 陸",
  "阿部 ひまり", "石川 奏太", "山下 花", "中島 翔", "石井 紬", "小川 拓海", "前田 愛莉", "岡田 蒼空",
  "長谷川 楓", "藤田 健太", "後藤 彩花", "近藤 海斗", "村上 七海", "遠藤 颯太", "青木 優奈", "坂本 瑛太",
];

/** Sandbox users who are not friends yet: the demo adds them (follow) from the LINE sandbox. */
export const PROSPECTS = ["新井 ゆい", "大野 隼", "原田 みお"];

/** A stable LINE user id per demo user, so the sandbox and the seed agree without sharing state. */
export function demoUserId(name: string): string {
  return `U${createHash("sha256").update(`line-crm-demo:${name}`).digest("hex").slice(0, 32)}`;
}

export type DemoUser = { userId: string; displayName: string };

export function demoUsers(): DemoUser[] {
  return [...PROSPECTS, ...NAMES].map((displayName) => ({ userId: demoUserId(displayName), displayName }));
}

const TAGS = [
  { name: "VIP", color: "success" },
  { name: "リピーター", color: "info" },
  { name: "新規", color: "new" },
  { name: "かご落ち", color: "warning" },
];

const CHATS: string[][] = [
  ["在庫の再入荷はいつ頃ですか？", "来週の水曜日に入荷予定です。入荷したらお知らせしますね。", "ありがとうございます！"],
  ["注文した商品の配送状況を知りたいです", "本日発送いたしました。明日にはお届けできる見込みです。"],
  ["ギフト包装はできますか？", "はい、カートの備考欄にご記入いただければ無料で承ります。"],
  ["サイズ交換をお願いしたいです"],
  ["クーポン", "今週のクーポンコードは LINE10 です。お会計時にご入力ください。"],
  ["営業時間を教えてください", "オンラインストアは24時間ご利用いただけます。お問い合わせは平日10時〜18時です。"],
];

const DAY = 86_400_000;

export async function seedDemo(db: PrismaClient, shop = DEMO_SHOP, now = new Date()) {
  // ON CONFLICT DO NOTHING: two seeds at once both get past this (an upsert may fail the one that loses the race).
  await db.shop.createMany({ data: [{ shop, timeZone: "Asia/Tokyo", locale: "ja" }], skipDuplicates: true });
  const existing = await db.lineAccount.findFirst({ where: { shop, channelId: DEMO_CHANNEL_ID } });
  if (existing) return existing;

  const secret = randomBytes(16).toString("hex");
  const token = `demo-token.${randomBytes(24).toString("base64url")}`;
  const at = (daysAgo: number, hour = 12) => new Date(now.getTime() - daysAgo * DAY - (12 - hour) * 3_600_000);
  const account = await db.lineAccount
    .create({
    data: {
      id: randomBytes(16).toString("base64url"),
      shop,
      displayName: "デモストア",
      channelId: DEMO_CHANNEL_ID,
      channelSecret: encryptSecret(secret),
      channelSecretLast4: lastFour(secret),
      accessToken: encryptSecret(token),
      accessTokenLast4: lastFour(token),
      friendAddUrl: "https://lin.ee/demo",
      botUserId: demoUserId("bot"),
      botBasicId: "@demo-store",
      botDisplayName: "デモストア",
      chatMode: "bot",
      connectedAt: at(7),
    },
  })
    .catch(async (error: unknown) => {
      // Two clicks at once: the other one seeds; this one opens what it made.
      if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")) throw error;
      return null;
    });
  if (!account) return db.lineAccount.findFirstOrThrow({ where: { shop, channelId: DEMO_CHANNEL_ID } });
  const scope = { shop, lineAccountId: account.id };
  await db.cartReminderSettings.create({ data: { ...scope, enabled: true, delayMinutes: 60 } });
  await db.greetingMessage.create({
    data: {
      ...scope,
      enabled: true,
      messages: [
        "友だち追加ありがとうございます！デモストアです。",
        `「${DEMO_KEYWORD}」と送ると、今週のクーポンをお届けします。`,
      ],
    },
  });
  await db.autoReplyRule.create({
    data: {
      ...scope,
      name: "今週のクーポン",
      matchType: "contains",
      pattern: DEMO_KEYWORD,
      messages: ["今週のクーポンコードは LINE10 です。お会計時にご入力ください。"],
      priority: 10,
    },
  });
  const tags = await Promise.all(TAGS.map((tag) => db.tag.create({ data: { shop, ...tag } })));

  const friends = [];
  for (const [index, displayName] of NAMES.entries()) {
    const followedAt = at((index * 7) / NAMES.length, 9 + (index % 10));
    const blocked = index % 13 === 12;
    friends.push(
      await db.friend.create({
        data: {
          ...scope,
          lineUserId: demoUserId(displayName),
          displayName,
          language: "ja",
          followStatus: blocked ? "blocked" : "following",
          followStatusAt: blocked ? at(1) : followedAt,
          followedAt,
          unfollowedAt: blocked ? at(1) : null,
          source: index % 3 === 0 ? "storefront" : null,
          createdAt: followedAt,
        },
      }),
    );
  }
  await db.friendTag.createMany({
    data: friends.flatMap((friend, index) =>
      tags.filter((_, tagIndex) => (index + tagIndex) % (tagIndex + 2) === 0).map((tag) => ({ shop, friendId: friend.id, tagId: tag.id })),
    ),
  });

  for (const [index, lines] of CHATS.entries()) {
    const friend = friends[index * 5]!;
    let time = at(6 - index, 10).getTime();
    for (const [line, text] of lines.entries()) {
      time += 7 * 60_000;
      await db.message.create({
        data: {
          ...scope,
          friendId: friend.id,
          direction: line % 2 === 0 ? "in" : "out",
          kind: "text",
          text,
          sentVia: line % 2 === 0 ? null : "reply",
          createdAt: new Date(time),
        },
      });
    }
    await db.friend.update({ where: { id: friend.id }, data: { lastMessageAt: new Date(time) } });
  }

  const products = [
    { title: "有機ほうじ茶 100g", price: "1800" },
    { title: "京都の抹茶ラテ 10本入", price: "2400" },
    { title: "季節の和菓子セット", price: "3600" },
  ];
  for (let index = 0; index < 8; index += 1) {
    const friend = friends[index * 4 + 1]!;
    const product = products[index % products.length]!;
    const startedAt = at(6 - (index % 6), 20);
    const recovered = index % 3 === 0;
    const sent = index < 7;
    const checkout = await db.checkout.create({
      data: {
        shop,
        token: `demo-checkout-${index}`,
        currency: "JPY",
        totalPrice: new Prisma.Decimal(product.price),
        lineItems: [{ productId: `${9000 + index}`, variantId: `${9100 + index}`, title: product.title, variantTitle: null, quantity: 1, price: product.price }],
        recoveryUrl: `https://${shop}/checkouts/demo-${index}/recover`,
        startedAt,
        shopifyUpdatedAt: startedAt,
        purchasedAt: recovered ? new Date(startedAt.getTime() + 3 * 3_600_000) : null,
      },
    });
    await db.cartReminder.create({
      data: {
        ...scope,
        checkoutId: checkout.id,
        friendId: friend.id,
        matchedBy: "customer",
        status: sent ? "sent" : "scheduled",
        dueAt: new Date(startedAt.getTime() + 3_600_000),
        retryKey: randomBytes(16).toString("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5"),
        attempts: sent ? 1 : 0,
        lineUserId: sent ? friend.lineUserId : null,
        claimedAt: sent ? new Date(startedAt.getTime() + 3_600_000) : null,
        sentAt: sent ? new Date(startedAt.getTime() + 3_600_000) : null,
        clickedAt: recovered || index === 1 ? new Date(startedAt.getTime() + 2 * 3_600_000) : null,
        clicks: recovered || index === 1 ? 1 : 0,
        recoveredAt: recovered ? new Date(startedAt.getTime() + 3 * 3_600_000) : null,
        recoveredOrderId: recovered ? `gid://shopify/Order/${7000 + index}` : null,
        recoveredRevenue: recovered ? new Prisma.Decimal(product.price) : null,
        recoveredCurrency: recovered ? "JPY" : null,
        createdAt: startedAt,
      },
    });
  }

  const following = friends.filter((friend) => friend.followStatus === "following").length;
  await db.broadcast.create({
    data: {
      ...scope,
      name: "週末セールのお知らせ",
      messages: [{ type: "text", text: "{displayName}さん、今週末は全品10%オフ！この機会をお見逃しなく。" }],
      audience: { type: "all" },
      utmParams: "utm_source=line&utm_medium=broadcast&utm_campaign=weekend-sale",
      status: "sent",
      scheduledAt: at(3, 10),
      recipients: following,
      batches: 1,
      plannedAt: at(3, 10),
      startedAt: at(3, 10),
      finishedAt: at(3, 10),
      customAggregationUnit: `demo${randomBytes(6).toString("hex")}`,
      createdAt: at(4, 15),
    },
  });
  return account;
}
