// Replies: free (no quota), one use per reply token, within about a minute of the event; LINE takes no retry key,
// so a reply is never retried by the pipeline. Each is still a delivery: recorded, under the sending rules.
import { randomUUID } from "node:crypto";
import { sql } from "../db.server";
import { sendDelivery, type DeliveryOutcome } from "./send.server";
import type { LineMessage } from "./types";

export type ReplyRequest = {
  shop: string;
  lineAccountId: string;
  kind: "chat" | "greeting" | "auto-reply";
  /** The row answered or made (the event, the staff message). */
  sourceId: string;
  lineUserId: string;
  friendId?: string | null;
  replyToken: string;
  messages: LineMessage[];
};

export type ReplyOutcome = Extract<DeliveryOutcome, { status: "sent" | "skipped" | "failed" | "unknown" }> & { deliveryId: string };

export async function reply(request: ReplyRequest): Promise<ReplyOutcome> {
  const id = randomUUID();
  const now = new Date();
  await sql`
    INSERT INTO "Delivery" (id, shop, "lineAccountId", kind, channel, "sourceId", recipients, "friendId", messages, "replyToken",
                            status, "quotaCost", "dueAt", "createdAt", "updatedAt")
    VALUES (${id}, ${request.shop}, ${request.lineAccountId}, ${request.kind}, 'reply', ${request.sourceId}, ${[request.lineUserId]}::text[],
            ${request.friendId ?? null}, ${JSON.stringify(request.messages)}::jsonb, ${request.replyToken}, 'scheduled', 0, ${now}, ${now}, ${now})`;
  const outcome = await sendDelivery(id);
  switch (outcome.status) {
    case "sent":
    case "skipped":
    case "failed":
    case "unknown":
      return { ...outcome, deliveryId: id };
    default:
      // A reply is neither budgeted nor retried, and nothing else holds its new row.
      throw new Error(`reply ${id}: unexpected outcome ${outcome.status}`);
  }
}
