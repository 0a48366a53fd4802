// LINE's error answers in the merchant's language. Pages show `t(key)` and, under it, LINE's own words (`detail`,
// e.g. "400 The request body has 1 error(s) messages[0].text: Length must be between 1 and 5000"), so the merchant
// reads what to do and support can still see exactly what LINE said.
import { HTTPFetchError } from "@line/bot-sdk";
import type { en } from "../i18n/line-errors";
import { LineTimeoutError, lineErrorMessage } from "./client.server";

export type LineErrorKey = keyof typeof en;
export type LineErrorText = { key: LineErrorKey; detail: string | null };

type Body = { message?: string; error?: string };

function parsed(error: HTTPFetchError): Body {
  try {
    const body = JSON.parse(error.body) as unknown;
    return typeof body === "object" && body !== null ? (body as Body) : {};
  } catch {
    return {};
  }
}

function keyFor(status: number, { message = "", error }: Body): LineErrorKey {
  if (status === 400) {
    if (/^The request body has \d+ error/.test(message)) return "line.error.invalidBody";
    if (/reply token/i.test(message)) return "line.error.replyToken";
    if (error === "invalid_client") return "line.error.credentials";
    return "line.error.badRequest";
  }
  // 429 has several causes, told apart by LINE's message (developers.line.biz, "Handle HTTP status code 429 errors").
  if (status === 429) {
    if (/monthly limit/i.test(message)) return "line.error.monthlyLimit";
    if (/rate limit/i.test(message)) return "line.error.rateLimited";
    return "line.error.tooManyRequests";
  }
  if (status >= 500) return "line.error.unavailable";
  const byStatus: Record<number, LineErrorKey> = {
    401: "line.error.unauthorized",
    403: "line.error.forbidden",
    404: "line.error.notFound",
    409: "line.error.alreadyAccepted",
    413: "line.error.tooLarge",
  };
  return byStatus[status] ?? "line.error.other";
}

/**
 * The same for a refusal stored on a delivery (its `errorStatus` and `reason`, which lineErrorMessage wrote as
 * "<status> <LINE's message> <details>"), so results pages explain it long after the call.
 */
export function storedLineErrorKey(status: number | null, reason: string): LineErrorKey {
  if (status === null) return "line.error.other";
  return keyFor(status, { message: reason.replace(/^\d{3}\s*/, "") });
}

/** What to tell the merchant about a failed LINE call: an i18n key (app/i18n/line-errors.ts) and LINE's words. */
export function lineErrorText(error: unknown): LineErrorText {
  if (error instanceof HTTPFetchError) return { key: keyFor(error.status, parsed(error)), detail: lineErrorMessage(error) };
  if (error instanceof LineTimeoutError) return { key: "line.error.timeout", detail: null };
  return { key: "line.error.network", detail: null };
}

/** LINE did not answer, or failed on its side: nothing about the request itself was wrong. */
export function lineUnavailable({ key }: LineErrorText): boolean {
  return key === "line.error.unavailable" || key === "line.error.timeout" || key === "line.error.network";
}
