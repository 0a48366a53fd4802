// Problems the LIFF page meets that only the merchant can fix. The shopper reads a friendly message
// (liff-texts.ts); the page reports one of these codes (POST /liff/<accountId>/problem), stored on
// LineAccount.liffProblem and shown on the admin home as an alert until a LIFF login succeeds again.
// Browser-safe.
import type { FlowState } from "./liff-flow";

export const LIFF_PROBLEMS = [
  /** The LIFF app's scopes lack "openid": LINE gives no ID token, so no shopper can be linked. */
  "openid-scope",
  /** liff.init refused the LIFF ID (deleted, mistyped, or of another channel). */
  "liff-id-mismatch",
  /** liff.init failed for another reason (e.g. the endpoint URL in LINE Developers is not this page). */
  "liff-init-failed",
  /** LINE Login refused the channel's request (scope, redirect URL, channel not published). */
  "login-channel",
] as const;
export type LiffProblem = (typeof LIFF_PROBLEMS)[number];

export function isLiffProblem(value: unknown): value is LiffProblem {
  return typeof value === "string" && (LIFF_PROBLEMS as readonly string[]).includes(value);
}

/** The merchant's problem behind a failed page, or null when it is the shopper's (cancelled, offline, expired…). */
export function problemFor(state: FlowState): LiffProblem | null {
  if (state.kind !== "error") return null;
  const detail = state.detail ?? "";
  switch (state.error) {
    case "no-id-token":
      return "openid-scope";
    case "init-failed":
      return /INVALID_ARGUMENT|liff ?id|404|not found/i.test(detail) ? "liff-id-mismatch" : "liff-init-failed";
    case "login-failed":
      return /invalid_scope|unauthorized_client|invalid_request|invalid_client|redirect_uri/i.test(detail) ? "login-channel" : null;
    default:
      return null;
  }
}
