// LINE's error answers in the merchant's language. Pages show `t(key)` and, under it, LINE's own words (`detail`,
// e.g. "400 The request body has 1 error(s) messages[0].text: Length must be between 1 and 5000"), so the merchant
// reads what to do and support can still see exactly what LINE said.
import { HTTPFetchError } from "@line/bot-sdk";
import { LineTimeoutError, lineErrorMessage } from "./client.server";
import { isLineUnavailableKey, lineErrorKey, lineErrorView, type LineErrorKey } from "./error-message";

export type { LineErrorKey };
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
  return lineErrorKey(status, message, error) ?? "line.error.unknownNoStatus";
}

/**
 * The same for a refusal stored on a delivery (its `errorStatus` and `reason`, which lineErrorMessage wrote as
 * "<status> <LINE's message> <details>"), so results pages explain it long after the call.
 */
export function storedLineErrorKey(status: number | null, reason: string): LineErrorKey {
  return lineErrorView({ status, message: reason }).key;
}

/** What to tell the merchant about a failed LINE call: an i18n key (app/i18n/line-errors.ts) and LINE's words. */
export function lineErrorText(error: unknown): LineErrorText {
  if (error instanceof HTTPFetchError) return { key: keyFor(error.status, parsed(error)), detail: lineErrorMessage(error) };
  if (error instanceof LineTimeoutError) return { key: "line.error.timeout", detail: null };
  return { key: "line.error.network", detail: null };
}

/** LINE did not answer, or failed on its side: nothing about the request itself was wrong. */
export function lineUnavailable({ key }: LineErrorText): boolean {
  return isLineUnavailableKey(key);
}
