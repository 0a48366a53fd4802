// One cart reminder, exactly once. This module decides WHAT is sent and whether a reminder is still wanted (the
// settings, the purchase, quiet hours, one reminder per checkout and LINE user); the send pipeline
// (app/messaging) sends it as a delivery of kind "cart-reminder" with the reminder's retry key, under the sending
// rules, the channel's budget and the quota, and the reminder mirrors the delivery's outcome. Every reminder ends
// sent, skipped, failed or unknown.
import { createHash } from "node:crypto";
import type { CartReminderSettings, LineAccount } from "@prisma/client";
import { db, sql } from "../db.server";
import { env } from "../env.server";
import { expiringCache } from "../expiring-cache";
import { logger } from "../logger.server";
import { recordDeliveries } from "../messaging/deliveries.server";
import { RETRY_KEY_WINDOW_MS } from "../messaging/retry-key";
import { refusal } from "../messaging/rules.server";
import { sendDelivery, type DeliveryOutcome } from "../messaging/send.server";
import { addTagsByName, removeTagsByName } from "../tags/tags.server";
import type { StoredLineItem } from "./checkouts.server";
import { buildReminderMessage } from "./flex";
import { productUrl, withQueryParams } from "./links";
import { productInfoFor, type GraphQL } from "./product-info.server";
import { deferForQuietHours } from "./quiet-hours";

export { RETRY_KEY_WINDOW_MS };
const UNKNOWN_OUTCOME = "unknown: LINE did not confirm the push within the retry key's 24 hours; not sent again";

export type SendOutcome =
  | { status: "sent" | "already-sent" | "unknown" }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string }
  | { status: "deferred"; until: Date }
  | { status: "throttled"; until: Date }
  | { status: "not-pending"; current: string };

// Raw SQL: a due burst sends thousands of reminders a second, and each Prisma call costs 0.7–2.2 ms of CPU in its
// client engine (tests/bench/README.md), against about 0.1 ms through pg. A send is one read of everything the
// rules need, the claim, the product images, the click links and the "sent" mark. Rare paths (quota, tags) stay
// on Prisma.

/** The reminder with its checkout, friend and shop, and whether an order exists. */
type DueReminder = {
  id: string;
  shop: string;
  status: string;
  lineAccountId: string;
  checkoutId: string;
  friendId: string;
  retryKey: string;
  claimedAt: Date | null;
  checkoutToken: string;
  lineItems: StoredLineItem[];
  recoveryUrl: string | null;
  currency: string;
  totalPrice: string;
  purchasedAt: Date | null;
  completedAt: Date | null;
  lineUserId: string;
  followStatus: string;
  operatorBlockedAt: Date | null;
  uninstalledAt: Date | null;
  timeZone: string | null;
  ordered: boolean;
};

async function loadDueReminder(id: string): Promise<DueReminder | undefined> {
  const [row] = await sql<DueReminder>`
    SELECT r.id, r.shop, r.status, r."lineAccountId", r."checkoutId", r."friendId", r."retryKey", r."claimedAt",
           c.token AS "checkoutToken", c."lineItems", c."recoveryUrl", c.currency, trim_scale(c."totalPrice")::text AS "totalPrice",
           c."purchasedAt", c."completedAt",
           f."lineUserId", f."followStatus", f."operatorBlockedAt",
           s."uninstalledAt", s."timeZone",
           EXISTS (SELECT 1 FROM "Order" o WHERE o.shop = r.shop AND o."checkoutToken" = c.token) AS ordered
    FROM "CartReminder" r
    JOIN "Checkout" c ON c.id = r."checkoutId"
    JOIN "Friend" f ON f.id = r."friendId"
    LEFT JOIN "Shop" s ON s.shop = r.shop
    WHERE r.id = ${id}`;
  return row;
}

type SendingAccount = LineAccount & { cartReminder: CartReminderSettings | null };

