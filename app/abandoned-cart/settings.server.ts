// The かご落ちLINE settings of one account, the cart its preview is drawn with, and "send a test to me".
// Error and reason values are i18n keys (app/i18n/abandoned-cart.ts).
import { Prisma, type Checkout } from "@prisma/client";
import { db } from "../db.server";
import { unlessNotFound, upsertOnce } from "../prisma-errors";
import { recordDeliveries } from "../messaging/deliveries.server";
import { refusalFor } from "../messaging/rules.server";
import { failDelivery, sendDelivery } from "../messaging/send.server";
import type { StoredLineItem } from "./checkouts.server";
import { buildReminderMessage, ReminderMessageError, type ReminderItem } from "./flex";
import { productUrl, withQueryParams } from "./links";
import { productInfoFor, type GraphQL } from "./product-info.server";
import { cancelAccountReminders } from "./reminders.server";
import { defaultReminderSettings } from "./template-defaults";
import {
  parseReminderSettings,
  type ReminderSettings,
  type ReminderSettingsErrors,
} from "./settings";

export type StoredSettings = ReminderSettings & { saved: boolean; quotaExhaustedAt: Date | null };

const strings = (value: unknown) => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/** The account's settings, or the defaults when it has none yet. */
export async function getSettings(shop: string, lineAccountId: string): Promise<StoredSettings> {
  const row = await db.cartReminderSettings.findFirst({ where: { lineAccountId, shop } });
  if (!row) {
    // Not saved yet: the defaults, in the account's language (app/abandoned-cart/template-defaults.ts).
    const account = await db.lineAccount.findFirst({ where: { id: lineAccountId, shop }, select: { messageLanguage: true } });
    return { ...defaultReminderSettings(account?.messageLanguage), saved: false, quotaExhaustedAt: null };
  }
  return {
    enabled: row.enabled,
    delayMinutes: row.delayMinutes as ReminderSettings["delayMinutes"],
    tagsToAdd: strings(row.tagsToAdd),
    tagsToRemove: strings(row.tagsToRemove),
    title: row.title,
    body: row.body,
    moreItemsText: row.moreItemsText,
    buttonText: row.buttonText,
    headerColor: row.headerColor,
    buttonColor: row.buttonColor,
    queryParams: row.queryParams,
    quietHoursEnabled: row.quietHoursEnabled,
    quietStart: row.quietStart,
    quietEnd: row.quietEnd,
    attributionDays: row.attributionDays,
    saved: true,
    quotaExhaustedAt: row.quotaExhaustedAt,
  };
}

/** Validates and saves; turning reminders off cancels what is scheduled and says how many. */
export async function saveSettings(
  shop: string,
  lineAccountId: string,
  input: FormData | Record<string, unknown>,
): Promise<{ settings: ReminderSettings; cancelled: number } | { errors: ReminderSettingsErrors }> {
  const parsed = parseReminderSettings(input);
  if (parsed.errors) return { errors: parsed.errors };
  const account = await db.lineAccount.count({ where: { id: lineAccountId, shop, status: "connected" } });
  if (account === 0) return { errors: { form: "cart.error.account" } };
  const settings = parsed.data;
  // Both branches are the shop's: another shop's account id matches no row to update and no account to connect.
  const saved = await unlessNotFound(
    upsertOnce(() =>
      db.cartReminderSettings.upsert({
        where: { lineAccountId, shop },
        create: { shop, ...settings, lineAccount: { connect: { id: lineAccountId, shop } } },
        update: settings,
      }),
    ),
  );
  if (!saved) return { errors: { form: "cart.error.account" } };
  const cancelled = settings.enabled ? 0 : await cancelAccountReminders(shop, lineAccountId, "disabled");
  return { settings, cancelled };
}

// ---------------------------------------------------------------- the preview's cart

/** What the preview and the test message are drawn from; links are before the merchant's query parameters. */
export type PreviewCart = {
  source: "checkout" | "sample";
  currency: string;
  totalPrice: string;
  recoveryUrl: string;
  items: ReminderItem[];
};

const SAMPLE_ITEMS = [
  { title: "静岡県産 煎茶 100g", variantTitle: "缶入り", quantity: 2, price: "1200" },
  { title: "八女 玉露 50g", variantTitle: null, quantity: 1, price: "3000" },
  { title: "ほうじ茶 ティーバッグ 20包", variantTitle: null, quantity: 1, price: "800" },
];

function builtInSample(shop: string): PreviewCart {
  return {
    source: "sample",
    currency: "JPY",
    totalPrice: "6200",
    recoveryUrl: `https://${shop}/cart`,
    items: SAMPLE_ITEMS.map((item) => ({ ...item, currency: "JPY", imageUrl: null, url: null })),
  };
}

