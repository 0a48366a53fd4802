// かご落ちLINE analytics: what happened on each day of a period (calendar days in the shop's time zone), counted in
// one SQL query, and the most recent reminders. Activity counts on its own day: a reminder created (the checkout
// was linked to a friend) on its createdAt, a send on sentAt, a skip, cancellation or failure on the moment it was
// recorded (updatedAt: nothing updates such a row later). Outcomes of a send count on the day of the SEND: a click
// or a recovered order days later belongs to that day's reminders, so every rate (app/abandoned-cart/rates.ts)
// compares a day's sends with what those very sends brought, and none can pass 100 %.
import { Prisma } from "@prisma/client";
import { db } from "../db.server";
import { addDays, presetRange } from "../components/date-range";
import { shopCalendar } from "../components/date-range.server";
import { amountText } from "./money";
import { shareOf } from "./rates";

export const ANALYTICS_DAYS = 30;
export const RECENT_REMINDERS = 50;
// Rows are found through the (shop, createdAt) index. A send comes up to a day (plus quiet hours) after its reminder
// was created; outcomes count on the send's day, so a reminder created this long before the period cannot matter.
const LOOKBACK_DAYS = 33;

export type Revenue = { currency: string; amount: string };

export type CartStats = {
  linked: number;
  scheduled: number;
  sent: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  failed: number;
  /** Reminders sent in the period that were clicked (at any time since). */
  clicked: number;
  /** Reminders sent in the period that an order was attributed to (at any time since). */
  recovered: number;
  /** The attributed orders' totals, per currency. */
  revenue: Revenue[];
  /** clicked / sent, null when nothing was sent (app/abandoned-cart/rates.ts). */
  clickRate: number | null;
  /** recovered / sent, null when nothing was sent (app/abandoned-cart/rates.ts). */
  recoveryRate: number | null;
};

export type DayStats = CartStats & { day: string };

export type RecentReminder = {
  id: string;
  status: string;
  friendName: string | null;
  total: string;
  currency: string;
  dueAt: Date;
  sentAt: Date | null;
  clicks: number;
  skipReason: string | null;
  error: string | null;
  recovered: boolean;
  recoveredRevenue: string | null;
  recoveredCurrency: string | null;
};

export type CartAnalytics = {
  timeZone: string;
  /** The shop's currency, for money axes (orders in other currencies are listed beside it). */
  currency: string | null;
  from: string;
  to: string;
  days: DayStats[];
  totals: CartStats;
  recent: RecentReminder[];
};

type EventRow = { metric: string; detail: string | null; day: string; count: number; checkouts: number; amount: string | null };

// Columns are UTC timestamp(3) without a zone: compare with the UTC wall time, not a zoned parameter.
const utc = (instant: Date) => instant.toISOString().replace("Z", "");

const emptyStats = (): CartStats => ({
  linked: 0,
  scheduled: 0,
  sent: 0,
  skipped: 0,
  skippedByReason: {},
  failed: 0,
  clicked: 0,
  recovered: 0,
  revenue: [],
  clickRate: null,
  recoveryRate: null,
});

// Sums are exact (Decimal), written with the currency's own minor units: JPY "5000", KWD "3.125".
function addRevenue(revenue: Revenue[], currency: string, amount: string) {
  const existing = revenue.find((r) => r.currency === currency);
  if (existing) existing.amount = amountText(new Prisma.Decimal(existing.amount).plus(amount).toFixed(), currency);
  else revenue.push({ currency, amount: amountText(new Prisma.Decimal(amount).toFixed(), currency) });
}

