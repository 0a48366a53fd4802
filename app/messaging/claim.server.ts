// The record before the request, for a batch of deliveries in one statement: only a delivery still pending is
// claimed, a claimed one again only within the retry key's window; first claims of paid sends charge the quota
// ledger in the same statement that checks the month's room (so two workers cannot both take the last messages),
// in the batch's order, and fix the retry key.
import { sql } from "../db.server";
import { ledgerRooms, refusalByLedger } from "./quota.server";
import { RETRY_KEY_WINDOW_MS, retryKeyFor } from "./retry-key";
import type { DeliveryUnderRules } from "./rules.server";

export type ClaimRequest = { row: DeliveryUnderRules; cost: number; excluded: number };
export type Claimed = { retryKey: string | null; quotaCost: number };

const PENDING = new Set(["scheduled", "sending"]);

export async function claimDeliveries(requests: ClaimRequest[], now: Date): Promise<Map<string, Claimed>> {
  if (!requests.length) return new Map();
  const windowStart = new Date(now.getTime() - RETRY_KEY_WINDOW_MS);
  const ids = requests.map((r) => r.row.id);
  // Rows are locked in id order and ledgers in account order, so batches that overlap never deadlock.
  const claimed = await sql<Claimed & { id: string }>`
    WITH input AS (
      SELECT * FROM unnest(${ids}::text[], ${requests.map((r) => r.cost)}::int[], ${requests.map((r) => r.excluded)}::int[],
                           ${requests.map((r) => retryKeyFor(r.row.id))}::text[])
        WITH ORDINALITY AS i(id, cost, excluded, key, ord)
    ), target AS (
      SELECT d.id, d."claimedAt", d."lineAccountId", i.cost, i.excluded, i.key, i.ord
      FROM "Delivery" d JOIN input i ON i.id = d.id
      WHERE d.status IN ('scheduled', 'sending') AND (d."claimedAt" IS NULL OR d."claimedAt" > ${windowStart}::timestamp)
      ORDER BY d.id
      FOR UPDATE OF d
    ), charges AS (
      SELECT id, "lineAccountId", cost, sum(cost) OVER (PARTITION BY "lineAccountId" ORDER BY ord) AS running
      FROM target WHERE "claimedAt" IS NULL AND cost > 0
    ), ledger AS (
      SELECT q."lineAccountId",
             CASE WHEN q."exhaustedAt" IS NOT NULL THEN 0
                  WHEN q.type <> 'limited' THEN NULL
                  ELSE q."monthlyLimit" - q."usedAtCheck" - q."sentSince" END AS room
      FROM "LineQuota" q WHERE q."lineAccountId" IN (SELECT "lineAccountId" FROM charges)
      ORDER BY q."lineAccountId"
      FOR UPDATE
    ), fits AS (
      SELECT c.id, c."lineAccountId", c.cost FROM charges c JOIN ledger l ON l."lineAccountId" = c."lineAccountId"
      WHERE l.room IS NULL OR c.running <= l.room
    ), charged AS (
      UPDATE "LineQuota" q SET "sentSince" = q."sentSince" + f.total, "updatedAt" = ${now}
      FROM (SELECT "lineAccountId", sum(cost)::int AS total FROM fits GROUP BY "lineAccountId") f
      WHERE q."lineAccountId" = f."lineAccountId"
      RETURNING q."lineAccountId"
    )
    UPDATE "Delivery" d SET status = 'sending', attempts = d.attempts + 1, "claimedAt" = COALESCE(d."claimedAt", ${now}::timestamp),
      "retryKey" = CASE WHEN d.channel = 'reply' THEN NULL ELSE COALESCE(d."retryKey", t.key) END,
      "quotaCost" = CASE WHEN t."claimedAt" IS NULL THEN t.cost ELSE d."quotaCost" END,
      excluded = CASE WHEN t."claimedAt" IS NULL THEN t.excluded ELSE d.excluded END,
      "updatedAt" = ${now}
    FROM target t
    WHERE d.id = t.id AND (t."claimedAt" IS NOT NULL OR t.cost = 0 OR t.id IN (SELECT id FROM fits))
    RETURNING d.id, d."retryKey", d."quotaCost"`;
  return new Map(claimed.map(({ id, ...rest }) => [id, rest]));
}

/** Why a claim changed nothing. */
export type NotClaimed =
  | { why: "not-pending"; current: string }
  | { why: "window-passed" }
  | { why: "ledger-missing" }
  /** Unclaimed with room left: the batch's running sum passed the room before it (multicasts of unequal size). */
  | { why: "again" }
  | { why: "quota"; reason: "quota-exhausted" | "quota-exceeded" };

/**
 * Why each of these claims changed nothing: the row moved on, its window passed, or the quota has no room for it.
 * Two statements for the batch.
 */
export async function whyNotClaimed(requests: ClaimRequest[]): Promise<Map<string, NotClaimed>> {
  const result = new Map<string, NotClaimed>();
  if (!requests.length) return result;
  const current = new Map(
    (
      await sql<{ id: string; status: string; claimedAt: Date | null }>`
        SELECT id, status, "claimedAt" FROM "Delivery" WHERE id = ANY(${requests.map((r) => r.row.id)}::text[])`
    ).map((row) => [row.id, row]),
  );
  const charged = requests.filter((r) => r.row.claimedAt === null && r.cost > 0);
  const rooms = charged.length ? await ledgerRooms([...new Set(charged.map((r) => r.row.lineAccountId))]) : new Map();
  for (const { row, cost } of requests) {
    const now = current.get(row.id);
    if (!now || !PENDING.has(now.status)) {
      result.set(row.id, { why: "not-pending", current: now?.status ?? "missing" });
      continue;
    }
    if (now.claimedAt && Date.now() - now.claimedAt.getTime() > RETRY_KEY_WINDOW_MS) {
      result.set(row.id, { why: "window-passed" });
      continue;
    }
    if (row.claimedAt === null && cost > 0) {
      const refusal = refusalByLedger(rooms.get(row.lineAccountId), cost);
      if (refusal === "missing") {
        result.set(row.id, { why: "ledger-missing" });
        continue;
      }
      if (refusal) {
        result.set(row.id, { why: "quota", reason: refusal });
        continue;
      }
      if (now.claimedAt === null) {
        result.set(row.id, { why: "again" });
        continue;
      }
    }
    // Claimed by another attempt between the read and the claim, within the window: that attempt sends it.
    result.set(row.id, { why: "not-pending", current: now.status });
  }
  return result;
}
