// Data builders shared by the tests and prisma/seed.ts. Each takes a Prisma client so the seed can pass its own.
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { encryptSecret, lastFour } from "../../app/crypto.server";

let sequence = 0;
const next = () => (sequence += 1);

export function lineUserId() {
  return `U${randomBytes(16).toString("hex")}`;
}

export function createShop(db: PrismaClient, overrides: { shop?: string; timeZone?: string; locale?: string } = {}) {
  const shop = overrides.shop ?? `shop-${next()}-${randomBytes(3).toString("hex")}.myshopify.com`;
  return db.shop.upsert({
    where: { shop },
    create: { shop, timeZone: overrides.timeZone ?? "Asia/Tokyo", locale: overrides.locale ?? "ja" },
    update: {},
  });
}

export function channelId() {
  return String(1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)).slice(0, 10);
}

export function channelSecret() {
  return randomBytes(16).toString("hex");
}

type AccountOverrides = {
  displayName?: string;
  status?: string;
  channelId?: string;
  channelSecret?: string;
  accessToken?: string;
  loginChannelId?: string;
  liffId?: string;
  friendAddUrl?: string;
  botUserId?: string;
};

/** A connected account; pass the channel's id/secret when a test's LINE fake knows the channel. */
export function createLineAccount(db: PrismaClient, shop: string, overrides: AccountOverrides = {}) {
  const secret = overrides.channelSecret ?? channelSecret();
  return db.lineAccount.create({
    data: {
      id: randomBytes(16).toString("base64url"),
      shop,
      displayName: overrides.displayName ?? `Shop account ${next()}`,
      status: overrides.status ?? "connected",
      channelId: overrides.channelId ?? channelId(),
      channelSecret: encryptSecret(secret),
      channelSecretLast4: lastFour(secret),
      ...(overrides.accessToken
        ? { accessToken: encryptSecret(overrides.accessToken), accessTokenLast4: lastFour(overrides.accessToken) }
        : {}),
      loginChannelId: overrides.loginChannelId ?? null,
      liffId: overrides.liffId ?? null,
      friendAddUrl: overrides.friendAddUrl ?? "https://lin.ee/example",
      botUserId: overrides.botUserId ?? lineUserId(),
      botBasicId: "@123abcde",
      botDisplayName: overrides.displayName ?? "Demo bot",
      chatMode: "bot",
    },
  });
}

export function createFriend(
  db: PrismaClient,
  account: { id: string; shop: string },
  overrides: {
    followStatus?: string;
    shopifyCustomerId?: string | null;
    displayName?: string;
    lineUserId?: string;
    operatorBlockedAt?: Date;
    createdAt?: Date;
  } = {},
) {
  return db.friend.create({
    data: {
      shop: account.shop,
      lineAccountId: account.id,
      lineUserId: overrides.lineUserId ?? lineUserId(),
      operatorBlockedAt: overrides.operatorBlockedAt ?? null,
      ...(overrides.createdAt ? { createdAt: overrides.createdAt } : {}),
      displayName: overrides.displayName ?? `Friend ${next()}`,
      followStatus: overrides.followStatus ?? "following",
      shopifyCustomerId: overrides.shopifyCustomerId ?? null,
    },
  });
}

export function enableCartReminders(db: PrismaClient, account: { id: string; shop: string }, delayMinutes = 600) {
  return db.cartReminderSettings.upsert({
    where: { lineAccountId: account.id },
    create: { lineAccountId: account.id, shop: account.shop, enabled: true, delayMinutes },
    update: { enabled: true, delayMinutes },
  });
}
