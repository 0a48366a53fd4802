// Sending one delivery: the rules, the quota, the channel's budget, the claim, LINE, the record. A job calls it
// (jobs/processors/delivery.ts), and so do senders whose caller waits for the result (staff chat, a test send).
// Every attempt of a push or multicast carries the same X-Line-Retry-Key, derived from the row, so a retry after a
// timeout or a crash is a 409 at LINE, never a second message; no attempt is made once LINE has forgotten the key.
import type { LineAccount } from "@prisma/client";
import { db, sql } from "../db.server";
import { expiringCache } from "../expiring-cache";
import { classifyLineError, lineErrorMessage } from "../line/client.server";
import { logger } from "../logger.server";
import { PAUSE_AFTER_429_MS, pauseEndpoint, takeSlot } from "./budget.server";
import { requestLine } from "./line-request.server";
import { ensureFreshQuota, forgetFreshness, markExhausted, quotaRefusal, refund } from "./quota.server";
import { RETRY_KEY_WINDOW_MS, retryKeyFor } from "./retry-key";
import { judge, readUnderRules, type DeliveryUnderRules } from "./rules.server";
import type { LineMessage } from "./types";

export type DeliveryOutcome =
  | { status: "sent"; alreadyAccepted: boolean; requestId: string | null; excluded: number }
  | { status: "skipped"; reason: string }
  | { status: "failed"; reason: string; errorStatus: number | null; error?: unknown }
  | { status: "unknown"; reason: string; error?: unknown }
  /** Not sent: the channel's budget is spent or paused (`requested`: LINE answered 429); try again at `until`. */
  | { status: "throttled"; until: Date; requested: boolean }
  /** LINE did not answer, or answered 5xx: send again (with the same retry key) within its window. */
  | { status: "retry"; reason: string; error: unknown }
  | { status: "not-pending"; current: string };

export const UNKNOWN_OUTCOME = "unknown: LINE did not confirm the request within the retry key's 24 hours; not sent again";
const PENDING = new Set(["scheduled", "sending"]);

// The account (its credentials) is the same for every delivery of a burst; the rules read its status fresh.
const accounts = expiringCache(5_000, (id): Promise<LineAccount | null> => db.lineAccount.findUnique({ where: { id } }));

export async function sendDelivery(id: string): Promise<DeliveryOutcome> {
  return attemptDelivery(id, true);
}

async function attemptDelivery(id: string, mayRetryLedger: boolean): Promise<DeliveryOutcome> {
  const row = await readUnderRules(id);
  if (!row) return { status: "not-pending", current: "missing" };
  if (!PENDING.has(row.status)) return { status: "not-pending", current: row.status };
  const now = new Date();
  if (row.claimedAt && now.getTime() - row.claimedAt.getTime() > RETRY_KEY_WINDOW_MS) return markUnknown(id);

  const verdict = judge(row);
  if ("refusal" in verdict) {
    return skip(id, verdict.refusal, row.channel === "multicast" && verdict.refusal === "no-recipients" ? row.recipients.length : 0);
  }
  const account = await accounts.get(row.lineAccountId);
  if (!account) return skip(id, "account-disconnected");

  const paid = row.channel !== "reply";
  const first = row.claimedAt === null;
  const cost = paid ? verdict.recipients.length : 0;
  if (paid && first) {
    try {
      await ensureFreshQuota(account, now);
    } catch (error) {
      return { status: "retry", reason: `quota: ${lineErrorMessage(error)}`, error };
    }
  }
  if (row.channel !== "reply") {
    const wait = await takeSlot(account.id, row.channel);
    if (wait) return { status: "throttled", until: wait, requested: false };
  }

  const claimed = await claim(row, cost, verdict.excluded, now);
  if (!claimed) {
    const why = await notClaimed(row, cost, first);
    if (why === "ledger-missing" && mayRetryLedger) {
      forgetFreshness(row.lineAccountId);
      return attemptDelivery(id, false);
    }
    return why === "ledger-missing" ? { status: "retry", reason: "quota ledger missing", error: new Error("quota ledger missing") } : why;
  }

  try {
    const accepted = await requestLine(account, {
      channel: row.channel,
      recipients: verdict.recipients,
      messages: row.messages as LineMessage[],
      retryKey: claimed.retryKey,
      replyToken: row.replyToken,
      aggregationUnit: row.aggregationUnit,
    });
    await sql`
      UPDATE "Delivery" SET status = 'sent', "sentAt" = ${new Date()}, "lineRequestId" = ${accepted.requestId},
        reason = NULL, "errorStatus" = NULL, "updatedAt" = ${new Date()}
      WHERE id = ${id} AND status = 'sending'`;
    return { status: "sent", alreadyAccepted: accepted.alreadyAccepted, requestId: accepted.requestId, excluded: verdict.excluded };
  } catch (error) {
    return recordFailure(row, claimed.quotaCost, error);
  }
}

