// A webhook delivery's events as rows to store. An event that is not a valid LINE event is stored too, marked
// invalid with the reason and never processed, so it neither fails its siblings nor disappears unseen.
import { createHash, randomUUID } from "node:crypto";
import { jsonDepth, storableJsonText } from "../../stored-json";

export type EventRow = {
  id: string;
  shop: string;
  lineAccountId: string;
  webhookEventId: string;
  type: string;
  lineUserId: string | null;
  occurredAt: Date;
  payload: string | null;
  receivedAt: Date;
  /** Set for an event stored but not processed; such a row is final (failedAt = receivedAt). */
  invalidReason: string | null;
};

// LINE's events nest a few levels; this is far above that and far below what JSON.stringify survives.
const MAX_DEPTH = 32;
// Ids, types and tokens are short ASCII; anything else would only reach PostgreSQL to be refused (an index holds
// at most about 2.7 kB; no text column holds U+0000).
const TOKEN = /^[\x21-\x7e]{1,200}$/;
const TYPE = /^[A-Za-z]{1,64}$/;
// Earlier than LINE's platform or more than a day ahead of our clock: not a time LINE sent.
const EARLIEST = Date.UTC(2011, 0, 1);
const AHEAD_MS = 24 * 3_600_000;

type Account = { id: string; shop: string };

/** One row per event, in order; nothing here throws on a parsed body, however odd. */
export function eventRows(account: Account, events: unknown[], raw: string, receivedAt: Date): EventRow[] {
  return events.map((event, index) => {
    const row = {
      id: randomUUID(),
      shop: account.shop,
      lineAccountId: account.id,
      receivedAt,
    };
    const checked = checkEvent(event, receivedAt);
    if ("event" in checked) return { ...row, ...checked.event, invalidReason: null };
    const fields = isObject(event) ? event : {};
    const webhookEventId = validString(fields.webhookEventId, TOKEN) ?? inventedId(raw, index);
    return {
      ...row,
      webhookEventId,
      type: validString(fields.type, TYPE) ?? "invalid",
      lineUserId: validString(isObject(fields.source) ? fields.source.userId : undefined, TOKEN) ?? null,
      occurredAt: receivedAt,
      // Too deep to serialise safely: the reason is kept, the body is not.
      payload: jsonDepth(event) > MAX_DEPTH ? null : storableJsonText(event),
      invalidReason: checked.reason,
    };
  });
}

type Checked =
  | { event: Pick<EventRow, "webhookEventId" | "type" | "lineUserId" | "occurredAt" | "payload"> }
  | { reason: string };

function checkEvent(event: unknown, receivedAt: Date): Checked {
  if (!isObject(event)) return { reason: `not an object (${event === null ? "null" : Array.isArray(event) ? "array" : typeof event})` };
  if (jsonDepth(event) > MAX_DEPTH) return { reason: `nested deeper than ${MAX_DEPTH} levels` };
  const webhookEventId = validString(event.webhookEventId, TOKEN);
  if (!webhookEventId) return { reason: "no valid webhookEventId" };
  const type = validString(event.type, TYPE);
  if (!type) return { reason: "no valid type" };
  const { timestamp } = event;
  if (typeof timestamp !== "number" || !Number.isInteger(timestamp) || timestamp < EARLIEST || timestamp > receivedAt.getTime() + AHEAD_MS) {
    return { reason: "timestamp out of range" };
  }
  const source = isObject(event.source) ? event.source : {};
  const lineUserId = source.userId === undefined ? null : validString(source.userId, TOKEN);
  if (lineUserId === undefined) return { reason: "no valid source.userId" };
  if (event.replyToken !== undefined && !validString(event.replyToken, TOKEN)) return { reason: "no valid replyToken" };
  if (event.message !== undefined && !(isObject(event.message) && validString(event.message.id, TOKEN))) {
    return { reason: "no valid message.id" };
  }
  if (isObject(event.message) && event.message.text !== undefined && typeof event.message.text !== "string") {
    return { reason: "no valid message.text" };
  }
  return { event: { webhookEventId, type, lineUserId, occurredAt: new Date(timestamp), payload: storableJsonText(event) } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function validString(value: unknown, pattern: RegExp): string | undefined {
  return typeof value === "string" && pattern.test(value) ? value : undefined;
}

/** The same event in a repeat of the same body gets the same id, so it is stored once. */
function inventedId(raw: string, index: number) {
  return `invalid-${createHash("sha256").update(raw).digest("hex").slice(0, 32)}-${index}`;
}
