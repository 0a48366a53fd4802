import type { LineEvent } from "@prisma/client";
import type { Job } from "bullmq";
import { db, sql } from "../../app/db.server";
import { PermanentError } from "../../app/errors";
import { expiringCache } from "../../app/expiring-cache";
import { asJobError, lineErrorMessage } from "../../app/line/client.server";
import { handleLineEvent } from "../../app/line/events/handle.server";
import { logger } from "../../app/logger.server";
import type { LineEventJob } from "../queues";

// Every event of an account needs the account row; a short cache saves a query per event (tests/bench/README.md).
// A disconnect is seen within this time; the web process already stops storing the account's events at once.
const accounts = expiringCache(5_000, (id) => db.lineAccount.findUnique({ where: { id } }));

class EventsFailed extends Error {}

/**
 * Processes a job's stored LINE events, each once: a processed or finally failed event is skipped on any repeat,
 * so a retry of the job only redoes what did not succeed. One user's events run in the order they happened;
 * different users' events run side by side. The statements around the handlers are raw (hot path).
 */
export async function processLineEvents(job: Job<LineEventJob>) {
  // Claims the events not done yet and counts the attempt on each, in one statement.
  const events = await sql<LineEvent>`
    UPDATE "LineEvent" SET attempts = attempts + 1
    WHERE id = ANY(${job.data.eventIds}) AND "processedAt" IS NULL AND "failedAt" IS NULL
    RETURNING *`;
  if (!events.length) return "already-processed";

  const done: string[] = [];
  const failures: { event: LineEvent; error: Error }[] = [];
  await Promise.all(
    [...byUser(events).values()].map(async (userEvents) => {
      for (const event of userEvents) {
        try {
          await handle(event);
          done.push(event.id);
        } catch (error) {
          failures.push({ event, error: asJobError(error) });
          break; // the user's later events wait for this one, in order, on the job's next attempt
        }
      }
    }),
  );
  if (done.length) await sql`UPDATE "LineEvent" SET "processedAt" = ${new Date()}, "lastError" = NULL WHERE id = ANY(${done})`;

  for (const { event, error } of failures) {
    const permanent = error instanceof PermanentError;
    // A permanent failure (LINE refused the request as invalid) is final for that event only.
    await sql`UPDATE "LineEvent" SET "lastError" = ${error.message.slice(0, 1_000)},
                "failedAt" = CASE WHEN ${permanent}::boolean THEN ${new Date()}::timestamp(3) ELSE NULL END
              WHERE id = ${event.id}`;
    logger.warn("LINE event failed", { eventId: event.id, type: event.type, permanent, error: lineErrorMessage(error) });
  }
  const retry = failures.filter(({ error }) => !(error instanceof PermanentError));
  if (retry.length) throw new EventsFailed(`${retry.length} of ${events.length} events will be retried: ${retry[0].error.message}`);
  return failures.length ? `processed ${done.length}, failed ${failures.length}` : `processed ${done.length}`;
}

async function handle(event: LineEvent) {
  const account = await accounts.get(event.lineAccountId);
  if (account?.status !== "connected") return "account-disconnected";
  return handleLineEvent({ ...event, lineAccount: account });
}

function byUser(events: LineEvent[]) {
  const groups = new Map<string, LineEvent[]>();
  const ordered = [...events].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const event of ordered) {
    const key = event.lineUserId ?? event.id;
    groups.set(key, [...(groups.get(key) ?? []), event]);
  }
  return groups;
}

/** After the job's last attempt, its events still not processed are marked failed (the sweeper leaves them). */
export async function recordLineEventFailure(job: Job<LineEventJob> | undefined, error: Error) {
  if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
  await sql`UPDATE "LineEvent" SET "failedAt" = ${new Date()}, "lastError" = COALESCE("lastError", ${error.message.slice(0, 1_000)})
            WHERE id = ANY(${job.data.eventIds}) AND "processedAt" IS NULL AND "failedAt" IS NULL`;
}