function apply(stats: CartStats, row: EventRow) {
  switch (row.metric) {
    case "created":
      stats.linked += row.checkouts;
      stats.scheduled += row.count;
      break;
    case "skipped":
      stats.skipped += row.count;
      stats.skippedByReason[row.detail ?? "unknown"] = (stats.skippedByReason[row.detail ?? "unknown"] ?? 0) + row.count;
      break;
    case "revenue":
      if (row.amount !== null) addRevenue(stats.revenue, row.detail ?? "", row.amount);
      break;
    case "recovered":
    case "sent":
    case "failed":
    case "clicked":
      stats[row.metric] += row.count;
      break;
  }
}

const rate = (stats: CartStats) => ({
  ...stats,
  clickRate: shareOf(stats.clicked, stats.sent),
  recoveryRate: shareOf(stats.recovered, stats.sent),
});

/**
 * The days `from`–`to` (default: the last 30 days, today included) of one shop, or of one of its accounts.
 * `recent: false` leaves out the latest reminders (for the comparison period).
 */
export async function cartAnalytics(
  shop: string,
  options: { lineAccountId?: string | null; now?: Date; from?: string; to?: string; recent?: boolean } = {},
): Promise<CartAnalytics> {
  const { timeZone, currency, today } = await shopCalendar(shop, options.now);
  const period = options.from && options.to ? { from: options.from, to: options.to } : presetRange("last30", today);
  const { from, to } = period;
  const since = new Date(Date.parse(`${from}T00:00:00Z`) - (LOOKBACK_DAYS + 1) * 86_400_000);
  const account = options.lineAccountId ? Prisma.sql`AND r."lineAccountId" = ${options.lineAccountId}` : Prisma.empty;
  // Timestamps are UTC timestamp(3) columns: read them as UTC, then as wall time in the shop's zone.
  const local = (column: string) => Prisma.raw(`((r."${column}" AT TIME ZONE 'UTC') AT TIME ZONE tz.name)::date`);

  const rows = await db.$queryRaw<EventRow[]>`
    WITH tz AS (SELECT ${timeZone}::text AS name),
    r AS (
      SELECT r.* FROM "CartReminder" r
      WHERE r.shop = ${shop} AND r."createdAt" >= ${utc(since)}::timestamp(3) ${account}
    ),
    events AS (
      SELECT 'created' AS metric, NULL AS detail, ${local("createdAt")} AS day, r."checkoutId", NULL::numeric AS amount FROM r, tz
      UNION ALL
      SELECT 'sent', NULL, ${local("sentAt")}, r."checkoutId", NULL FROM r, tz WHERE r."sentAt" IS NOT NULL
      UNION ALL
      SELECT 'skipped', COALESCE(r."skipReason", 'unknown'), ${local("updatedAt")}, r."checkoutId", NULL FROM r, tz
      WHERE r.status IN ('skipped', 'cancelled')
      UNION ALL
      -- An unknown outcome (LINE never answered within the retry key's 24 hours) is not counted as sent.
      SELECT 'failed', NULL, ${local("updatedAt")}, r."checkoutId", NULL FROM r, tz WHERE r.status IN ('failed', 'unknown')
      UNION ALL
      -- Clicked: a sent reminder that was clicked, on the day it was SENT (one per reminder, however many clicks).
      SELECT 'clicked', NULL, ${local("sentAt")}, r."checkoutId", NULL FROM r, tz
      WHERE r."sentAt" IS NOT NULL AND r."clickedAt" IS NOT NULL
      UNION ALL
      -- Recovered: a sent reminder with an order attributed to it (app/customers/attribution.server.ts), on the day
      -- it was SENT, once per reminder, so a day's recovery rate compares that day's sends with what they brought.
      SELECT 'recovered', NULL, ${local("sentAt")}, r."checkoutId", NULL FROM r, tz
      WHERE r."sentAt" IS NOT NULL AND EXISTS (SELECT 1 FROM "OrderAttribution" oa
        WHERE oa.shop = r.shop AND oa.kind = 'cart-reminder' AND oa."sourceId" = r.id)
      UNION ALL
      -- Their revenue, per currency, on the same day.
      SELECT 'revenue', a.currency, ${local("sentAt")}, r."checkoutId", a.revenue FROM r, tz,
        LATERAL (SELECT oa.currency, SUM(oa.revenue) AS revenue FROM "OrderAttribution" oa
                 WHERE oa.shop = r.shop AND oa.kind = 'cart-reminder' AND oa."sourceId" = r.id GROUP BY oa.currency) a
      WHERE r."sentAt" IS NOT NULL
    )
    SELECT metric, detail, to_char(day, 'YYYY-MM-DD') AS day, COUNT(*)::int AS count,
      COUNT(DISTINCT "checkoutId")::int AS checkouts, SUM(amount)::text AS amount
    FROM events
    WHERE day BETWEEN ${from}::date AND ${to}::date
    GROUP BY metric, detail, day`;

  const byDay = new Map<string, CartStats>();
  for (let day = from; day <= to; day = addDays(day, 1)) byDay.set(day, emptyStats());
  const totals = emptyStats();
  for (const row of rows) {
    apply(byDay.get(row.day)!, row);
    if (row.metric !== "created") apply(totals, row);
  }
  // A checkout linked on two days (two accounts) is one checkout in the totals.
  totals.scheduled = [...byDay.values()].reduce((sum, stats) => sum + stats.scheduled, 0);
  totals.linked = await linkedCheckouts(shop, options.lineAccountId ?? null, from, to, timeZone, since);

  return {
    timeZone,
    currency,
    from,
    to,
    days: [...byDay].map(([day, stats]) => ({ day, ...rate(stats) })),
    totals: rate(totals),
    recent: options.recent === false ? [] : await recentReminders(shop, options.lineAccountId ?? null),
  };
}