// The account and its settings are the same for every reminder of a burst, so they are kept this long. A setting
// changed or an account disconnected elsewhere reaches a worker within this time; both also cancel the account's
// scheduled reminders in the database, and a reminder's own status is always read fresh.
const accounts = expiringCache(5_000, (id): Promise<SendingAccount | null> =>
  db.lineAccount.findUnique({ where: { id }, include: { cartReminder: true } }),
);

async function setQuotaExhausted(lineAccountId: string, at: Date | null) {
  await db.cartReminderSettings.update({ where: { lineAccountId }, data: { quotaExhaustedAt: at } });
  accounts.forget(lineAccountId);
}

export async function sendCartReminder(reminderId: string, graphql: () => Promise<GraphQL>, now = new Date()): Promise<SendOutcome> {
  const reminder = await loadDueReminder(reminderId);
  if (!reminder) return { status: "not-pending", current: "missing" };
  if (reminder.status !== "scheduled" && reminder.status !== "sending") return { status: "not-pending", current: reminder.status };
  const account = await accounts.get(reminder.lineAccountId);
  if (!account) return { status: "not-pending", current: "missing" };

  const reason = skipReason(reminder, account);
  if (reason) return skip(reminder.id, reason);

  const settings = account.cartReminder!;
  if (settings.quietHoursEnabled) {
    const until = deferForQuietHours(now, reminder.timeZone ?? "Asia/Tokyo", settings.quietStart, settings.quietEnd);
    if (until.getTime() > now.getTime()) {
      await sql`UPDATE "CartReminder" SET "dueAt" = ${until}, "updatedAt" = ${new Date()} WHERE id = ${reminder.id}`;
      return { status: "deferred", until };
    }
  }

  const claim = await claimReminder(reminder);
  if (claim) return claim;
  let message: ReturnType<typeof buildReminderMessage>;
  try {
    message = await reminderMessage(reminder, settings, graphql);
  } catch (error) {
    return failReminder(reminder.id, `message: ${(error as Error).message}`);
  }

  // A retried reminder finds its delivery by the retry key and sends that one again.
  const [delivery] = await recordDeliveries([
    {
      shop: reminder.shop,
      lineAccountId: reminder.lineAccountId,
      kind: "cart-reminder",
      channel: "push",
      sourceId: reminder.id,
      recipients: [reminder.lineUserId],
      friendId: reminder.friendId,
      messages: [message],
      retryKey: reminder.retryKey,
    },
  ]);
  return mirror(reminder, settings, delivery.id, await sendDelivery(delivery.id));
}

/** The reminder takes the outcome of its delivery. */
async function mirror(reminder: DueReminder, settings: CartReminderSettings, deliveryId: string, outcome: DeliveryOutcome): Promise<SendOutcome> {
  if (outcome.status === "not-pending") outcome = await settled(deliveryId, outcome);
  switch (outcome.status) {
    case "sent":
      await sql`
        UPDATE "CartReminder" SET status = 'sent', "sentAt" = ${new Date()}, error = NULL, "updatedAt" = ${new Date()}
        WHERE id = ${reminder.id}`;
      if (settings.quotaExhaustedAt) await setQuotaExhausted(settings.lineAccountId, null);
      await applyTags({ id: reminder.friendId, shop: reminder.shop }, settings);
      return { status: outcome.alreadyAccepted ? "already-sent" : "sent" };
    // Nothing reached LINE (the rules, the quota) or LINE refused it: the LINE user is free for another account's
    // reminder.
    case "skipped":
      if (outcome.reason.startsWith("quota-")) await setQuotaExhausted(settings.lineAccountId, new Date());
      return skip(reminder.id, outcome.reason, { refused: true });
    case "failed":
      return failReminder(reminder.id, outcome.reason, { refused: true });
    case "unknown":
      return markUnknown(reminder.id);
    case "throttled":
      // The channel's budget or a 429 pause: the job waits; a wait for the budget, before any request, is no attempt.
      if (!outcome.requested) {
        await sql`UPDATE "CartReminder" SET attempts = GREATEST(attempts - 1, 0), "updatedAt" = ${new Date()} WHERE id = ${reminder.id}`;
      }
      return { status: "throttled", until: outcome.until };
    case "retry":
      throw outcome.error instanceof Error ? outcome.error : new Error(outcome.reason);
    case "not-pending":
      // Another attempt holds the delivery (a sweeper's job); it ends it, and the reminder follows on its next run.
      return outcome;
  }
}