/**
 * The record before the request, in one statement: only a delivery still pending is claimed, a claimed one again
 * only within the retry key's window; a first claim of a paid send charges the quota ledger in the same statement
 * that checks the month's room (so two workers cannot both take the last messages) and fixes the retry key.
 */
async function claim(row: DeliveryUnderRules, cost: number, excluded: number, now: Date) {
  const windowStart = new Date(now.getTime() - RETRY_KEY_WINDOW_MS);
  const [claimed] = await sql<{ retryKey: string | null; quotaCost: number }>`
    WITH target AS (
      SELECT id, "claimedAt", "lineAccountId" FROM "Delivery"
      WHERE id = ${row.id} AND status IN ('scheduled', 'sending') AND ("claimedAt" IS NULL OR "claimedAt" > ${windowStart}::timestamp)
      FOR UPDATE
    ), charged AS (
      UPDATE "LineQuota" q SET "sentSince" = q."sentSince" + ${cost}::int, "updatedAt" = ${now}
      FROM target t
      WHERE q."lineAccountId" = t."lineAccountId" AND t."claimedAt" IS NULL AND ${cost}::int > 0
        AND q."exhaustedAt" IS NULL
        AND (q.type <> 'limited' OR q."monthlyLimit" - q."usedAtCheck" - q."sentSince" >= ${cost}::int)
      RETURNING q."lineAccountId"
    )
    UPDATE "Delivery" d SET status = 'sending', attempts = d.attempts + 1, "claimedAt" = COALESCE(d."claimedAt", ${now}::timestamp),
      "retryKey" = CASE WHEN d.channel = 'reply' THEN NULL ELSE COALESCE(d."retryKey", ${retryKeyFor(row.id)}) END,
      "quotaCost" = CASE WHEN t."claimedAt" IS NULL THEN ${cost}::int ELSE d."quotaCost" END,
      excluded = CASE WHEN t."claimedAt" IS NULL THEN ${excluded}::int ELSE d.excluded END,
      "updatedAt" = ${now}
    FROM target t
    WHERE d.id = t.id AND (t."claimedAt" IS NOT NULL OR ${cost}::int = 0 OR EXISTS (SELECT 1 FROM charged))
    RETURNING d."retryKey", d."quotaCost"`;
  return claimed;
}

/** Why the claim changed nothing: the row moved on, its window passed, or the quota has no room for it. */
async function notClaimed(row: DeliveryUnderRules, cost: number, first: boolean): Promise<DeliveryOutcome | "ledger-missing"> {
  const [current] = await sql<{ status: string; claimedAt: Date | null }>`SELECT status, "claimedAt" FROM "Delivery" WHERE id = ${row.id}`;
  if (!current) return { status: "not-pending", current: "missing" };
  if (!PENDING.has(current.status)) return { status: "not-pending", current: current.status };
  if (current.claimedAt && Date.now() - current.claimedAt.getTime() > RETRY_KEY_WINDOW_MS) return markUnknown(row.id);
  if (first && cost > 0) {
    const refusal = await quotaRefusal(row.lineAccountId, cost);
    if (refusal === "missing") return "ledger-missing";
    if (refusal) return skip(row.id, refusal);
  }
  // Claimed by another attempt between the read and the claim, within the window: that attempt sends it.
  return { status: "not-pending", current: current.status };
}