async function linkedCheckouts(shop: string, lineAccountId: string | null, from: string, to: string, timeZone: string, since: Date) {
  const account = lineAccountId ? Prisma.sql`AND "lineAccountId" = ${lineAccountId}` : Prisma.empty;
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT COUNT(DISTINCT "checkoutId")::int AS count FROM "CartReminder"
    WHERE shop = ${shop} AND "createdAt" >= ${utc(since)}::timestamp(3) ${account}
      AND (("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date BETWEEN ${from}::date AND ${to}::date`;
  return row?.count ?? 0;
}

async function recentReminders(shop: string, lineAccountId: string | null): Promise<RecentReminder[]> {
  const rows = await db.cartReminder.findMany({
    where: { shop, ...(lineAccountId ? { lineAccountId } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: RECENT_REMINDERS,
    include: { friend: { select: { displayName: true } }, checkout: { select: { totalPrice: true, currency: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    status: row.status,
    friendName: row.friend.displayName,
    total: amountText(row.checkout.totalPrice.toFixed(), row.checkout.currency),
    currency: row.checkout.currency,
    dueAt: row.dueAt,
    sentAt: row.sentAt,
    clicks: row.clicks,
    skipReason: row.skipReason,
    error: row.error,
    recovered: row.recoveredAt !== null,
    ...recovery(row),
  }));
}

function recovery(row: { recoveredRevenue: Prisma.Decimal | null; recoveredCurrency: string | null; checkout: { currency: string } }) {
  if (!row.recoveredRevenue) return { recoveredRevenue: null, recoveredCurrency: null };
  const currency = row.recoveredCurrency ?? row.checkout.currency;
  return { recoveredRevenue: amountText(row.recoveredRevenue.toFixed(), currency), recoveredCurrency: currency };
}

/** For the warning banner: LINE said the monthly message quota is used up (cleared by the next successful send). */
export async function quotaState(lineAccountId: string): Promise<{ exhausted: boolean; since: Date | null }> {
  const row = await db.cartReminderSettings.findUnique({ where: { lineAccountId }, select: { quotaExhaustedAt: true } });
  return { exhausted: Boolean(row?.quotaExhaustedAt), since: row?.quotaExhaustedAt ?? null };
}
