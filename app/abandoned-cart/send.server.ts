// Sending one cart reminder, exactly once. Every rule is checked again at send time; the push carries a retry
// key derived from the reminder row, so a retry after a timeout or a crash is a 409 at LINE, never a second
// message; a skipped reminder records why.
import { createHash } from "node:crypto";
import type { CartReminder, CartReminderSettings, Checkout, Friend, LineAccount } from "@prisma/client";
import { db } from "../db.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { classifyLineError, lineErrorMessage } from "../line/client.server";
import { pushTo, sendBlockedReason } from "../line/send.server";
import { addTagsByName, removeTagsByName } from "../tags/tags.server";
import type { StoredLineItem } from "./checkouts.server";
import { buildReminderMessage } from "./flex";
import { productUrl, withQueryParams } from "./links";
import { productInfoFor, type GraphQL } from "./product-info.server";
import { deferForQuietHours } from "./quiet-hours";

// After LINE says the monthly quota is used up, the account's reminders wait this long before trying again.
const QUOTA_BACKOFF_MS = 60 * 60_000;

export type SendOutcome =
  | { status: "sent" | "already-sent" }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string }
  | { status: "deferred"; until: Date }
  | { status: "not-pending"; current: string };

export class LineRateLimited extends Error {
  override name = "LineRateLimited";
}

type Loaded = CartReminder & {
  checkout: Checkout;
  friend: Friend;
  lineAccount: LineAccount & { cartReminder: CartReminderSettings | null };
};

export async function sendCartReminder(reminderId: string, graphql: () => Promise<GraphQL>, now = new Date()): Promise<SendOutcome> {
  const reminder = (await db.cartReminder.findUnique({
    where: { id: reminderId },
    include: { checkout: true, friend: true, lineAccount: { include: { cartReminder: true } } },
  })) as Loaded | null;
  if (!reminder) return { status: "not-pending", current: "missing" };
  if (reminder.status !== "scheduled" && reminder.status !== "sending") return { status: "not-pending", current: reminder.status };

  const reason = await skipReason(reminder, now);
  if (reason) return skip(reminder.id, reason);

  const settings = reminder.lineAccount.cartReminder!;
  if (settings.quietHoursEnabled) {
    const shop = await db.shop.findUnique({ where: { shop: reminder.shop }, select: { timeZone: true } });
    const until = deferForQuietHours(now, shop?.timeZone ?? "Asia/Tokyo", settings.quietStart, settings.quietEnd);
    if (until.getTime() > now.getTime()) {
      await db.cartReminder.update({ where: { id: reminder.id }, data: { dueAt: until } });
      return { status: "deferred", until };
    }
  }

  // The record before the push: from here on, every attempt sends with the same retry key.
  await db.cartReminder.update({ where: { id: reminder.id }, data: { status: "sending", attempts: { increment: 1 } } });
  let message: ReturnType<typeof buildReminderMessage>;
  try {
    message = await reminderMessage(reminder, settings, graphql);
  } catch (error) {
    return fail(reminder.id, `message: ${(error as Error).message}`);
  }

  try {
    const accepted = await pushTo(reminder.lineAccount, reminder.friend.lineUserId, [message], reminder.retryKey);
    await db.cartReminder.update({ where: { id: reminder.id }, data: { status: "sent", sentAt: new Date(), error: null } });
    if (settings.quotaExhaustedAt) {
      await db.cartReminderSettings.update({ where: { lineAccountId: settings.lineAccountId }, data: { quotaExhaustedAt: null } });
    }
    await applyTags(reminder.friend, settings);
    return { status: accepted === "accepted" ? "sent" : "already-sent" };
  } catch (error) {
    switch (classifyLineError(error)) {
      case "permanent":
        return fail(reminder.id, lineErrorMessage(error));
      case "quota":
        await db.cartReminderSettings.update({ where: { lineAccountId: settings.lineAccountId }, data: { quotaExhaustedAt: new Date() } });
        return skip(reminder.id, "quota-exhausted");
      case "rate-limited":
        throw new LineRateLimited(lineErrorMessage(error));
      case "retry":
        throw error;
    }
  }
}

