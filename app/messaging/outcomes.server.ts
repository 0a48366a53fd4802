// The records of a delivery's end: sent, skipped (a rule, the quota), failed (LINE refused it, or its job gave up),
// unknown (claimed longer ago than LINE keeps the retry key). Each applies to rows still pending only, and each
// takes a batch in one statement.
import { classifyLineError, lineErrorMessage } from "../line/client.server";
import { sql } from "../db.server";
import { logger } from "../logger.server";
import { PAUSE_AFTER_429_MS, pauseEndpoint } from "./budget.server";
import { markExhausted, refund } from "./quota.server";
import type { DeliveryUnderRules } from "./rules.server";
import type { SkipReason } from "./types";

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

export type Skip = { id: string; reason: SkipReason | string; excluded: number };

/** LINE took these requests: one statement for the batch. */
export async function markSent(rows: { id: string; requestId: string | null }[]) {
  if (!rows.length) return;
  const now = new Date();
  await sql`
    UPDATE "Delivery" d SET status = 'sent', "sentAt" = ${now}, "lineRequestId" = s.rid, reason = NULL, "errorStatus" = NULL,
      "updatedAt" = ${now}
    FROM unnest(${rows.map((r) => r.id)}::text[], ${rows.map((r) => r.requestId)}::text[]) AS s(id, rid)
    WHERE d.id = s.id AND d.status = 'sending'`;
}

/** Nothing reached LINE: a rule or the quota refused these deliveries. */
export async function skipDeliveries(skips: Skip[]): Promise<Map<string, DeliveryOutcome>> {
  const outcomes = new Map<string, DeliveryOutcome>();
  if (!skips.length) return outcomes;
  await sql`
    UPDATE "Delivery" d SET status = 'skipped', reason = s.reason, "quotaCost" = 0,
      excluded = CASE WHEN s.excluded > 0 THEN s.excluded ELSE d.excluded END, "updatedAt" = ${new Date()}
    FROM unnest(${skips.map((s) => s.id)}::text[], ${skips.map((s) => s.reason)}::text[], ${skips.map((s) => s.excluded)}::int[])
      AS s(id, reason, excluded)
    WHERE d.id = s.id AND d.status IN ('scheduled', 'sending')`;
  for (const skip of skips) outcomes.set(skip.id, { status: "skipped", reason: skip.reason });
  return outcomes;
}

/** Deliveries claimed longer ago than LINE keeps their retry key: sending again could deliver them twice. */
export async function markUnknowns(ids: string[]): Promise<Map<string, DeliveryOutcome>> {
  const outcomes = new Map<string, DeliveryOutcome>();
  if (!ids.length) return outcomes;
  for (const id of ids) logger.warn("delivery outcome unknown", { deliveryId: id });
  await sql`
    UPDATE "Delivery" SET status = 'unknown', reason = ${UNKNOWN_OUTCOME}, "updatedAt" = ${new Date()}
    WHERE id = ANY(${ids}::text[]) AND status IN ('scheduled', 'sending')`;
  for (const id of ids) outcomes.set(id, { status: "unknown", reason: UNKNOWN_OUTCOME });
  return outcomes;
}

export async function markUnknown(id: string): Promise<DeliveryOutcome> {
  return (await markUnknowns([id])).get(id)!;
}

/** What a failed request means for its delivery: refused for good, quota gone, unknown (a reply), or to retry. */
export async function recordFailure(row: DeliveryUnderRules, charged: number, error: unknown): Promise<DeliveryOutcome> {
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