/** A stored checkout as the worker draws it: images and product links for the two items shown. */
export async function cartForCheckout(checkout: Checkout, graphql?: () => Promise<GraphQL>): Promise<PreviewCart> {
  const items = checkout.lineItems as StoredLineItem[];
  const shown = items.slice(0, 2);
  // Without an Admin API client only cached product data is used (a missing image becomes the grey placeholder).
  const noClient = async (): Promise<GraphQL> => {
    throw new Error("no Admin API client");
  };
  const info = await productInfoFor(checkout.shop, shown, graphql ?? noClient);
  return {
    source: "checkout",
    currency: checkout.currency,
    totalPrice: checkout.totalPrice.toString(),
    recoveryUrl: checkout.recoveryUrl ?? `https://${checkout.shop}/cart`,
    items: items.map((item, index) => ({
      title: item.title,
      variantTitle: item.variantTitle,
      quantity: item.quantity,
      price: item.price,
      currency: checkout.currency,
      imageUrl: info[index]?.imageUrl ?? null,
      url: index < 2 ? productUrl(checkout.shop, info[index]?.handle, item.variantId) : null,
    })),
  };
}

/** The shop's most recent checkout with 3 or more items (so the 3rd-item text shows), else a built-in sample. */
export async function sampleCart(shop: string, graphql?: () => Promise<GraphQL>): Promise<PreviewCart> {
  // Only the newest few hundred checkouts are looked at (index on shop, createdAt), however many the shop has.
  const [latest] = await db.$queryRaw<{ id: string }[]>`
    SELECT id FROM (
      SELECT id, "lineItems", "createdAt" FROM "Checkout" WHERE shop = ${shop} ORDER BY "createdAt" DESC LIMIT 500
    ) AS recent
    WHERE CASE WHEN jsonb_typeof("lineItems") = 'array' THEN jsonb_array_length("lineItems") ELSE 0 END >= 3
    ORDER BY "createdAt" DESC
    LIMIT 1`;
  const checkout = latest && (await db.checkout.findUnique({ where: { id: latest.id } }));
  return checkout ? cartForCheckout(checkout, graphql) : builtInSample(shop);
}

/** The reminder for `cart` with `settings`, links carrying the query parameters, as the worker builds it. */
export function messageFor(cart: PreviewCart, settings: ReminderSettings) {
  return buildReminderMessage({
    settings,
    items: cart.items.map((item) => ({ ...item, url: withQueryParams(item.url, settings.queryParams) })),
    currency: cart.currency,
    totalPrice: cart.totalPrice,
    recoveryUrl: withQueryParams(cart.recoveryUrl, settings.queryParams),
  });
}

// ---------------------------------------------------------------- send a test

export type TestFriend = { id: string; displayName: string | null; pictureUrl: string | null };

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Following friends of the account a test can go to, by name; newest first. */
export async function searchTestFriends(shop: string, lineAccountId: string, query = "", limit = 20): Promise<TestFriend[]> {
  const q = query.trim();
  return db.$queryRaw<TestFriend[]>`
    SELECT id, "displayName", "pictureUrl" FROM "Friend"
    WHERE shop = ${shop} AND "lineAccountId" = ${lineAccountId} AND "followStatus" = 'following'
      AND "operatorBlockedAt" IS NULL
      ${q ? Prisma.sql`AND "displayName" ILIKE ${`%${escapeLike(q)}%`}` : Prisma.empty}
    ORDER BY "createdAt" DESC, id DESC
    LIMIT ${limit}`;
}

export type TestResult = { sent: true } | { sent: false; reason: string; detail?: string };

const refused = (reason: string, detail?: string): TestResult => ({ sent: false, reason: `cart.test.reason.${reason}`, ...(detail ? { detail } : {}) });

/**
 * Pushes the reminder, drawn from the sample cart with `settings` (saved or not), to one friend: a delivery of kind
 * "test" of the send pipeline, sent while the merchant waits. Each test is a new delivery, so a new message.
 */
export async function sendTestReminder(
  shop: string,
  lineAccountId: string,
  friendId: string,
  settings: ReminderSettings,
  graphql?: () => Promise<GraphQL>,
): Promise<TestResult> {
  const account = await db.lineAccount.findFirst({ where: { id: lineAccountId, shop } });
  if (!account) return refused("account");
  const friend = await db.friend.findFirst({ where: { id: friendId, lineAccountId, shop } });
  if (!friend) return refused("friend");
  const blocked = await refusalFor(account.id, friend.lineUserId);
  if (blocked) return refused(blocked);

  let message: ReturnType<typeof buildReminderMessage>;
  try {
    message = messageFor(await sampleCart(shop, graphql), settings);
  } catch (error) {
    if (error instanceof ReminderMessageError) return refused("message", error.message);
    throw error;
  }
  const [delivery] = await recordDeliveries([
    { shop, lineAccountId, kind: "test", channel: "push", sourceId: lineAccountId, recipients: [friend.lineUserId], friendId, messages: [message] },
  ]);
  const outcome = await sendDelivery(delivery.id);
  switch (outcome.status) {
    case "sent":
      return { sent: true };
    case "skipped":
      if (!outcome.reason.startsWith("quota-")) return refused(outcome.reason);
      await db.cartReminderSettings.updateMany({ where: { lineAccountId, shop }, data: { quotaExhaustedAt: new Date() } });
      return refused("quota");
    case "failed":
      return refused("rejected", outcome.reason);
    case "throttled":
      await failDelivery(delivery.id, "rate limited");
      return refused("rateLimited");
    case "retry":
      // No second try while the merchant waits: the test is sent again by pressing the button.
      await failDelivery(delivery.id, outcome.reason);
      return refused("unavailable", outcome.reason);
    default:
      return refused("unavailable");
  }
}
