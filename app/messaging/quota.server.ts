// The monthly message quota. LINE reports the account's limit and what it counted this month; the ledger adds what
// this app's deliveries took since that read, so a send that cannot fit is refused here, with a reason, instead of
// by LINE. A claim charges the ledger in the statement that checks the room (send.server.ts). A 429 "monthly
// limit" from LINE marks the account exhausted: its paid sends stop until the next month or a read that shows room.
import type { LineQuota } from "@prisma/client";
import { db, sql } from "../db.server";
import { callLine } from "../line/client.server";
import type { TokenSource } from "../line/tokens.server";

export type QuotaStatus = {
  type: "none" | "limited";
  limit: number | null;
  used: number;
  remaining: number | null;
  exhausted: boolean;
  checkedAt: Date | null;
};

/** LINE's figures are read again after this long (and at the start of a month). */
export const QUOTA_STALE_MS = 10 * 60_000;
/** A worker trusts its last look at the ledger's age this long before it reads the row again. */
const FRESHNESS_MEMO_MS = 5_000;

const monthFormat = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit" });

/** LINE's quota months run on Japan time: "2026-11". */
export function quotaMonth(at: Date): string {
  return monthFormat.format(at).slice(0, 7);
}

function isStale(row: Pick<LineQuota, "checkedAt" | "month"> | null | undefined, now: Date): boolean {
  return !row?.checkedAt || now.getTime() - row.checkedAt.getTime() > QUOTA_STALE_MS || row.month !== quotaMonth(now);
}

type QuotaAccount = TokenSource & { shop: string };

const refreshing = new Map<string, Promise<LineQuota>>();

/** Reads the quota and this month's consumption from LINE into the ledger, which starts counting again from zero. */
export function refreshQuota(account: QuotaAccount, now = new Date()): Promise<LineQuota> {
  // One read per account at a time in this process; the others wait for it.
  const running = refreshing.get(account.id);
  if (running) return running;
  const read = readFromLine(account, now).finally(() => refreshing.delete(account.id));
  refreshing.set(account.id, read);
  return read;
}

async function readFromLine(account: QuotaAccount, now: Date): Promise<LineQuota> {
  const [quota, consumption] = await callLine(account, ({ messaging }) =>
    Promise.all([messaging.getMessageQuota(), messaging.getMessageQuotaConsumption()]),
  );
  const type = quota.type === "limited" ? "limited" : "none";
  const monthlyLimit = type === "limited" ? (quota.value ?? 0) : null;
  const used = consumption.totalUsage ?? 0;
  const room = monthlyLimit === null || used < monthlyLimit;
  const month = quotaMonth(now);
  const previous = await db.lineQuota.findUnique({ where: { lineAccountId: account.id } });
  // Exhaustion lasts until LINE's figures show room again, or the month changes.
  const exhaustedAt = room || previous?.month !== month ? null : previous.exhaustedAt;
  const figures = { type, monthlyLimit, usedAtCheck: used, checkedAt: now, month, sentSince: 0, exhaustedAt };
  return db.lineQuota.upsert({
    where: { lineAccountId: account.id },
    create: { lineAccountId: account.id, shop: account.shop, ...figures },
    update: figures,
  });
}

const freshUntil = new Map<string, number>();

/** Before a paid send: the ledger exists and LINE's figures in it are recent. Throws when LINE cannot be read. */
export async function ensureFreshQuota(account: QuotaAccount, now = new Date()) {
  if ((freshUntil.get(account.id) ?? 0) > now.getTime()) return;
  const [row] = await sql<Pick<LineQuota, "checkedAt" | "month">>`
    SELECT "checkedAt", month FROM "LineQuota" WHERE "lineAccountId" = ${account.id}`;
  if (isStale(row, now)) await refreshQuota(account, now);
  freshUntil.set(account.id, now.getTime() + FRESHNESS_MEMO_MS);
}

/** The ledger row went away (the account was removed and added again): read it again before the next claim. */
export function forgetFreshness(lineAccountId: string) {
  freshUntil.delete(lineAccountId);
}

/** LINE answered 429 "monthly limit": the account's paid sends stop (skipped "quota-exhausted"). */
export async function markExhausted(lineAccountId: string, at = new Date()) {
  await sql`UPDATE "LineQuota" SET "exhaustedAt" = ${at}, "updatedAt" = ${at} WHERE "lineAccountId" = ${lineAccountId}`;
}

/** A charged delivery LINE did not take gives its messages back to the ledger. */
export async function refund(lineAccountId: string, cost: number) {
  if (cost <= 0) return;
  await sql`
    UPDATE "LineQuota" SET "sentSince" = GREATEST("sentSince" - ${cost}::int, 0), "updatedAt" = ${new Date()}
    WHERE "lineAccountId" = ${lineAccountId}`;
}

export type LedgerRoom = { exhaustedAt: Date | null; remaining: number | null };

/** The ledger's room of each account (missing: no ledger row), in one statement. */
export async function ledgerRooms(lineAccountIds: string[]): Promise<Map<string, LedgerRoom>> {
  const rows = await sql<LedgerRoom & { lineAccountId: string }>`
    SELECT "lineAccountId", "exhaustedAt", CASE WHEN type = 'limited' THEN "monthlyLimit" - "usedAtCheck" - "sentSince" END AS remaining
    FROM "LineQuota" WHERE "lineAccountId" = ANY(${lineAccountIds}::text[])`;
  return new Map(rows.map(({ lineAccountId, ...room }) => [lineAccountId, room]));
}

/** Why a claim that needed `cost` messages was refused by the ledger: nothing left at all, or not enough for it. */
export function refusalByLedger(room: LedgerRoom | undefined, cost: number): "quota-exhausted" | "quota-exceeded" | "missing" | null {
  if (!room) return "missing";
  if (room.exhaustedAt) return "quota-exhausted";
  if (room.remaining === null) return null;
  if (room.remaining <= 0) return "quota-exhausted";
  return room.remaining < cost ? "quota-exceeded" : null;
}

function statusOf(row: LineQuota | null): QuotaStatus {
  if (!row) return { type: "none", limit: null, used: 0, remaining: null, exhausted: false, checkedAt: null };
  const used = row.usedAtCheck + row.sentSince;
  const remaining = row.type === "limited" && row.monthlyLimit !== null ? Math.max(row.monthlyLimit - used, 0) : null;
  return {
    type: row.type === "limited" ? "limited" : "none",
    limit: row.type === "limited" ? row.monthlyLimit : null,
    used,
    remaining,
    exhausted: Boolean(row.exhaustedAt) || remaining === 0,
    checkedAt: row.checkedAt,
  };
}

/**
 * The account's quota as the ledger holds it, read from LINE first when stale (or when `refresh`). When LINE
 * cannot be read, the last figures are returned if there are any.
 */
export async function quotaStatus(lineAccountId: string, options: { refresh?: boolean } = {}): Promise<QuotaStatus> {
  const now = new Date();
  const row = await db.lineQuota.findUnique({ where: { lineAccountId } });
  if (!options.refresh && !isStale(row, now)) return statusOf(row);
  const account = await db.lineAccount.findUnique({ where: { id: lineAccountId } });
  if (!account) return statusOf(row);
  try {
    return statusOf(await refreshQuota(account, now));
  } catch (error) {
    if (row) return statusOf(row);
    throw error;
  }
}
