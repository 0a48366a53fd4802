// Cart reminders, each exactly once, in batches. This module decides WHAT is sent and whether a reminder is still
// wanted (the settings, the purchase, quiet hours, one reminder per checkout and LINE user); the send pipeline
// (app/messaging) sends it as a delivery of kind "cart-reminder" with the reminder's retry key, under the sending
// rules, the channel's budget and the quota, and the reminder mirrors the delivery's outcome. Every reminder ends
// sent, skipped, failed or unknown. A batch (the due reminders a worker holds at once) takes one statement for each
// step, whatever its size: the read, the claim, the images, the links, the deliveries, the "sent" marks.
import type { CartReminderSettings, LineAccount } from "@prisma/client";
import { db, sql } from "../db.server";
import { expiringCache } from "../expiring-cache";
import { recordDeliveries, type NewDelivery } from "../messaging/deliveries.server";
import { RETRY_KEY_WINDOW_MS } from "../messaging/retry-key";
import type { LineMessage } from "../messaging/types";
import { refusal } from "../messaging/rules.server";
import { sendDeliveries, type DeliveryOutcome } from "../messaging/send.server";
import { addTagsByName, removeTagsByName } from "../tags/tags.server";
import type { StoredLineItem } from "./checkouts.server";
import type { GraphQL } from "./product-info.server";
import { reminderMessages } from "./reminder-message.server";
import { deferForQuietHours } from "./quiet-hours";
import {
  claimReminders,
  deferReminders,
  failReminder,
  markSentReminders,
  markUnknown,
  markUnknowns,
  skipReminders,
  uncountAttempts,
} from "./reminder-state.server";

export { failReminder, markUnknown, RETRY_KEY_WINDOW_MS };

export type SendOutcome =
  | { status: "sent" | "already-sent" | "unknown" }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string }
  | { status: "deferred"; until: Date }
  | { status: "throttled"; until: Date }
  | { status: "not-pending"; current: string };

/** In a batch, a reminder whose delivery LINE did not answer (or answered 5xx) is retried by its job. */
export type BatchOutcome = SendOutcome | { status: "retry"; error: Error };

// Raw SQL: a due burst sends thousands of reminders a second, and each Prisma call costs 0.7–2.2 ms of CPU in its
// client engine (tests/bench/README.md), against about 0.1 ms through pg. A send is one read of everything the
// rules need, the claim, the product images, the click links, the deliveries and the "sent" marks. Rare paths
// (quota, tags) stay on Prisma.

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