async function skipReason(reminder: Loaded, now: Date): Promise<string | null> {
  const settings = reminder.lineAccount.cartReminder;
  if (!settings?.enabled) return "disabled";
  const blocked = await sendBlockedReason(reminder.lineAccount, reminder.friend);
  if (blocked) return blocked;
  if (reminder.checkout.purchasedAt || reminder.checkout.completedAt) return "purchased";
  const order = await db.order.findFirst({ where: { shop: reminder.shop, checkoutToken: reminder.checkout.token }, select: { id: true } });
  if (order) return "purchased";
  if (settings.quotaExhaustedAt && now.getTime() - settings.quotaExhaustedAt.getTime() < QUOTA_BACKOFF_MS) return "quota-exhausted";
  // One reminder per checkout and friend, whichever account sent it.
  const other = await db.cartReminder.findFirst({
    where: { checkoutId: reminder.checkoutId, friend: { lineUserId: reminder.friend.lineUserId }, status: "sent", id: { not: reminder.id } },
    select: { id: true },
  });
  return other ? "already-reminded" : null;
}

async function skip(id: string, reason: string): Promise<SendOutcome> {
  await db.cartReminder.updateMany({ where: { id, status: { in: ["scheduled", "sending"] } }, data: { status: "skipped", skipReason: reason } });
  return { status: "skipped", reason };
}

async function fail(id: string, reason: string): Promise<SendOutcome> {
  logger.warn("cart reminder failed", { reminderId: id, reason });
  await db.cartReminder.updateMany({ where: { id, status: { in: ["scheduled", "sending"] } }, data: { status: "failed", error: reason.slice(0, 1_000) } });
  return { status: "failed", reason };
}

/** Click-counting redirect codes are derived from the reminder, so a retried build yields the same message. */
function linkCode(reminderId: string, index: number) {
  return createHash("sha256").update(`${reminderId}:${index}`).digest("base64url").slice(0, 16);
}

async function reminderMessage(reminder: Loaded, settings: CartReminderSettings, graphql: () => Promise<GraphQL>) {
  const items = reminder.checkout.lineItems as StoredLineItem[];
  const shown = items.slice(0, 2);
  const info = await productInfoFor(reminder.shop, shown, graphql);
  const recovery = withQueryParams(reminder.checkout.recoveryUrl ?? `https://${reminder.shop}/cart`, settings.queryParams);
  const targets = [
    { kind: "recovery", url: recovery },
    ...shown.map((item, index) => {
      const url = productUrl(reminder.shop, info[index].handle, item.variantId);
      return { kind: "product", url: url ? withQueryParams(url, settings.queryParams) : null };
    }),
  ];
  const links = targets.map((target, index) => (target.url ? { ...target, code: linkCode(reminder.id, index) } : null));
  const rows = links.filter((link): link is { kind: string; url: string; code: string } => link !== null);
  await db.reminderLink.createMany({
    data: rows.map((link) => ({ code: link.code, shop: reminder.shop, reminderId: reminder.id, targetUrl: link.url, kind: link.kind })),
    skipDuplicates: true,
  });
  const tracked = (index: number) => (links[index] ? `${env.SHOPIFY_APP_URL.replace(/\/$/, "")}/r/${links[index]!.code}` : null);

  return buildReminderMessage({
    settings,
    items: items.map((item, index) => ({
      title: item.title,
      variantTitle: item.variantTitle,
      quantity: item.quantity,
      price: item.price,
      currency: reminder.checkout.currency,
      imageUrl: info[index]?.imageUrl ?? null,
      url: index < 2 ? tracked(index + 1) : null,
    })),
    currency: reminder.checkout.currency,
    totalPrice: reminder.checkout.totalPrice.toString(),
    recoveryUrl: tracked(0)!,
  });
}

async function applyTags(friend: Friend, settings: CartReminderSettings) {
  const add = (settings.tagsToAdd as string[] | null) ?? [];
  const remove = (settings.tagsToRemove as string[] | null) ?? [];
  if (add.length) await addTagsByName(friend, add, "cart-reminder");
  if (remove.length) await removeTagsByName(friend, remove);
}