/** A delivery another attempt already ended, as the outcome that attempt had. */
async function settled(deliveryId: string, outcome: Extract<DeliveryOutcome, { status: "not-pending" }>): Promise<DeliveryOutcome> {
  const [row] = await sql<{ status: string; reason: string | null; errorStatus: number | null }>`
    SELECT status, reason, "errorStatus" FROM "Delivery" WHERE id = ${deliveryId}`;
  const reason = row?.reason ?? row?.status ?? "missing";
  switch (row?.status) {
    case "sent":
      return { status: "sent", alreadyAccepted: true, requestId: null, excluded: 0 };
    case "skipped":
      return { status: "skipped", reason };
    case "failed":
      return { status: "failed", reason, errorStatus: row.errorStatus };
    case "unknown":
      return { status: "unknown", reason };
    default:
      return outcome;
  }
}

function skipReason(reminder: DueReminder, account: SendingAccount): string | null {
  const settings = account.cartReminder;
  if (!settings?.enabled) return "disabled";
  // The pipeline's rules, over the columns read with the reminder, so no message is built for a friend who
  // cannot receive it; the pipeline applies them again when it sends.
  const refused = refusal({ accountStatus: account.status, ...reminder });
  if (refused) return refused;
  if (reminder.purchasedAt || reminder.completedAt || reminder.ordered) return "purchased";
  return null;
}

/**
 * The record before the push: from here on, every attempt sends with the same retry key. Returns null when claimed,
 * else the outcome. The statement is the guard, not the read before it:
 * - only a reminder still pending is claimed, so one cancelled since the read (an order just arrived) is not sent;
 * - one already claimed is claimed again only within the retry key's window; after it, the outcome is unknown;
 * - the (checkout, LINE user) unique index admits one claim: two accounts of one LINE provider see one user id.
 */
async function claimReminder(reminder: DueReminder): Promise<SendOutcome | null> {
  const at = new Date();
  let claimed: unknown[];
  try {
    claimed = await sql`
      UPDATE "CartReminder" SET status = 'sending', attempts = attempts + 1, "lineUserId" = ${reminder.lineUserId},
        "claimedAt" = COALESCE("claimedAt", ${at}::timestamp), "updatedAt" = ${at}
      WHERE id = ${reminder.id}
        AND (status = 'scheduled' OR (status = 'sending' AND "claimedAt" > ${new Date(at.getTime() - RETRY_KEY_WINDOW_MS)}::timestamp))
      RETURNING id`;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code === "23505" && constraint === "CartReminder_checkoutId_lineUserId_key") return skip(reminder.id, "already-reminded");
    throw error;
  }
  if (claimed.length) return null;
  const [current] = await sql<{ status: string }>`SELECT status FROM "CartReminder" WHERE id = ${reminder.id}`;
  if (current?.status === "sending") return markUnknown(reminder.id);
  return { status: "not-pending", current: current?.status ?? "missing" };
}

/** A reminder claimed longer ago than LINE keeps its retry key: sending again could deliver it twice. */
export async function markUnknown(id: string): Promise<SendOutcome> {
  logger.warn("cart reminder outcome unknown", { reminderId: id });
  await sql`
    UPDATE "CartReminder" SET status = 'unknown', error = ${UNKNOWN_OUTCOME}, "updatedAt" = ${new Date()}
    WHERE id = ${id} AND status = 'sending'`;
  return { status: "unknown" };
}