async function loadDueReminders(ids: string[]): Promise<Map<string, DueReminder>> {
  const rows = await sql<DueReminder>`
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
    WHERE r.id = ANY(${ids}::text[])`;
  return new Map(rows.map((row) => [row.id, row]));
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

export type SendOptions = {
  now?: Date;
  /** Passed to the pipeline (sendDeliveries): how long a push held back by its channel's budget waits in the batch. */
  waitForBudgetMs?: number;
};

/** One reminder: a batch of one. LINE not answering (or answering 5xx) throws, for the caller's retry. */
export async function sendCartReminder(reminderId: string, graphql: () => Promise<GraphQL>, now = new Date()): Promise<SendOutcome> {
  const [outcome] = await sendCartReminders([reminderId], () => graphql(), { now });
  if (outcome.status === "retry") throw outcome.error;
  return outcome;
}

type Ready = { reminder: DueReminder; settings: CartReminderSettings };

/** Sends a batch of due reminders (of any accounts and shops); returns their outcomes in input order. */
export async function sendCartReminders(
  ids: string[],
  graphqlFor: (shop: string) => Promise<GraphQL>,
  options: SendOptions = {},
): Promise<BatchOutcome[]> {
  const now = options.now ?? new Date();
  const outcomes = new Map<string, BatchOutcome>();
  const loaded = await loadDueReminders(ids);
  const skips: { id: string; reason: string }[] = [];
  const deferred: { id: string; until: Date }[] = [];
  const ready: Ready[] = [];
  for (const id of new Set(ids)) {
    const reminder = loaded.get(id);
    if (!reminder || (reminder.status !== "scheduled" && reminder.status !== "sending")) {
      outcomes.set(id, { status: "not-pending", current: reminder?.status ?? "missing" });
      continue;
    }
    const account = await accounts.get(reminder.lineAccountId);
    if (!account) {
      outcomes.set(id, { status: "not-pending", current: "missing" });
      continue;
    }
    const reason = skipReason(reminder, account);
    if (reason) {
      skips.push({ id, reason });
      continue;
    }
    const settings = account.cartReminder!;
    if (settings.quietHoursEnabled) {
      const until = deferForQuietHours(now, reminder.timeZone ?? "Asia/Tokyo", settings.quietStart, settings.quietEnd);
      if (until.getTime() > now.getTime()) {
        deferred.push({ id, until });
        continue;
      }
    }
    ready.push({ reminder, settings });
  }
  await skipReminders(skips);
  for (const skip of skips) outcomes.set(skip.id, { status: "skipped", reason: skip.reason });
  await deferReminders(deferred);
  for (const { id, until } of deferred) outcomes.set(id, { status: "deferred", until });

  const claims = await claimReminders(ready.map(({ reminder }) => ({ id: reminder.id, lineUserId: reminder.lineUserId })));
  const claimed = ready.filter(({ reminder }) => {
    const claim = claims.get(reminder.id)!;
    if (claim.claimed) return true;
    const { claimed: _, ...outcome } = claim;
    outcomes.set(reminder.id, outcome);
    return false;
  });

  const messages = await reminderMessages(
    claimed.map(({ reminder, settings }) => ({ ...reminder, settings })),
    graphqlFor,
  );
  const built: (Ready & { message: LineMessage })[] = [];
  for (const entry of claimed) {
    const message = messages.get(entry.reminder.id)!;
    if (message instanceof Error) outcomes.set(entry.reminder.id, await failReminder(entry.reminder.id, `message: ${message.message}`));
    else built.push({ ...entry, message });
  }

  // A retried reminder finds its delivery by the retry key and sends that one again.
  const deliveries = await recordDeliveries(built.map(({ reminder, message }): NewDelivery => ({
    shop: reminder.shop,
    lineAccountId: reminder.lineAccountId,
    kind: "cart-reminder",
    channel: "push",
    sourceId: reminder.id,
    recipients: [reminder.lineUserId],
    friendId: reminder.friendId,
    messages: [message],
    retryKey: reminder.retryKey,
  })));
  const deliveryIds = deliveries.map((d) => d.id);
  const sent = await sendDeliveries(deliveryIds, { waitForBudgetMs: options.waitForBudgetMs });
  for (const [id, outcome] of await mirror(built, deliveryIds, sent)) outcomes.set(id, outcome);
  return ids.map((id) => outcomes.get(id)!);
}

/** The reminders take the outcomes of their deliveries. */
async function mirror(built: Ready[], deliveryIds: string[], delivered: DeliveryOutcome[]): Promise<Map<string, BatchOutcome>> {
  const outcomes = new Map<string, BatchOutcome>();
  const settledOnes = await settled(deliveryIds.filter((_, index) => delivered[index].status === "not-pending"));
  const sent: Ready[] = [];
  const refused: { id: string; reason: string; refused: boolean }[] = [];
  const unknown: string[] = [];
  const uncounted: string[] = [];
  const exhausted = new Set<string>();
  for (const [index, entry] of built.entries()) {
    const id = entry.reminder.id;
    const outcome = settledOnes.get(deliveryIds[index]) ?? delivered[index];
    switch (outcome.status) {
      case "sent":
        sent.push(entry);
        outcomes.set(id, { status: outcome.alreadyAccepted ? "already-sent" : "sent" });
        break;
      // Nothing reached LINE (the rules, the quota) or LINE refused it: the LINE user is free for another account's
      // reminder.
      case "skipped":
        if (outcome.reason.startsWith("quota-")) exhausted.add(entry.settings.lineAccountId);
        refused.push({ id, reason: outcome.reason, refused: true });
        outcomes.set(id, { status: "skipped", reason: outcome.reason });
        break;
      case "failed":
        outcomes.set(id, await failReminder(id, outcome.reason, { refused: true }));
        break;
      case "unknown":
        unknown.push(id);
        outcomes.set(id, { status: "unknown" });
        break;
      case "throttled":
        // The channel's budget or a 429 pause: the job waits.
        if (!outcome.requested) uncounted.push(id);
        outcomes.set(id, { status: "throttled", until: outcome.until });
        break;
      case "retry":
        outcomes.set(id, { status: "retry", error: outcome.error instanceof Error ? outcome.error : new Error(outcome.reason) });
        break;
      case "not-pending":
        // Another attempt holds the delivery (a sweeper's job); it ends it, and the reminder follows on its next run.
        outcomes.set(id, outcome);
        break;
    }
  }
  await markSentReminders(sent.map(({ reminder }) => reminder.id));
  await skipReminders(refused);
  await markUnknowns(unknown);
  await uncountAttempts(uncounted);
  for (const lineAccountId of exhausted) await setQuotaExhausted(lineAccountId, new Date());
  const cleared = new Set<string>();
  for (const { reminder, settings } of sent) {
    if (settings.quotaExhaustedAt && !exhausted.has(settings.lineAccountId) && !cleared.has(settings.lineAccountId)) {
      cleared.add(settings.lineAccountId);
      await setQuotaExhausted(settings.lineAccountId, null);
    }
    await applyTags({ id: reminder.friendId, shop: reminder.shop }, settings);
  }
  return outcomes;
}

/** Deliveries another attempt already ended, as the outcomes that attempt had. */
async function settled(deliveryIds: string[]): Promise<Map<string, DeliveryOutcome>> {
  const result = new Map<string, DeliveryOutcome>();
  if (!deliveryIds.length) return result;
  const rows = await sql<{ id: string; status: string; reason: string | null; errorStatus: number | null }>`
    SELECT id, status, reason, "errorStatus" FROM "Delivery" WHERE id = ANY(${deliveryIds}::text[])`;
  for (const row of rows) {
    const reason = row.reason ?? row.status;
    if (row.status === "sent") result.set(row.id, { status: "sent", alreadyAccepted: true, requestId: null, excluded: 0 });
    else if (row.status === "skipped") result.set(row.id, { status: "skipped", reason });
    else if (row.status === "failed") result.set(row.id, { status: "failed", reason, errorStatus: row.errorStatus });
    else if (row.status === "unknown") result.set(row.id, { status: "unknown", reason });
  }
  return result;
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

async function applyTags(friend: { id: string; shop: string }, settings: CartReminderSettings) {
  const add = (settings.tagsToAdd as string[] | null) ?? [];
  const remove = (settings.tagsToRemove as string[] | null) ?? [];
  if (add.length) await addTagsByName(friend, add, "cart-reminder");
  if (remove.length) await removeTagsByName(friend, remove, "cart-reminder");
}
