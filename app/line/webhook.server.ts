// LINE webhooks: verify the signature over the raw body, store each event once, queue, answer 200.
// Everything else happens in the worker, so LINE is never kept waiting.
import { randomUUID } from "node:crypto";
import { validateSignature } from "@line/bot-sdk";
import { enqueueLineEvents } from "../../jobs/queues";
import { decryptSecret } from "../crypto.server";
import { db, sql } from "../db.server";
import { expiringCache } from "../expiring-cache";
import { logger } from "../logger.server";

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

type IncomingEvent = {
  type?: unknown;
  timestamp?: unknown;
  webhookEventId?: unknown;
  source?: { userId?: unknown };
};

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

export async function receiveLineWebhook(accountId: string, request: Request): Promise<Response> {
  if (request.method !== "POST") return text(405, "Method not allowed");
  const raw = await request.text();
  const account = await accounts.get(accountId);
  if (!account) return text(404, "Unknown webhook URL");
  const signature = request.headers.get("x-line-signature");
  if (!signature || !validateSignature(raw, account.channelSecret, signature)) return text(401, "Bad signature");

  let events: IncomingEvent[];
  try {
    const body = JSON.parse(raw) as { events?: unknown };
    if (!Array.isArray(body.events)) return text(400, "Body has no events array");
    events = body.events as IncomingEvent[];
  } catch {
    return text(400, "Malformed JSON body");
  }
  // LINE's "Verify" button sends no events; a disconnected account keeps nothing.
  if (!events.length || account.status !== "connected") return text(200, "OK");

  const receivedAt = new Date();
  const rows = events
    .filter((event) => typeof event.webhookEventId === "string" && typeof event.type === "string")
    .map((event) => ({
      id: randomUUID(),
      shop: account.shop,
      lineAccountId: account.id,
      webhookEventId: event.webhookEventId as string,
      type: event.type as string,
      lineUserId: typeof event.source?.userId === "string" ? event.source.userId : null,
      occurredAt: new Date(typeof event.timestamp === "number" ? event.timestamp : Date.now()),
      payload: JSON.stringify(event),
      receivedAt,
    }));
  if (!rows.length) return text(200, "OK");
  await store(rows);
  return text(200, "OK");
}

type EventRow = {
  id: string;
  shop: string;
  lineAccountId: string;
  webhookEventId: string;
  type: string;
  lineUserId: string | null;
  occurredAt: Date;
  payload: string;
  receivedAt: Date;
};

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
        // One delivery's bad row must not fail the others: each is tried alone, and only its own request fails.
        if (batch.length === 1) batch[0].failed(error);
        else await Promise.all(batch.map((request) => insertNew(request.rows).then(queueStored).then(() => request.stored(), request.failed)));
      }
    }
  } finally {
    writing = false; // whatever happened, the next delivery starts a write of its own
  }
}

// The statements on the webhook's hot path go straight through pg (`sql`): Prisma's per-call query compilation
// cost more than the rest of a delivery (tests/bench/README.md). Ids are UUIDs made here, as for Friend rows.

/** Stores the events; a redelivered one hits the unique webhookEventId and is skipped. Returns the new ids. */
async function insertNew(rows: EventRow[]): Promise<string[]> {
  const column = <K extends keyof EventRow>(key: K) => rows.map((row) => row[key]);
  const created = await sql<{ id: string }>`
    INSERT INTO "LineEvent" ("id", "shop", "lineAccountId", "webhookEventId", "type", "lineUserId", "occurredAt", "payload", "receivedAt")
    SELECT id, shop, account, event, type, "user", occurred, payload::jsonb, received
    FROM unnest(${column("id")}::text[], ${column("shop")}::text[], ${column("lineAccountId")}::text[],
                ${column("webhookEventId")}::text[], ${column("type")}::text[], ${column("lineUserId")}::text[],
                ${column("occurredAt").map(iso)}::timestamp[], ${column("payload")}::text[], ${column("receivedAt").map(iso)}::timestamp[])
      AS incoming(id, shop, account, event, type, "user", occurred, payload, received)
    ON CONFLICT DO NOTHING
    RETURNING "id"`;
  return created.map((row) => row.id);
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
