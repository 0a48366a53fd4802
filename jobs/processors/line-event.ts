import type { LineAccount, LineEvent } from "@prisma/client";
import { UnrecoverableError, type Job } from "bullmq";
import { db } from "../../app/db.server";
import { PermanentError } from "../../app/errors";
import { asJobError } from "../../app/line/client.server";
import { handleLineEvent } from "../../app/line/events/handle.server";
import type { LineEventJob } from "../queues";

// Every event of an account needs the account row; a short cache saves a query per event (tests/bench/README.md).
// A disconnect is seen within this time; the web process already stops storing the account's events at once.
const ACCOUNT_CACHE_MS = 5_000;
const accounts = new Map<string, { account: LineAccount | null; expiresAt: number }>();

async function accountOf(id: string) {
  const cached = accounts.get(id);
  if (cached && cached.expiresAt > Date.now()) return cached.account;
  const account = await db.lineAccount.findUnique({ where: { id } });
  accounts.set(id, { account, expiresAt: Date.now() + ACCOUNT_CACHE_MS });
  return account;
}

/** Processes one stored LINE event, once: a processed event is skipped on any repeat of the job. */
export async function processLineEvent(job: Job<LineEventJob>) {
  // One statement both claims an unprocessed event and counts the attempt (raw SQL: this is the hot path).
  const [event] = await db.$queryRaw<LineEvent[]>`
    UPDATE "LineEvent" SET attempts = attempts + 1 WHERE id = ${job.data.eventId} AND "processedAt" IS NULL RETURNING *`;
  if (!event) return "already-processed";

  let outcome = "account-disconnected";
  const account = await accountOf(event.lineAccountId);
  if (account?.status === "connected") {
    try {
      outcome = await handleLineEvent({ ...event, lineAccount: account });
    } catch (error) {
      const jobError = asJobError(error);
      throw jobError instanceof PermanentError ? new UnrecoverableError(jobError.message) : jobError;
    }
  }
  await db.$executeRaw`UPDATE "LineEvent" SET "processedAt" = now(), "lastError" = NULL WHERE id = ${event.id}`;
  return outcome;
}

export async function recordLineEventFailure(job: Job<LineEventJob> | undefined, error: Error) {
  if (!job) return;
  const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
  await db.lineEvent.updateMany({
    where: { id: job.data.eventId },
    data: { lastError: error.message.slice(0, 1_000), ...(final ? { failedAt: new Date() } : {}) },
  });
}
