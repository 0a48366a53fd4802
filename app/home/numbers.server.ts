// The business numbers of the home page for a period of the shop's calendar days (stored times are UTC, days are
// the shop's): new friends, blocks, linked customers, messages sent by kind, LINE revenue, each beside the period
// before, and per-day figures for the chart.
import { Prisma } from "@prisma/client";
import { zonedInstant, zonedWallClock } from "../abandoned-cart/quiet-hours";
import { revenueTotals, type RevenueTotals } from "../customers/revenue.server";
import { db } from "../db.server";
import { addDays, MESSAGE_KINDS, type MessageKind, type PeriodDays } from "./period";


export type Figures = {
  newFriends: number;
  blocks: number;
  /** Messages that reached LINE (one per recipient), by kind. */
  messages: Record<MessageKind, number>;
  messagesTotal: number;
  revenue: RevenueTotals;
};

export type DayFigures = { date: string; newFriends: number; blocks: number; messages: number };

export type HomeNumbers = {
  days: PeriodDays;
  /** First and last day of the period, and of the one before ("YYYY-MM-DD", shop's calendar). */
  range: { from: string; to: string };
  previousRange: { from: string; to: string };
  current: Figures;
  previous: Figures;
  /** Friends linked to a Shopify customer now (the link has no date of its own). */
  linkedCustomers: number;
  daily: DayFigures[];
};

type Window = { start: Date; end: Date };

const kindOf = (kind: string): MessageKind | null =>
  kind === "greeting" ? "auto-reply" : (MESSAGE_KINDS as readonly string[]).includes(kind) ? (kind as MessageKind) : null;

async function figures(shop: string, window: Window): Promise<Figures> {
  const [newFriends, blocks, sent, revenue] = await Promise.all([
    db.friend.count({ where: { shop, followedAt: { gte: window.start, lt: window.end } } }),
    db.friend.count({ where: { shop, unfollowedAt: { gte: window.start, lt: window.end } } }),
    db.$queryRaw<{ kind: string; n: bigint }[]>`
      SELECT kind, sum(cardinality(recipients) - excluded) AS n FROM "Delivery"
      WHERE shop = ${shop} AND status = 'sent' AND "sentAt" >= ${window.start} AND "sentAt" < ${window.end}
      GROUP BY kind`,
    revenueTotals(shop, { since: window.start, until: window.end }),
  ]);
  const messages = Object.fromEntries(MESSAGE_KINDS.map((kind) => [kind, 0])) as Record<MessageKind, number>;
  for (const row of sent) {
    const kind = kindOf(row.kind);
    if (kind) messages[kind] += Number(row.n);
  }
  const messagesTotal = MESSAGE_KINDS.reduce((sum, kind) => sum + messages[kind], 0);
  return { newFriends, blocks, messages, messagesTotal, revenue };
}

async function daily(shop: string, timeZone: string, window: Window, from: string, days: number): Promise<DayFigures[]> {
  const local = (column: string) => Prisma.sql`((${Prisma.raw(`"${column}"`)} AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date::text`;
  const [follows, blocks, sent] = await Promise.all([
    db.$queryRaw<{ day: string; n: bigint }[]>`
      SELECT ${local("followedAt")} AS day, count(*) AS n FROM "Friend"
      WHERE shop = ${shop} AND "followedAt" >= ${window.start} AND "followedAt" < ${window.end} GROUP BY 1`,
    db.$queryRaw<{ day: string; n: bigint }[]>`
      SELECT ${local("unfollowedAt")} AS day, count(*) AS n FROM "Friend"
      WHERE shop = ${shop} AND "unfollowedAt" >= ${window.start} AND "unfollowedAt" < ${window.end} GROUP BY 1`,
    db.$queryRaw<{ day: string; n: bigint }[]>`
      SELECT ${local("sentAt")} AS day, sum(cardinality(recipients) - excluded) AS n FROM "Delivery"
      WHERE shop = ${shop} AND status = 'sent' AND "sentAt" >= ${window.start} AND "sentAt" < ${window.end}
        AND kind IN ('cart-reminder', 'broadcast', 'step', 'auto-reply', 'greeting', 'chat') GROUP BY 1`,
  ]);
  const byDay = (rows: { day: string; n: bigint }[]) => new Map(rows.map((row) => [row.day, Number(row.n)]));
  const [f, b, s] = [byDay(follows), byDay(blocks), byDay(sent)];
  return Array.from({ length: days }, (_, index) => {
    const date = addDays(from, index);
    return { date, newFriends: f.get(date) ?? 0, blocks: b.get(date) ?? 0, messages: s.get(date) ?? 0 };
  });
}

export async function homeNumbers(shop: string, timeZone: string, days: PeriodDays, now = new Date()): Promise<HomeNumbers> {
  const today = zonedWallClock(now, timeZone).date;
  const from = addDays(today, -(days - 1));
  const previousFrom = addDays(from, -days);
  const midnight = (date: string) => zonedInstant(date, "00:00", timeZone);
  const current = { start: midnight(from), end: midnight(addDays(today, 1)) };
  const previous = { start: midnight(previousFrom), end: current.start };
  const [currentFigures, previousFigures, linkedCustomers, perDay] = await Promise.all([
    figures(shop, current),
    figures(shop, previous),
    db.friend.count({ where: { shop, shopifyCustomerId: { not: null } } }),
    daily(shop, timeZone, current, from, days),
  ]);
  return {
    days,
    range: { from, to: today },
    previousRange: { from: previousFrom, to: addDays(from, -1) },
    current: currentFigures,
    previous: previousFigures,
    linkedCustomers,
    daily: perDay,
  };
}
