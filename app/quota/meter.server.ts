// The message-quota meter of an account: this month's quota, what LINE counted and what this app's ledger added
// since, what is already scheduled to go out before the month ends, and what is left after it.
import { db } from "../db.server";
import { countAudience } from "../broadcasts/audience.server";
import type { Audience } from "../broadcasts/model";
import { quotaMonth, quotaStatus } from "../messaging/quota.server";
import { planFromQuota, type LinePlan } from "./plan";

export type QuotaMeter = {
  lineAccountId: string;
  accountName: string;
  month: string;
  type: "none" | "limited";
  limit: number | null;
  /** LINE's figure when last read (approximate, includes sends from OA Manager). */
  usedByLine: number;
  /** Messages this app's deliveries took since that read. */
  usedSince: number;
  used: number;
  /** Recipients of scheduled broadcasts and scheduled deliveries due before the quota month ends. */
  scheduled: number;
  /** limit − used − scheduled (never below 0); null without a limit. */
  remaining: number | null;
  exhausted: boolean;
  plan: LinePlan;
  checkedAt: Date | null;
  /** LINE could not be read and there are no figures yet. */
  unavailable: boolean;
};

/** The first instant of the next quota month (LINE's months run on Japan time, UTC+9 all year). */
export function quotaMonthEnd(now: Date): Date {
  const [year, month] = quotaMonth(now).split("-").map(Number);
  return new Date(Date.UTC(year, month, 1) - 9 * 3_600_000);
}

/** Messages already promised for the rest of the month: scheduled deliveries and scheduled broadcasts' audiences. */
export async function scheduledThisMonth(shop: string, lineAccountId: string, now = new Date()): Promise<number> {
  const end = quotaMonthEnd(now);
  const [row] = await db.$queryRaw<{ n: bigint | null }[]>`
    SELECT sum(cardinality(recipients)) AS n FROM "Delivery"
    WHERE shop = ${shop} AND "lineAccountId" = ${lineAccountId} AND status = 'scheduled'
      AND channel IN ('push', 'multicast') AND "dueAt" < ${end}`;
  const broadcasts = await db.broadcast.findMany({
    where: { shop, lineAccountId, status: "scheduled", plannedAt: null, scheduledAt: { lt: end } },
    select: { audience: true },
  });
  let audiences = 0;
  for (const broadcast of broadcasts) {
    audiences += await countAudience(shop, lineAccountId, broadcast.audience as Audience).catch(() => 0);
  }
  return Number(row?.n ?? 0) + audiences;
}

export async function quotaMeter(shop: string, account: { id: string; displayName: string }, now = new Date()): Promise<QuotaMeter> {
  const base = { lineAccountId: account.id, accountName: account.displayName, month: quotaMonth(now) };
  const [status, scheduled] = await Promise.all([quotaStatus(account.id).catch(() => null), scheduledThisMonth(shop, account.id, now)]);
  // Read after quotaStatus, which may just have refreshed LINE's figures into it.
  const ledger = await db.lineQuota.findFirst({ where: { lineAccountId: account.id, shop } });
  if (!status) {
    return { ...base, type: "none", limit: null, usedByLine: 0, usedSince: 0, used: 0, scheduled, remaining: null, exhausted: false, plan: "unknown", checkedAt: null, unavailable: true };
  }
  const usedByLine = ledger?.usedAtCheck ?? 0;
  const usedSince = ledger?.sentSince ?? 0;
  const remaining = status.limit === null ? null : Math.max(status.limit - status.used - scheduled, 0);
  return {
    ...base,
    type: status.type,
    limit: status.limit,
    usedByLine,
    usedSince,
    used: status.used,
    scheduled,
    remaining,
    exhausted: status.exhausted,
    plan: planFromQuota(status.type, status.limit),
    checkedAt: status.checkedAt,
    unavailable: false,
  };
}

/** The meters of the shop's connected accounts. */
export async function quotaMeters(shop: string, now = new Date()): Promise<QuotaMeter[]> {
  const accounts = await db.lineAccount.findMany({ where: { shop, status: "connected" }, select: { id: true, displayName: true }, orderBy: { createdAt: "asc" } });
  return Promise.all(accounts.map((account) => quotaMeter(shop, account, now)));
}
