// Making deliveries: a row per LINE request, before the request, then a job for each (jobs carry the id only).
import { randomUUID } from "node:crypto";
import { deliveryJobId, deliveryQueue, enqueueDeliveries } from "../../jobs/queues";
import { sql } from "../db.server";
import { logger } from "../logger.server";
import { RETRY_KEY_WINDOW_MS, retryKeyFor } from "./retry-key";
import { MULTICAST_MAX_RECIPIENTS, type DeliveryKind, type LineMessage } from "./types";

export type NewDelivery = {
  shop: string;
  lineAccountId: string;
  kind: DeliveryKind;
  channel: "push" | "multicast";
  sourceId: string;
  /** LINE user ids: 1 for push, 1..500 for multicast. */
  recipients: string[];
  friendId?: string | null;
  messages: LineMessage[];
  /** Default now. */
  dueAt?: Date;
  /** Default: derived from the row id (retryKeyFor). */
  retryKey?: string;
};

function check(row: NewDelivery) {
  const max = row.channel === "push" ? 1 : MULTICAST_MAX_RECIPIENTS;
  if (row.recipients.length < 1 || row.recipients.length > max) {
    throw new Error(`a ${row.channel} delivery takes 1 to ${max} recipients, not ${row.recipients.length}`);
  }
  if (row.messages.length < 1 || row.messages.length > 5) throw new Error(`a delivery takes 1 to 5 messages, not ${row.messages.length}`);
}

/**
 * Inserts rows (status "scheduled") without queuing them, for a sender that sends them itself (sendDelivery) and
 * waits for the result. A row whose retry key exists already is not inserted again: its id is returned.
 * Returns the ids in input order.
 */
export async function recordDeliveries(rows: NewDelivery[]): Promise<{ id: string; dueAt: Date; channel: "push" | "multicast" }[]> {
  if (!rows.length) return [];
  rows.forEach(check);
  const now = new Date();
  const prepared = rows.map((row) => {
    const id = randomUUID();
    return { ...row, id, retryKey: row.retryKey ?? retryKeyFor(id), dueAt: row.dueAt ?? now };
  });
  const column = <T>(pick: (row: (typeof prepared)[number]) => T) => prepared.map(pick);
  // Recipients and messages travel as one JSON document: as arrays of jsonb each value would be escaped into an
  // array literal, at a cost that counts when a batch holds hundreds of Flex messages.
  const bodies = JSON.stringify(prepared.map((row) => [row.recipients, row.messages]));
  // One statement: a row already there (same retry key) is returned as it is (the no-op update makes RETURNING see it).
  const stored = await sql<{ id: string; retryKey: string; dueAt: Date; channel: "push" | "multicast" }>`
    INSERT INTO "Delivery" (id, shop, "lineAccountId", kind, channel, "sourceId", recipients, "friendId", messages,
                            "retryKey", status, "quotaCost", "dueAt", "createdAt", "updatedAt")
    SELECT r.id, r.shop, r.account, r.kind, r.channel, r.source, ARRAY(SELECT jsonb_array_elements_text(b.body->0)),
           r.friend, b.body->1, r.key, 'scheduled', jsonb_array_length(b.body->0), r.due, ${now}::timestamp, ${now}::timestamp
    FROM unnest(${column((r) => r.id)}::text[], ${column((r) => r.shop)}::text[], ${column((r) => r.lineAccountId)}::text[],
                ${column((r) => r.kind)}::text[], ${column((r) => r.channel)}::text[], ${column((r) => r.sourceId)}::text[],
                ${column((r) => r.friendId ?? null)}::text[], ${column((r) => r.retryKey)}::text[],
                ${column((r) => r.dueAt.toISOString())}::timestamp[])
      WITH ORDINALITY AS r(id, shop, account, kind, channel, source, friend, key, due, ord)
    JOIN jsonb_array_elements(${bodies}::jsonb) WITH ORDINALITY AS b(body, ord) ON b.ord = r.ord
    ON CONFLICT ("retryKey") DO UPDATE SET "updatedAt" = "Delivery"."updatedAt"
    RETURNING id, "retryKey", "dueAt", channel`;
  const byKey = new Map(stored.map((row) => [row.retryKey, row]));
  return prepared.map((row) => {
    const found = byKey.get(row.retryKey)!;
    return { id: found.id, dueAt: found.dueAt, channel: found.channel };
  });
}

/** Inserts rows (status "scheduled") and queues one job each; returns the ids in input order. */
export async function createDeliveries(rows: NewDelivery[]): Promise<string[]> {
  const stored = await recordDeliveries(rows);
  await queueDeliveries(stored);
  return stored.map((row) => row.id);
}

/**
 * Queues rows a set-based planner inserted itself (e.g. a broadcast's batches). Idempotent. With Redis down the
 * rows stay scheduled and the sweeper queues them (app/messaging/stranded.server.ts).
 */
export async function queueDeliveries(rows: { id: string; channel: "push" | "multicast"; dueAt: Date }[]) {
  if (!rows.length) return;
  await enqueueDeliveries(rows).catch((error: Error) =>
    logger.warn("deliveries not queued; the sweeper will queue them", { count: rows.length, error: error.message }),
  );
}

/** scheduled → cancelled for one source (e.g. a broadcast); returns how many rows changed. */
export async function cancelDeliveries(shop: string, kind: string, sourceId: string): Promise<number> {
  const cancelled = await sql<{ id: string; channel: "push" | "multicast" | "reply" }>`
    UPDATE "Delivery" SET status = 'cancelled', "updatedAt" = ${new Date()}
    WHERE shop = ${shop} AND kind = ${kind} AND "sourceId" = ${sourceId} AND status = 'scheduled'
    RETURNING id, channel`;
  // A job that runs anyway finds the row cancelled and sends nothing, so a failed removal is harmless.
  await Promise.all(
    cancelled
      .filter((row) => row.channel !== "reply")
      .map((row) => deliveryQueue(row.channel as "push" | "multicast").remove(deliveryJobId(row.id)).catch(() => 0)),
  );
  return cancelled.length;
}

/**
 * Makes a failed, skipped or unconfirmed push of the shop sendable again with its original retry key (staff's "retry"): if
 * LINE took an earlier attempt after all, it answers 409 and the friend still gets one message. Not once LINE has
 * forgotten the key. Returns false when the delivery cannot be sent again.
 */
export async function reopenDelivery(shop: string, id: string): Promise<boolean> {
  const windowStart = new Date(Date.now() - RETRY_KEY_WINDOW_MS);
  const reopened = await sql`
    UPDATE "Delivery" SET status = 'scheduled', reason = NULL, "errorStatus" = NULL, "updatedAt" = ${new Date()}
    WHERE id = ${id} AND shop = ${shop} AND channel <> 'reply' AND status IN ('failed', 'unknown', 'sending', 'skipped')
      AND ("claimedAt" IS NULL OR "claimedAt" > ${windowStart}::timestamp)
    RETURNING id`;
  return reopened.length > 0;
}
