// What operators can be notified of. Safe to import from client code (the settings page lists the event types).

export type NotificationEvent =
  | { type: "newMessage"; friendId: string; messageId: string }
  | { type: "formAnswered"; formId: string; answerId: string }
  | { type: "quotaLow"; lineAccountId: string; remaining: number }
  | { type: "quotaExhausted"; lineAccountId: string }
  | { type: "broadcastFinished"; broadcastId: string; status: "sent" | "failed" }
  | { type: "accountAttention"; lineAccountId: string; reason: "webhook-test-failed" | "token-revoked" | "chat-mode" };

export type NotificationEventType = NotificationEvent["type"];

/** The toggles of the settings page, in the order shown. Quota low and exhausted share one toggle. */
export const EVENT_TYPES = ["newMessage", "formAnswered", "quotaLow", "broadcastFinished", "accountAttention"] as const;
export type EventToggle = (typeof EVENT_TYPES)[number];

/** The toggle an event is governed by. */
export function toggleOf(type: NotificationEventType): EventToggle {
  return type === "quotaExhausted" ? "quotaLow" : type;
}

export const CHANNEL_TYPES = ["email", "chatwork", "slack", "line"] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Minutes between digests of new 1:1 messages (0: each message at once). */
export const DIGEST_CHOICES = [0, 15, 60] as const;

/** The start of the digest window that ends after `at`: windows are aligned to the epoch, so every event of one
 * window shares one job. */
export function digestWindowEnd(at: Date, minutes: number): Date {
  const size = minutes * 60_000;
  return new Date(Math.floor(at.getTime() / size) * size + size);
}