// `refused`: LINE answered that it did not take the push, so the reminder no longer holds its LINE user.
async function skip(id: string, reason: string, options: { refused?: boolean } = {}): Promise<SendOutcome> {
  await sql`
    UPDATE "CartReminder" SET status = 'skipped', "skipReason" = ${reason}, "updatedAt" = ${new Date()},
      "lineUserId" = CASE WHEN ${options.refused ?? false}::boolean THEN NULL ELSE "lineUserId" END
    WHERE id = ${id} AND status IN ('scheduled', 'sending')`;
  return { status: "skipped", reason };
}

/** Also the final state of a reminder whose job used up its attempts (jobs/processors/cart-reminder.ts). */
export async function failReminder(id: string, reason: string, options: { refused?: boolean } = {}): Promise<SendOutcome> {
  const failed = await sql`
    UPDATE "CartReminder" SET status = 'failed', error = ${reason.slice(0, 1_000)}, "updatedAt" = ${new Date()},
      "lineUserId" = CASE WHEN ${options.refused ?? false}::boolean THEN NULL ELSE "lineUserId" END
    WHERE id = ${id} AND status IN ('scheduled', 'sending')
    RETURNING id`;
  if (failed.length) logger.warn("cart reminder failed", { reminderId: id, reason });
  return { status: "failed", reason };
}

/** Click-counting redirect codes are derived from the reminder, so a retried build yields the same message. */
function linkCode(reminderId: string, index: number) {
  return createHash("sha256").update(`${reminderId}:${index}`).digest("base64url").slice(0, 16);
}

async function reminderMessage(reminder: DueReminder, settings: CartReminderSettings, graphql: () => Promise<GraphQL>) {
  const items = reminder.lineItems;
  const shown = items.slice(0, 2);
  const info = await productInfoFor(reminder.shop, shown, graphql);
  const recovery = withQueryParams(reminder.recoveryUrl ?? `https://${reminder.shop}/cart`, settings.queryParams);
  const targets = [
    { kind: "recovery", url: recovery },
    ...shown.map((item, index) => {
      const url = productUrl(reminder.shop, info[index].handle, item.variantId);
      return { kind: "product", url: url ? withQueryParams(url, settings.queryParams) : null };
    }),
  ];
  const links = targets.map((target, index) => (target.url ? { ...target, code: linkCode(reminder.id, index) } : null));
  const rows = links.filter((link): link is { kind: string; url: string; code: string } => link !== null);
  // One statement for all links; a retried build finds them already there.
  await sql`
    INSERT INTO "ReminderLink" (code, shop, "reminderId", "targetUrl", kind, "createdAt")
    SELECT link.code, ${reminder.shop}, ${reminder.id}, link.url, link.kind, ${new Date()}::timestamp
    FROM unnest(${rows.map((l) => l.code)}::text[], ${rows.map((l) => l.url)}::text[], ${rows.map((l) => l.kind)}::text[])
      AS link(code, url, kind)
    ON CONFLICT DO NOTHING`;
  const tracked = (index: number) => (links[index] ? `${env.SHOPIFY_APP_URL.replace(/\/$/, "")}/r/${links[index]!.code}` : null);

  return buildReminderMessage({
    settings,
    items: items.map((item, index) => ({
      title: item.title,
      variantTitle: item.variantTitle,
      quantity: item.quantity,
      price: item.price,
      currency: reminder.currency,
      imageUrl: info[index]?.imageUrl ?? null,
      url: index < 2 ? tracked(index + 1) : null,
    })),
    currency: reminder.currency,
    totalPrice: reminder.totalPrice,
    recoveryUrl: tracked(0)!,
  });
}

async function applyTags(friend: { id: string; shop: string }, settings: CartReminderSettings) {
  const add = (settings.tagsToAdd as string[] | null) ?? [];
  const remove = (settings.tagsToRemove as string[] | null) ?? [];
  if (add.length) await addTagsByName(friend, add, "cart-reminder");
  if (remove.length) await removeTagsByName(friend, remove);
}
