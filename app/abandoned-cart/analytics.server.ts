// かご落ちLINE analytics: what happened on each of the last 30 days in the shop's time zone, counted in one SQL
// query, and the most recent reminders. Each event counts on its own day: a reminder created (the checkout was
// linked to a friend) on its createdAt, a send on sentAt, the first click on clickedAt, a recovery (an order
// attributed to the reminder, OrderAttribution) on the day the reminder was sent, a skip, cancellation or failure on
// the moment it was recorded (updatedAt: nothing updates such a row later).
import { Prisma } from "@prisma/client";
import { db } from "../db.server";
import { amountText } from "./money";

export const ANALYTICS_DAYS = 30;
export const RECENT_REMINDERS = 50;
// Rows are found through the (shop, createdAt) index. An event can come well after its reminder was created: a
// send up to a day later (plus quiet hours), a recovery up to 30 attribution days after the send. Clicks later
// than that are not counted.
const LOOKBACK_DAYS = ANALYTICS_DAYS + 33;

export type Revenue = { currency: string; amount: string };

export type CartStats = {
  linked: number;
  scheduled: number;
  sent: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  failed: number;
  clicked: number;
  recovered: number;
  revenue: Revenue[];
  /** recovered / sent, null when nothing was sent. */
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
  from: string;
  to: string;
  days: DayStats[];
  totals: CartStats;
  recent: RecentReminder[];
};

type EventRow = { metric: string; detail: string | null; day: string; count: number; checkouts: number; amount: string | null };

/** "YYYY-MM-DD" of `instant` in `timeZone`. */
function localDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

// Columns are UTC timestamp(3) without a zone: compare with the UTC wall time, not a zoned parameter.
const utc = (instant: Date) => instant.toISOString().replace("Z", "");

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

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
    case "recovered":
      stats.recovered += row.count;
      if (row.amount !== null) addRevenue(stats.revenue, row.detail ?? "", row.amount);
      break;
    case "sent":
    case "failed":
    case "clicked":
      stats[row.metric] += row.count;
      break;
  }
}

const rate = (stats: CartStats) => ({ ...stats, recoveryRate: stats.sent > 0 ? stats.recovered / stats.sent : null });

/** The last 30 days (today included) of one shop, or of one of its accounts. */
export async function cartAnalytics(
  shop: string,
  options: { lineAccountId?: string | null; now?: Date } = {},
): Promise<CartAnalytics> {
  const now = options.now ?? new Date();
  const shopRow = await db.shop.findUnique({ where: { shop }, select: { timeZone: true } });
  const timeZone = shopRow?.timeZone ?? "Asia/Tokyo";
  const to = localDay(now, timeZone);
  const from = addDays(to, -(ANALYTICS_DAYS - 1));
  const since = new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);
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
      SELECT 'clicked', NULL, ${local("clickedAt")}, r."checkoutId", NULL FROM r, tz WHERE r."clickedAt" IS NOT NULL
      UNION ALL
      -- Recovered: orders attributed to the reminder (app/customers/attribution.server.ts), on the day it was SENT,
      -- so a day's recovery rate compares that day's sends with what they brought (never above 100 %).
      SELECT 'recovered', a.currency, ${local("sentAt")}, r."checkoutId", a.revenue FROM r, tz,
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
    from,
    to,
    days: [...byDay].map(([day, stats]) => ({ day, ...rate(stats) })),
    totals: rate(totals),
    recent: await recentReminders(shop, options.lineAccountId ?? null),
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
