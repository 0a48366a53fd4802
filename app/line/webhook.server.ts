// LINE webhooks: verify the signature over the raw body, store each event once, queue, answer 200.
// Everything else happens in the worker, so LINE is never kept waiting.
import { validateSignature } from "@line/bot-sdk";
import { enqueueLineEvents } from "../../jobs/queues";
import { decryptSecret } from "../crypto.server";
import { db, sql } from "../db.server";
import { expiringCache } from "../expiring-cache";
import { logger } from "../logger.server";
import { eventRows, type EventRow } from "./events/incoming";

type WebhookAccount = { id: string; shop: string; status: string; channelSecret: string };

// Every request needs the account's secret; a short cache keeps the database off the hot path. A secret
// changed in another process is picked up within this time.
const accounts = expiringCache(10_000, async (id): Promise<WebhookAccount | null> => {
  const row = await db.lineAccount.findUnique({
    where: { id },
    select: { id: true, shop: true, status: true, channelSecret: true },
  });
  return row ? { ...row, channelSecret: decryptSecret(row.channelSecret) } : null;
});

export function forgetWebhookAccount(id: string) {
  accounts.forget(id);
}

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

export async function receiveLineWebhook(accountId: string, request: Request): Promise<Response> {
  if (request.method !== "POST") return text(405, "Method not allowed");
  const raw = await request.text();
  const account = await accounts.get(accountId);
  if (!account) return text(404, "Unknown webhook URL");
  const signature = request.headers.get("x-line-signature");
  if (!signature || !validateSignature(raw, account.channelSecret, signature)) return text(401, "Bad signature");

  let events: unknown[];
  try {
    const body = JSON.parse(raw) as { events?: unknown } | null;
    if (!Array.isArray(body?.events)) return text(400, "Body has no events array");
    events = body.events;
  } catch {
    return text(400, "Malformed JSON body");
  }
  // LINE's "Verify" button sends no events; a disconnected account keeps nothing.
  if (!events.length || account.status !== "connected") return text(200, "OK");

  // Each event is stored, a valid one to be processed and an invalid one with the reason why not.
  await store(eventRows(account, events, raw, new Date()));
  return text(200, "OK");
}

// Group commit: deliveries that arrive while a write is in flight are stored together by the next one, in one
// INSERT, one queue round trip and one stamp, instead of three statements and a commit each. At one delivery at a
// time nothing waits; under load a request waits at most for the write in flight. The database and Redis see
// far fewer, larger statements (tests/bench/README.md). A request is answered once its own rows are committed.
type Waiting = { rows: EventRow[]; stored: () => void; failed: (error: unknown) => void };
let waiting: Waiting[] = [];
let writing = false;

function store(rows: EventRow[]): Promise<void> {
  return new Promise((stored, failed) => {
    waiting.push({ rows, stored, failed });
    if (!writing) void writeWaiting();
  });
}

async function writeWaiting() {
  writing = true;
  try {
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      try {
        const created = await insertNew(batch.flatMap((request) => request.rows));
        for (const request of batch) request.stored();
        await queueStored(created);
      } catch (error) {
        // One delivery's content must not fail the others: each is tried alone, and only its own request fails,
        // and then only when our infrastructure is down (storeAlone).
        const alone = batch.length === 1 ? error : undefined;
        await Promise.all(batch.map((request) => storeAlone(request.rows, alone).then(request.stored, request.failed)));
      }
    }
  } finally {
    writing = false; // whatever happened, the next delivery starts a write of its own
  }
}

/**
 * Stores one delivery. Should PostgreSQL refuse its content although each event was checked, every event is
 * tried alone and one still refused is kept without its payload, marked invalid with the reason: the delivery
 * is answered 200 and its other events are processed. Any other error (database or network down) fails it.
 */
async function storeAlone(rows: EventRow[], failure?: unknown) {
  if (failure === undefined) {
    try {
      await queueStored(await insertNew(rows));
      return;
    } catch (error) {
      failure = error;
    }
  }
  if (!refusedContent(failure)) throw failure;
  const created: string[] = [];
  for (const row of rows) {
    try {
      created.push(...(await insertNew([row])));
    } catch (error) {
      if (!refusedContent(error)) throw error;
      const reason = `not storable: ${(error as Error).message}`.slice(0, 500);
      await insertNew([{ ...row, payload: null, invalidReason: reason }]);
      logger.warn("LINE event stored without its payload", { accountId: row.lineAccountId, webhookEventId: row.webhookEventId, reason });
    }
  }
  await queueStored(created);
}

/** PostgreSQL refused the values (data exception, program limit), as opposed to being unreachable. */
function refusedContent(error: unknown) {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(22|54)/.test(code);
}

// The statements on the webhook's hot path go straight through pg (`sql`): Prisma's per-call query compilation
// cost more than the rest of a delivery (tests/bench/README.md). Ids are UUIDs made here, as for Friend rows.

/**
 * Stores the events; a redelivered one hits the unique webhookEventId and is skipped. An invalid event is stored
 * as final (failed when received). Returns the ids of the new events to process.
 */
async function insertNew(rows: EventRow[]): Promise<string[]> {
  const column = <K extends keyof EventRow>(key: K) => rows.map((row) => row[key]);
  const created = await sql<{ id: string; valid: boolean }>`
    INSERT INTO "LineEvent" ("id", "shop", "lineAccountId", "webhookEventId", "type", "lineUserId", "occurredAt", "payload",
                             "receivedAt", "invalidReason", "failedAt")
    SELECT id, shop, account, event, type, "user", occurred, payload::jsonb, received, invalid,
           CASE WHEN invalid IS NULL THEN NULL ELSE received END
    FROM unnest(${column("id")}::text[], ${column("shop")}::text[], ${column("lineAccountId")}::text[],
                ${column("webhookEventId")}::text[], ${column("type")}::text[], ${column("lineUserId")}::text[],
                ${column("occurredAt").map(iso)}::timestamp[], ${column("payload")}::text[], ${column("receivedAt").map(iso)}::timestamp[],
                ${column("invalidReason")}::text[])
      AS incoming(id, shop, account, event, type, "user", occurred, payload, received, invalid)
    ON CONFLICT DO NOTHING
    RETURNING "id", "invalidReason" IS NULL AS "valid"`;
  return created.filter((row) => row.valid).map((row) => row.id);
}

const iso = (date: Date) => date.toISOString();

/** Queues stored events and stamps them; false when Redis is unavailable (the sweeper retries). */
export async function queueStored(ids: string[]): Promise<boolean> {
  if (!ids.length) return true; // all redeliveries: nothing new to queue
  try {
    await enqueueLineEvents(ids);
  } catch (error) {
    logger.warn("LINE events not queued; the sweeper will retry", { count: ids.length, error: (error as Error).message });
    return false;
  }
  await sql`UPDATE "LineEvent" SET "enqueuedAt" = ${new Date()} WHERE "id" = ANY(${ids})`;
  return true;
}
