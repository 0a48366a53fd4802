// Connecting, editing and disconnecting a LINE Official Account. Nothing is saved unless LINE accepted the
// credentials; secrets are encrypted before they reach the database.
import { randomBytes } from "node:crypto";
import type { LineAccount } from "@prisma/client";
import { decryptSecret, encryptSecret, lastFour } from "../crypto.server";
import { cancelAccountReminders } from "../abandoned-cart/reminders.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { unlessNotFound } from "../prisma-errors";
import type { AccountInput, FieldErrors } from "./account-input";
import { errorFields, logger } from "../logger.server";
import { scheduleQuotaCheck } from "../../jobs/queues";
import { proveCredentials, registerWebhook } from "./connect.server";
import { inferMessageLanguage } from "./message-language";

/** How many LINE accounts each plan may connect. */
export const PLAN_ACCOUNT_LIMITS: Record<string, number> = { entry: 1, standard: 3, pro: 10 };

export function webhookUrlFor(accountId: string) {
  return `${env.SHOPIFY_APP_URL.replace(/\/$/, "")}/webhooks/line/${accountId}`;
}

/** The account as the browser may see it: no secret, only its last four characters. */
export function publicAccount(account: LineAccount) {
  const { channelSecret: _s, accessToken: _t, loginChannelSecret: _l, ...visible } = account;
  return visible;
}

type Result = { account: LineAccount } | { errors: FieldErrors; detail?: string };

export async function connectAccount(shop: string, input: AccountInput): Promise<Result> {
  if (!input.channelSecret) return { errors: { channelSecret: "accounts.error.channelSecret" } };
  const shopRow = await db.shop.findUnique({ where: { shop } });
  const limit = PLAN_ACCOUNT_LIMITS[shopRow?.plan ?? "entry"] ?? 1;
  const connected = await db.lineAccount.count({ where: { shop, status: "connected" } });
  const existing = await db.lineAccount.findUnique({ where: { shop_channelId: { shop, channelId: input.channelId } } });
  if (existing?.status === "connected") return { errors: { channelId: "accounts.error.alreadyConnected" } };
  if (connected >= limit) return { errors: { form: "accounts.error.planLimit" } };

  const proof = await proveCredentials(input.channelId, input.channelSecret, input.accessToken);
  if ("errors" in proof) return proof;

  const data = {
    shop,
    status: "connected",
    disconnectedAt: null,
    connectedAt: new Date(),
    ...fieldsFrom(input),
    channelSecret: encryptSecret(input.channelSecret),
    channelSecretLast4: lastFour(input.channelSecret),
    ...secretFields(input),
    ...proof.bot,
    tokenRevokedAt: null,
  };
  // Keyed by (shop, channel): a reconnect keeps the account's id, and so its webhook URL and its data.
  const account = await db.lineAccount.upsert({
    where: { shop_channelId: { shop, channelId: input.channelId } },
    // A new account writes in the shop's language; a reconnect keeps the one it has.
    create: { id: randomBytes(16).toString("base64url"), messageLanguage: inferMessageLanguage(shopRow), ...data },
    update: data,
  });
  // The daily 12:00 quota check, in the shop's time zone (the worker also schedules every account at start).
  await scheduleQuotaCheck(account.id, shopRow?.timeZone ?? "Asia/Tokyo").catch((error) => logger.warn("could not schedule the quota check", errorFields(error)));
  return { account: await registerWebhook(account, webhookUrlFor(account.id)) };
}

/** Blank secret fields keep what is stored; a new channel secret or token is proven again before saving. */
export async function updateAccount(shop: string, id: string, input: AccountInput): Promise<Result> {
  const account = await db.lineAccount.findFirst({ where: { id, shop } });
  if (!account) return { errors: { form: "accounts.error.notFound" } };
  if (input.channelId !== account.channelId) return { errors: { channelId: "accounts.error.channelIdChanged" } };

  let bot = {};
  if (input.channelSecret || input.accessToken) {
    const secret = input.channelSecret ?? decryptSecret(account.channelSecret);
    const proof = await proveCredentials(input.channelId, secret, input.accessToken);
    if ("errors" in proof) return proof;
    bot = { ...proof.bot, tokenRevokedAt: null };
  }
  const data = {
    ...fieldsFrom(input),
    ...(input.channelSecret
      ? { channelSecret: encryptSecret(input.channelSecret), channelSecretLast4: lastFour(input.channelSecret) }
      : {}),
    ...secretFields(input),
    ...bot,
  };
  const updated = await unlessNotFound(db.lineAccount.update({ where: { id, shop }, data }));
  return updated ? { account: updated } : { errors: { form: "accounts.error.notFound" } };
}

/**
 * Stops everything for the account: no event is accepted or processed, nothing is sent. LINE has no API to
 * remove a webhook URL, so the page tells the merchant to switch "Use webhook" off; friends, tags and messages stay.
 * Every statement carries the shop: an id that is not the shop's changes nothing. Null when it is not the shop's.
 */
export async function disconnectAccount(shop: string, id: string): Promise<LineAccount | null> {
  const account = await db.$transaction(async (tx) => {
    const [row] = await tx.lineAccount.updateManyAndReturn({
      where: { id, shop },
      data: { status: "disconnected", disconnectedAt: new Date() },
    });
    if (!row) return null;
    await tx.cartReminderSettings.updateMany({ where: { lineAccountId: id, shop }, data: { enabled: false } });
    return row;
  });
  // After the commit: a reminder job that runs meanwhile re-checks the account and finds it disconnected.
  if (account) await cancelAccountReminders(shop, id, "account-disconnected");
  return account;
}

export function listAccounts(shop: string) {
  return db.lineAccount.findMany({ where: { shop }, orderBy: { createdAt: "asc" } });
}

function fieldsFrom(input: AccountInput) {
  return {
    displayName: input.displayName,
    friendAddUrl: input.friendAddUrl ?? null,
    channelId: input.channelId,
    loginChannelId: input.loginChannelId ?? null,
    liffId: input.liffId ?? null,
  };
}

function secretFields(input: AccountInput) {
  return {
    ...(input.accessToken
      ? { accessToken: encryptSecret(input.accessToken), accessTokenLast4: lastFour(input.accessToken) }
      : {}),
    ...(input.loginChannelSecret
      ? {
          loginChannelSecret: encryptSecret(input.loginChannelSecret),
          loginChannelSecretLast4: lastFour(input.loginChannelSecret),
        }
      : {}),
  };
}
