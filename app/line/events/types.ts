import type { LineAccount, LineEvent } from "@prisma/client";
import { restoreJson } from "../../stored-json";

/** A stored event being processed, with its account. The payload is the event object as LINE sent it. */
export type StoredEvent = LineEvent & { lineAccount: LineAccount };

export type EventPayload = {
  type: string;
  timestamp: number;
  replyToken?: string;
  source?: { type?: string; userId?: string };
  follow?: { isUnblocked?: boolean };
  message?: { type: string; id: string; text?: string; [key: string]: unknown };
  postback?: { data: string; params?: Record<string, string> };
};

/** The event as LINE sent it, with any character jsonb could not hold restored. */
export function payloadOf(event: StoredEvent): EventPayload {
  return restoreJson<EventPayload>(event.payload);
}

/** LINE's reply tokens are short-lived; staff replies only try one this much after the event. */
export const REPLY_TOKEN_TTL_MS = 50_000;
