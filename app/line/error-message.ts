// LINE's error answers in the merchant's language: the one place that reads what LINE said (its HTTP status, its
// message, its details) and picks the i18n key (app/i18n/line-errors.ts) that says what happened and what to do.
// Browser-safe (no server imports): pages render a stored error with <LineErrorText> (app/components/
// line-error-text.tsx), and the server classifies a fresh HTTPFetchError with the same function
// (app/line/line-errors.server.ts). An answer not listed here reads "LINE refused: …" with LINE's own words below.
import type { en } from "../i18n/line-errors";

export type LineErrorKey = keyof typeof en;

/** What we know of LINE's answer. `message` may still carry the status in front ("400 Invalid reply token"). */
export type LineErrorParts = { status?: number | null; message?: string | null; details?: string | null; error?: string | null };

/**
 * A LINE error as the database keeps it: the text lineErrorMessage wrote ("<status> <LINE's message> <details>",
 * e.g. a Delivery's reason, a CartReminder's error), optionally with its status apart (Delivery.errorStatus), or
 * the parts of a fresh answer.
 */
export type StoredLineError = string | LineErrorParts;

export type LineErrorView = {
  key: LineErrorKey;
  /** Values for the key's placeholders ({status}). */
  values: Record<string, string>;
  /** LINE's own words as stored, shown in small print; null when there is nothing to add. */
  original: string | null;
  /** False when LINE's answer is not one we recognise (the "LINE refused: …" text). */
  known: boolean;
};

// LINE's documented messages (developers.line.biz, Messaging API reference "Error responses" and "Status codes").
const BAD_REQUEST: [RegExp, LineErrorKey][] = [
  [/^The request body has \d+ error/i, "line.error.invalidBody"],
  [/could not be parsed as JSON/i, "line.error.invalidBody"],
  [/property,? '?to'?,? in the request body is invalid|^Invalid user ID|'userId' parameter is invalid|to\[\d+\]: Invalid user ID/i, "line.error.invalidRecipient"],
  [/reply token/i, "line.error.replyToken"],
  [/invalid client_id or client_secret|invalid_client/i, "line.error.credentials"],
  [/webhook endpoint is not set|webhook endpoint URL/i, "line.error.webhookEndpoint"],
  [/maximum number of rich menus/i, "line.error.richMenuLimit"],
  [/rich ?menu image requirements|image could not be read|image has not been uploaded/i, "line.error.richMenuImage"],
];

const BY_STATUS: Record<number, LineErrorKey> = {
  401: "line.error.unauthorized",
  403: "line.error.forbidden",
  404: "line.error.notFound",
  409: "line.error.alreadyAccepted",
  413: "line.error.tooLarge",
  415: "line.error.unsupportedMedia",
};

/** Our own words for a call that got no answer (LineTimeoutError, the platform's fetch failure). */
const NO_ANSWER: [RegExp, LineErrorKey][] = [
  [/did not answer within|timed? ?out|aborted/i, "line.error.timeout"],
  [/fetch failed|ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|socket hang up|network/i, "line.error.network"],
];

/** The key for LINE's answer: status first, then LINE's message where one status has several causes. */
export function lineErrorKey(status: number | null | undefined, message: string, error?: string | null): LineErrorKey | null {
  if (!status) {
    for (const [pattern, key] of NO_ANSWER) if (pattern.test(message)) return key;
    return null;
  }
  if (status === 400) {
    if (error === "invalid_client") return "line.error.credentials";
    for (const [pattern, key] of BAD_REQUEST) if (pattern.test(message)) return key;
    return null;
  }
  // 429 has several causes, told apart by LINE's message (developers.line.biz, "Handle HTTP status code 429 errors").
  if (status === 429) {
    if (/monthly limit/i.test(message)) return "line.error.monthlyLimit";
    if (/rate limit/i.test(message)) return "line.error.rateLimited";
    return "line.error.tooManyRequests";
  }
  if (status >= 500) return "line.error.unavailable";
  return BY_STATUS[status] ?? null;
}

/** "quota: 429 You have…" (a send held for quota) → the status and LINE's words. */
function split(text: string): { status: number | null; rest: string } {
  const trimmed = text.trim().replace(/^quota:\s*/i, "");
  const match = /^(\d{3})\b\s*(?:-\s*)?(.*)$/s.exec(trimmed);
  return match ? { status: Number(match[1]), rest: match[2] ?? "" } : { status: null, rest: trimmed };
}

/** A stored or fresh LINE error in words the merchant can act on. */
export function lineErrorView(stored: StoredLineError | null | undefined): LineErrorView {
  const parts: LineErrorParts = typeof stored === "string" ? { message: stored } : (stored ?? {});
  const text = [parts.message, parts.details].filter(Boolean).join(" ").trim();
  const fromText = split(text);
  const status = parts.status ?? fromText.status;
  const original = text ? (fromText.status === null && status ? `${status} ${text}` : text) : status ? `${status}` : null;
  const key = lineErrorKey(status, fromText.rest, parts.error);
  if (key) return { key, values: {}, original, known: true };
  return status
    ? { key: "line.error.unknown", values: { status: String(status) }, original, known: false }
    : { key: "line.error.unknownNoStatus", values: {}, original, known: false };
}

/** LINE did not answer, or failed on its side: nothing about the request itself was wrong. */
export function isLineUnavailableKey(key: LineErrorKey): boolean {
  return key === "line.error.unavailable" || key === "line.error.timeout" || key === "line.error.network";
}