async function recordFailure(row: DeliveryUnderRules, charged: number, error: unknown): Promise<DeliveryOutcome> {
  const reason = lineErrorMessage(error).slice(0, 1_000);
  const errorStatus = (error as { status?: number }).status ?? null;
  const kind = classifyLineError(error);
  if (kind === "permanent" || (row.channel === "reply" && kind === "rate-limited")) {
    // LINE took nothing: the messages go back to the ledger.
    await refund(row.lineAccountId, charged);
    await finish(row.id, "failed", reason, errorStatus);
    return { status: "failed", reason, errorStatus, error };
  }
  if (kind === "quota") {
    await markExhausted(row.lineAccountId);
    await refund(row.lineAccountId, charged);
    await finish(row.id, "skipped", "quota-exhausted", errorStatus);
    return { status: "skipped", reason: "quota-exhausted" };
  }
  if (row.channel === "reply") {
    // No retry for a reply (its token is single-use): LINE may have taken it.
    const unknown = `unknown: ${reason}`;
    await finish(row.id, "unknown", unknown, errorStatus);
    return { status: "unknown", reason: unknown, error };
  }
  // Still "sending": the next attempt claims it again and sends with the same retry key.
  await sql`UPDATE "Delivery" SET reason = ${reason}, "errorStatus" = ${errorStatus}, "updatedAt" = ${new Date()} WHERE id = ${row.id} AND status = 'sending'`;
  if (kind === "rate-limited") {
    await pauseEndpoint(row.lineAccountId, row.channel);
    return { status: "throttled", until: new Date(Date.now() + PAUSE_AFTER_429_MS), requested: true };
  }
  return { status: "retry", reason, error };
}

async function finish(id: string, status: string, reason: string, errorStatus: number | null) {
  await sql`
    UPDATE "Delivery" SET status = ${status}, reason = ${reason}, "errorStatus" = ${errorStatus},
      "quotaCost" = CASE WHEN ${status} = 'failed' OR ${status} = 'skipped' THEN 0 ELSE "quotaCost" END, "updatedAt" = ${new Date()}
    WHERE id = ${id} AND status IN ('scheduled', 'sending')`;
}

async function skip(id: string, reason: string, excluded = 0): Promise<DeliveryOutcome> {
  await sql`
    UPDATE "Delivery" SET status = 'skipped', reason = ${reason}, "quotaCost" = 0,
      excluded = CASE WHEN ${excluded}::int > 0 THEN ${excluded}::int ELSE excluded END, "updatedAt" = ${new Date()}
    WHERE id = ${id} AND status IN ('scheduled', 'sending')`;
  return { status: "skipped", reason };
}

/** A delivery claimed longer ago than LINE keeps its retry key: sending again could deliver it twice. */
export async function markUnknown(id: string): Promise<DeliveryOutcome> {
  logger.warn("delivery outcome unknown", { deliveryId: id });
  await sql`
    UPDATE "Delivery" SET status = 'unknown', reason = ${UNKNOWN_OUTCOME}, "updatedAt" = ${new Date()}
    WHERE id = ${id} AND status IN ('scheduled', 'sending')`;
  return { status: "unknown", reason: UNKNOWN_OUTCOME };
}

/** The final state of a delivery whose job used up its attempts (or whose sender gave up waiting). */
export async function failDelivery(id: string, reason: string) {
  const failed = await sql`
    UPDATE "Delivery" SET status = 'failed', reason = ${reason.slice(0, 1_000)}, "updatedAt" = ${new Date()}
    WHERE id = ${id} AND status IN ('scheduled', 'sending')
    RETURNING id`;
  if (failed.length) logger.warn("delivery failed", { deliveryId: id, reason });
  return failed.length > 0;
}

/** failDelivery for the deliveries of one source whose sender (e.g. a cart reminder's job) gave up. */
export async function failDeliveries(kind: string, sourceId: string, reason: string) {
  await sql`
    UPDATE "Delivery" SET status = 'failed', reason = ${reason.slice(0, 1_000)}, "updatedAt" = ${new Date()}
    WHERE kind = ${kind} AND "sourceId" = ${sourceId} AND status IN ('scheduled', 'sending')`;
}
