// The writes that move cart reminders along: the claim before the push, and the ends (sent, skipped, failed,
// unknown). Each takes a batch in one statement and touches only reminders still pending.
import { sql } from "../db.server";
import { logger } from "../logger.server";
import { RETRY_KEY_WINDOW_MS } from "../messaging/retry-key";

export const UNKNOWN_OUTCOME = "unknown: LINE did not confirm the push within the retry key's 24 hours; not sent again";

export type ClaimResult = { claimed: true } | { claimed: false; status: "skipped"; reason: string } | { claimed: false; status: "unknown" } | {
  claimed: false;
  status: "not-pending";
  current: string;
};

/**
 * The record before the push: from here on, every attempt sends with the same retry key. The statement is the
 * guard, not the read before it:
 * - only a reminder still pending is claimed, so one cancelled since the read (an order just arrived) is not sent;
 * - one already claimed is claimed again only within the retry key's window; after it, the outcome is unknown;
 * - the (checkout, LINE user) unique index admits one claim: two accounts of one LINE provider see one user id.
 *   A batch that meets it is claimed again one by one, so only the reminder that met it is skipped.
 */
export async function claimReminders(reminders: { id: string; lineUserId: string }[]): Promise<Map<string, ClaimResult>> {
  const result = new Map<string, ClaimResult>();
  if (!reminders.length) return result;
  const at = new Date();
  const ids = reminders.map((r) => r.id);
  let claimed: { id: string }[];
  try {
    // One job per reminder id, so two batches hold the same reminder only when a stalled job is taken up while its
    // first worker still runs; a deadlock between such two fails both statements, and their jobs try again.
    claimed = await sql<{ id: string }>`
      UPDATE "CartReminder" r SET status = 'sending', attempts = r.attempts + 1, "lineUserId" = c.uid,
        "claimedAt" = COALESCE(r."claimedAt", ${at}::timestamp), "updatedAt" = ${at}
      FROM unnest(${ids}::text[], ${reminders.map((r) => r.lineUserId)}::text[]) AS c(id, uid)
      WHERE r.id = c.id
        AND (r.status = 'scheduled' OR (r.status = 'sending' AND r."claimedAt" > ${new Date(at.getTime() - RETRY_KEY_WINDOW_MS)}::timestamp))
      RETURNING r.id`;
  } catch (error) {
    const { code, constraint } = error as { code?: string; constraint?: string };
    if (code !== "23505" || constraint !== "CartReminder_checkoutId_lineUserId_key") throw error;
    if (reminders.length === 1) {
      await skipReminders([{ id: reminders[0].id, reason: "already-reminded" }]);
      return result.set(reminders[0].id, { claimed: false, status: "skipped", reason: "already-reminded" });
    }
    for (const reminder of reminders) for (const [id, one] of await claimReminders([reminder])) result.set(id, one);
    return result;
  }
  for (const { id } of claimed) result.set(id, { claimed: true });
  const unclaimed = ids.filter((id) => !result.has(id));
  if (!unclaimed.length) return result;
  const current = new Map(
    (await sql<{ id: string; status: string }>`SELECT id, status FROM "CartReminder" WHERE id = ANY(${unclaimed}::text[])`).map((r) => [r.id, r.status]),
  );
  const stale = unclaimed.filter((id) => current.get(id) === "sending");
  await markUnknowns(stale);
  for (const id of unclaimed) {
    const status = current.get(id);
    result.set(id, status === "sending" ? { claimed: false, status: "unknown" } : { claimed: false, status: "not-pending", current: status ?? "missing" });
  }
  return result;
}

export async function markSentReminders(ids: string[]) {
  if (!ids.length) return;
  const now = new Date();
  await sql`
    UPDATE "CartReminder" SET status = 'sent', "sentAt" = ${now}, error = NULL, "updatedAt" = ${now}
    WHERE id = ANY(${ids}::text[])`;
}

/**
 * `refused`: nothing reached LINE or LINE refused the push, so the reminder no longer holds its LINE user (another
 * account's reminder of the same checkout may go).
 */
export async function skipReminders(skips: { id: string; reason: string; refused?: boolean }[]) {
  if (!skips.length) return;
  await sql`
    UPDATE "CartReminder" r SET status = 'skipped', "skipReason" = s.reason, "updatedAt" = ${new Date()},
      "lineUserId" = CASE WHEN s.refused THEN NULL ELSE r."lineUserId" END
    FROM unnest(${skips.map((s) => s.id)}::text[], ${skips.map((s) => s.reason)}::text[], ${skips.map((s) => s.refused ?? false)}::boolean[])
      AS s(id, reason, refused)
    WHERE r.id = s.id AND r.status IN ('scheduled', 'sending')`;
}

/** Quiet hours: the reminders are due again at the end of the window. */
export async function deferReminders(deferred: { id: string; until: Date }[]) {
  if (!deferred.length) return;
  await sql`
    UPDATE "CartReminder" r SET "dueAt" = d.until, "updatedAt" = ${new Date()}
    FROM unnest(${deferred.map((d) => d.id)}::text[], ${deferred.map((d) => d.until.toISOString())}::timestamp[]) AS d(id, until)
    WHERE r.id = d.id`;
}

/** A wait for the channel's budget, before any request, is no attempt. */
export async function uncountAttempts(ids: string[]) {
  if (!ids.length) return;
  await sql`UPDATE "CartReminder" SET attempts = GREATEST(attempts - 1, 0), "updatedAt" = ${new Date()} WHERE id = ANY(${ids}::text[])`;
}

/** Reminders claimed longer ago than LINE keeps their retry key: sending again could deliver them twice. */
export async function markUnknowns(ids: string[]) {
  if (!ids.length) return;
  for (const id of ids) logger.warn("cart reminder outcome unknown", { reminderId: id });
  await sql`
    UPDATE "CartReminder" SET status = 'unknown', error = ${UNKNOWN_OUTCOME}, "updatedAt" = ${new Date()}
    WHERE id = ANY(${ids}::text[]) AND status = 'sending'`;
}

export async function markUnknown(id: string) {
  await markUnknowns([id]);
  return { status: "unknown" as const };
}

/** Also the final state of a reminder whose job used up its attempts (jobs/processors/cart-reminder.ts). */
export async function failReminder(id: string, reason: string, options: { refused?: boolean } = {}) {
  const failed = await sql`
    UPDATE "CartReminder" SET status = 'failed', error = ${reason.slice(0, 1_000)}, "updatedAt" = ${new Date()},
      "lineUserId" = CASE WHEN ${options.refused ?? false}::boolean THEN NULL ELSE "lineUserId" END
    WHERE id = ${id} AND status IN ('scheduled', 'sending')
    RETURNING id`;
  if (failed.length) logger.warn("cart reminder failed", { reminderId: id, reason });
  return { status: "failed" as const, reason };
}
