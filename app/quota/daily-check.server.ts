// The daily quota check: at 12:00 in the shop's time zone (a BullMQ job scheduler per account, jobs/queues.ts),
// LINE's figures are read and staff are told when little is left, or once a month when nothing is. The day's row
// (unique account + local date) is written after the read and before anyone is told, so a second worker, a retry
// or a duplicate job finds it and does nothing: one check, one notification, per account and day.
import { db } from "../db.server";
import { logger } from "../logger.server";
import { quotaMonth, refreshQuota } from "../messaging/quota.server";
import { quotaSchedulerId, quotaCheckQueue, scheduleQuotaCheck } from "../../jobs/queues";

export type DailyCheckOutcome = "not-connected" | "already-checked" | "exhausted" | "low" | "ok" | "unlimited";

/** The shop's calendar date at `now`: "2026-11-30". */
export function localDate(now: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

export type QuotaNotice =
  | { type: "quotaLow"; lineAccountId: string; remaining: number }
  | { type: "quotaExhausted"; lineAccountId: string };

export type Notify = (shop: string, notice: QuotaNotice) => Promise<unknown>;

export async function runDailyQuotaCheck(lineAccountId: string, notify: Notify, now = new Date()): Promise<DailyCheckOutcome> {
  const account = await db.lineAccount.findUnique({ where: { id: lineAccountId } });
  if (!account || account.status !== "connected") return "not-connected";
  const shop = await db.shop.findUnique({ where: { shop: account.shop } });
  if (!shop || shop.uninstalledAt) return "not-connected";
  const date = localDate(now, shop.timeZone);
  if (await db.quotaCheck.findUnique({ where: { lineAccountId_date: { lineAccountId, date } } })) return "already-checked";

  const ledger = await refreshQuota(account, now);
  const month = quotaMonth(now);
  const limited = ledger.type === "limited" && ledger.monthlyLimit !== null;
  const remaining = limited ? Math.max((ledger.monthlyLimit ?? 0) - ledger.usedAtCheck, 0) : null;
  const exhausted = remaining === 0 || Boolean(ledger.exhaustedAt);
  const toldExhausted = exhausted && (await db.quotaCheck.count({ where: { lineAccountId, month, notified: "exhausted" } })) > 0;
  const notice: QuotaNotice | null = !limited
    ? null
    : exhausted
      ? toldExhausted
        ? null
        : { type: "quotaExhausted", lineAccountId }
      : { type: "quotaLow", lineAccountId, remaining: remaining ?? 0 };

  const { count } = await db.quotaCheck.createMany({
    data: [{ shop: account.shop, lineAccountId, date, month, monthlyLimit: ledger.monthlyLimit, used: ledger.usedAtCheck, remaining, notified: notice ? (notice.type === "quotaExhausted" ? "exhausted" : "low") : null }],
    skipDuplicates: true,
  });
  if (count === 0) return "already-checked";
  if (notice) await notify(account.shop, notice);
  if (!limited) return "unlimited";
  return exhausted ? "exhausted" : notice ? "low" : "ok";
}

/** Every connected account gets its scheduler in its shop's time zone; schedulers of other accounts go. */
export async function scheduleAllQuotaChecks() {
  const accounts = await db.lineAccount.findMany({ where: { status: "connected" }, select: { id: true, shop: true } });
  const shops = await db.shop.findMany({ where: { shop: { in: [...new Set(accounts.map((a) => a.shop))] } }, select: { shop: true, timeZone: true, uninstalledAt: true } });
  const zones = new Map(shops.filter((s) => !s.uninstalledAt).map((s) => [s.shop, s.timeZone]));
  const wanted = new Set<string>();
  for (const account of accounts) {
    const timeZone = zones.get(account.shop);
    if (!timeZone) continue;
    wanted.add(quotaSchedulerId(account.id));
    await scheduleQuotaCheck(account.id, timeZone);
  }
  const existing = await quotaCheckQueue().getJobSchedulers(0, -1);
  for (const scheduler of existing) {
    if (scheduler.key && !wanted.has(scheduler.key)) await quotaCheckQueue().removeJobScheduler(scheduler.key);
  }
  logger.debug("quota checks scheduled", { accounts: wanted.size });
  return wanted.size;
}
