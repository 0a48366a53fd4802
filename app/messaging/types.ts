// The send pipeline's vocabulary, safe to import from client code (pages show delivery statuses).
import type { messagingApi } from "@line/bot-sdk";

/** What LINE receives: 1 to 5 of these per request. */
export type LineMessage = messagingApi.Message;

/** Why a delivery exists, read together with its sourceId. */
export type DeliveryKind =
  | "cart-reminder"
  | "broadcast"
  | "broadcast-test"
  | "chat"
  | "greeting"
  | "auto-reply"
  | "test"
  | "step"
  | "notification"
  | "form";
/** LINE's endpoint: push (one friend), multicast (up to 500), reply (a reply token, free, no retry key). */
export type DeliveryChannel = "push" | "multicast" | "reply";
export type DeliveryStatus = "scheduled" | "sending" | "sent" | "skipped" | "failed" | "unknown" | "cancelled";

/** The reasons a delivery is skipped without reaching LINE. */
export type SkipReason =
  | "account-disconnected"
  | "shop-uninstalled"
  | "not-following"
  | "operator-blocked"
  | "no-recipients"
  | "quota-exceeded"
  | "quota-exhausted";

export const MULTICAST_MAX_RECIPIENTS = 500;

export function textMessages(texts: string[]): LineMessage[] {
  return texts.map((text) => ({ type: "text", text }));
}
