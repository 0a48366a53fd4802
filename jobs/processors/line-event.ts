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

// How long a job's claim on its events holds without being renewed: a job whose worker died leaves its events to
// the same job's next attempt at once (the owner is the job), and to any other job once this has passed.
const CLAIM_MS = 5 * 60_000;

/**
 * Processes a job's stored LINE events, each once. The claim is the guard: one statement takes the events that
 * are neither done nor held by another job's live claim, so two jobs given the same events (the sweeper re-queues
 * events waiting long under a backlog) never both process one. A processed or finally failed event is skipped on
 * any repeat, so a retry of the job only redoes what did not succeed. One user's events run in the order they
 * happened; different users' events run side by side. The statements around the handlers are raw (hot path).
 */
export async function processLineEvents(job: Job<LineEventJob>) {
  const owner = claimOwner(job);
  const now = new Date();
  // Claims the events and counts the attempt on each, in one statement.
  const events = await sql<LineEvent>`
    UPDATE "LineEvent" SET attempts = attempts + 1, "claimedBy" = ${owner}, "claimedUntil" = ${claimUntil(now)}
    WHERE id = ANY(${job.data.eventIds}) AND "processedAt" IS NULL AND "failedAt" IS NULL
      AND ("claimedBy" IS NULL OR "claimedBy" = ${owner} OR "claimedUntil" < ${now})
    RETURNING *`;
  if (!events.length) return "already-processed-or-held";
  const claimed = events.map((event) => event.id);
  const renewal = setInterval(() => void renewClaim(claimed, owner), CLAIM_MS / 3);
  renewal.unref();

  const done: string[] = [];
  const failures: { event: LineEvent; error: Error }[] = [];
  try {
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
  } finally {
    clearInterval(renewal);
  }
  if (done.length) {
    await sql`UPDATE "LineEvent" SET "processedAt" = ${new Date()}, "lastError" = NULL, "claimedBy" = NULL, "claimedUntil" = NULL
              WHERE id = ANY(${done}) AND "claimedBy" = ${owner}`;
  }

  for (const { event, error } of failures) {
    const permanent = error instanceof PermanentError;
    // A permanent failure (LINE refused the request as invalid) is final for that event only.
    await sql`UPDATE "LineEvent" SET "lastError" = ${error.message.slice(0, 1_000)},
                "failedAt" = ${permanent ? new Date() : null}::timestamp
              WHERE id = ${event.id} AND "claimedBy" = ${owner}`;
    logger.warn("LINE event failed", { eventId: event.id, type: event.type, permanent, error: lineErrorMessage(error) });
  }
  // What is left (failed, or waiting behind a failure) is released for the retry, or for whichever job comes first.
  if (done.length < events.length) {
    const left = claimed.filter((id) => !done.includes(id));
    await sql`UPDATE "LineEvent" SET "claimedBy" = NULL, "claimedUntil" = NULL WHERE id = ANY(${left}) AND "claimedBy" = ${owner}`;
  }
  const retry = failures.filter(({ error }) => !(error instanceof PermanentError));
  if (retry.length) throw new EventsFailed(`${retry.length} of ${events.length} events will be retried: ${retry[0].error.message}`);
  return failures.length ? `processed ${done.length}, failed ${failures.length}` : `processed ${done.length}`;
}

// Attempts of one job (a retry, or a stalled job taken up again after its worker died) share the claim.
const claimOwner = (job: Job<LineEventJob>) => `${job.queueName}/${job.id}`;
const claimUntil = (now: Date) => new Date(now.getTime() + CLAIM_MS);

async function renewClaim(ids: string[], owner: string) {
  try {
    await sql`UPDATE "LineEvent" SET "claimedUntil" = ${claimUntil(new Date())}
              WHERE id = ANY(${ids}) AND "claimedBy" = ${owner} AND "processedAt" IS NULL`;
  } catch (error) {
    logger.warn("LINE event claim not renewed", { owner, error: (error as Error).message });
  }
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

/**
 * After the job's last attempt, its events still not processed are marked failed (the sweeper leaves them), except
 * those another job holds: that job decides them.
 */
export async function recordLineEventFailure(job: Job<LineEventJob> | undefined, error: Error) {
  if (!job || job.attemptsMade < (job.opts.attempts ?? 1)) return;
  const now = new Date();
  await sql`UPDATE "LineEvent" SET "failedAt" = ${now}, "lastError" = COALESCE("lastError", ${error.message.slice(0, 1_000)}),
              "claimedBy" = NULL, "claimedUntil" = NULL
            WHERE id = ANY(${job.data.eventIds}) AND "processedAt" IS NULL AND "failedAt" IS NULL
              AND ("claimedBy" IS NULL OR "claimedBy" = ${claimOwner(job)} OR "claimedUntil" < ${now})`;
}
