// Revenue per message, read from OrderAttribution: totals per currency (home page, the revenue page), per broadcast
// (its results page), the attributed orders one by one with their message and rule (so every figure can be
// checked), and the shop's attribution windows.
import { Prisma } from "@prisma/client";
import { z } from "zod";
import { amountText } from "../abandoned-cart/money";
import { enqueueReattribution } from "../../jobs/queues";
import { db } from "../db.server";
import { attributeOrder, DEFAULT_CLICK_DAYS, DEFAULT_SEND_DAYS } from "./attribution.server";

export const REVENUE_DAYS = 30;
export const ORDERS_PAGE = 50;

export type Money = { currency: string; amount: string };
export type RevenueTotals = { orders: number; revenue: Money[]; byRule: { click: number; send: number; utm: number } };

type TotalRow = { currency: string; rule: string; orders: number; amount: string };

function totals(rows: TotalRow[]): RevenueTotals {
  const result: RevenueTotals = { orders: 0, revenue: [], byRule: { click: 0, send: 0, utm: 0 } };
  const sums = new Map<string, Prisma.Decimal>();
  for (const row of rows) {
    result.orders += row.orders;
    if (row.rule in result.byRule) result.byRule[row.rule as keyof RevenueTotals["byRule"]] += row.orders;
    sums.set(row.currency, (sums.get(row.currency) ?? new Prisma.Decimal(0)).plus(row.amount));
  }
  result.revenue = [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, sum]) => ({ currency, amount: amountText(sum.toFixed(), currency) }));
  return result;
}

/** Attributed orders placed in the last `days` days (all messages), per currency. */
export async function revenueTotals(shop: string, options: { days?: number; now?: Date; since?: Date; until?: Date } = {}): Promise<RevenueTotals> {
  const since = options.since ?? new Date((options.now ?? new Date()).getTime() - (options.days ?? REVENUE_DAYS) * 86_400_000);
  const until = options.until ?? new Date("9999-12-31T00:00:00Z");
  const rows = await db.$queryRaw<TotalRow[]>`
    SELECT a.currency, a.rule, COUNT(*)::int AS orders, SUM(a.revenue)::text AS amount
    FROM "OrderAttribution" a JOIN "Order" o ON o.id = a."orderRef"
    WHERE a.shop = ${shop} AND o.shop = ${shop} AND o."processedAt" >= ${since} AND o."processedAt" < ${until}
    GROUP BY a.currency, a.rule`;
  return totals(rows);
}

/** Every attributed order of one message (a broadcast, a cart reminder …), per currency. */
export async function messageRevenue(shop: string, kind: string, sourceId: string): Promise<RevenueTotals> {
  const rows = await db.$queryRaw<TotalRow[]>`
    SELECT a.currency, a.rule, COUNT(*)::int AS orders, SUM(a.revenue)::text AS amount
    FROM "OrderAttribution" a
    WHERE a.shop = ${shop} AND a.kind = ${kind} AND a."sourceId" = ${sourceId}
    GROUP BY a.currency, a.rule`;
  return totals(rows);
}

export type AttributedOrder = {
  id: string;
  orderId: string;
  name: string | null;
  processedAt: Date;
  currency: string;
  revenue: string;
  total: string;
  refunded: string;
  kind: string;
  sourceId: string;
  /** The broadcast's name; for other kinds, null (the kind names the message). */
  messageName: string | null;
  /** A page of the app showing the message, when there is one. */
  messageUrl: string | null;
  rule: string;
  touchedAt: Date;
  friendId: string | null;
  friendName: string | null;
};

export const revenueQuerySchema = z.object({
  kind: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^[a-z-]{1,32}$/).optional()),
  sourceId: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional()),
  after: z.preprocess((v) => (v === "" ? undefined : v), z.string().regex(/^\d{1,15}\.[A-Za-z0-9_-]{1,64}$/).optional()),
});

/** One page of attributed orders, newest order first (keyset on the order's time and the attribution's id). */
export async function attributedOrders(
  shop: string,
  query: z.infer<typeof revenueQuerySchema>,
  limit = ORDERS_PAGE,
): Promise<{ orders: AttributedOrder[]; nextCursor: string | null }> {
  const filters = [Prisma.sql`a.shop = ${shop}`, Prisma.sql`o.shop = ${shop}`];
  if (query.kind) filters.push(Prisma.sql`a.kind = ${query.kind}`);
  if (query.sourceId) filters.push(Prisma.sql`a."sourceId" = ${query.sourceId}`);
  if (query.after) {
    const [ms, id] = query.after.split(".") as [string, string];
    filters.push(Prisma.sql`(o."processedAt", a.id) < (${new Date(Number(ms)).toISOString().replace("Z", "")}::timestamp(3), ${id})`);
  }
  type Row = {
    id: string; orderId: string; name: string | null; processedAt: Date; currency: string; revenue: string; total: string; refunded: string;
    kind: string; sourceId: string; rule: string; touchedAt: Date; friendId: string | null; friendName: string | null; broadcastName: string | null;
  };
  const rows = await db.$queryRaw<Row[]>`
    SELECT a.id, o."orderId", o.name, o."processedAt", a.currency, a.revenue::text AS revenue, o."totalPrice"::text AS total,
      o.refunded::text AS refunded, a.kind, a."sourceId", a.rule, a."touchedAt", a."friendId", f."displayName" AS "friendName",
      b.name AS "broadcastName"
    FROM "OrderAttribution" a
    JOIN "Order" o ON o.id = a."orderRef"
    LEFT JOIN "Friend" f ON f.id = a."friendId" AND f.shop = a.shop
    LEFT JOIN "Broadcast" b ON a.kind = 'broadcast' AND b.id = a."sourceId" AND b.shop = a.shop
    WHERE ${Prisma.join(filters, " AND ")}
    ORDER BY o."processedAt" DESC, a.id DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    orders: page.map((row) => ({
      id: row.id,
      orderId: row.orderId,
      name: row.name,
      processedAt: row.processedAt,
      currency: row.currency,
      revenue: amountText(row.revenue, row.currency),
      total: amountText(row.total, row.currency),
      refunded: amountText(row.refunded, row.currency),
      kind: row.kind,
      sourceId: row.sourceId,
      messageName: row.broadcastName,
      messageUrl: row.kind === "broadcast" && row.broadcastName !== null ? `/app/broadcasts/${row.sourceId}/results` : row.kind === "cart-reminder" ? "/app/abandoned-cart/analytics" : null,
      rule: row.rule,
      touchedAt: row.touchedAt,
      friendId: row.friendId,
      friendName: row.friendName,
    })),
    nextCursor: rows.length > limit && last ? `${last.processedAt.getTime()}.${last.id}` : null,
  };
}

export const CLICK_DAYS = { min: 1, max: 90 } as const;
export const SEND_DAYS = { min: 0, max: 30 } as const;

const days = (range: { min: number; max: number }, message: string) =>
  z.preprocess(
    (value) => (typeof value === "string" && value.trim() !== "" ? Number(value) : value),
    z.number(message).int(message).min(range.min, message).max(range.max, message),
  );

export const attributionSettingsSchema = z.object({
  clickDays: days(CLICK_DAYS, "customers.settings.error.clickDays"),
  sendDays: days(SEND_DAYS, "customers.settings.error.sendDays"),
});

export async function attributionSettings(shop: string) {
  const row = await db.shop.findUnique({ where: { shop }, select: { attributionClickDays: true, attributionSendDays: true } });
  return { clickDays: row?.attributionClickDays ?? DEFAULT_CLICK_DAYS, sendDays: row?.attributionSendDays ?? DEFAULT_SEND_DAYS };
}

/**
 * Saves the windows (errors are i18n keys by field). Orders of the last `REVENUE_DAYS` days are attributed again
 * under the new windows in the worker, so the figures shown soon match the settings shown.
 */
export async function saveAttributionSettings(shop: string, input: unknown): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
  const parsed = attributionSettingsSchema.safeParse(input);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return { ok: false, errors };
  }
  await db.shop.updateMany({ where: { shop }, data: { attributionClickDays: parsed.data.clickDays, attributionSendDays: parsed.data.sendDays } });
  await enqueueReattribution(shop);
  return { ok: true };
}

/** Attributes again the shop's orders of the last `REVENUE_DAYS` days (a bounded batch; idempotent). */
export async function reattributeRecent(shop: string, now = new Date(), max = 5_000) {
  const orders = await db.order.findMany({
    where: { shop, processedAt: { gte: new Date(now.getTime() - REVENUE_DAYS * 86_400_000) } },
    select: { id: true },
    orderBy: { processedAt: "desc" },
    take: max,
  });
  for (const order of orders) await attributeOrder(shop, order.id);
  return orders.length;
}
