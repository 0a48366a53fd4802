// One friend's thread: their messages and staff's replies (Message rows) merged with what the send pipeline
// delivered to them for other reasons (cart reminders, broadcasts — multicast batches naming their LINE user id —,
// step messages), newest first in pages keyed by (time, id), so older items load as staff scroll up.
import type { Prisma } from "@prisma/client";
import { db } from "../db.server";
import type { LineMessage } from "../messaging/types";
import { signedContentUrl } from "./content.server";

export const THREAD_PAGE = 40;

/** Deliveries that are also Message rows (the chat, greeting and auto-reply record their own). */
const RECORDED_AS_MESSAGES = ["chat", "greeting", "auto-reply"];

export const stickerUrl = (stickerId: string) => `https://stickershop.line-scdn.net/stickershop/v1/sticker/${encodeURIComponent(stickerId)}/android/sticker.png`;

export type ThreadMessageItem = {
  type: "message";
  id: string;
  at: Date;
  direction: "in" | "out";
  kind: string;
  text: string | null;
  sentVia: string | null;
  sentBy: string | null;
  status: string;
  error: string | null;
  stickerUrl: string | null;
  /** Images: the signed URL while kept; otherwise the content's state. */
  image: { state: "stored"; url: string } | { state: "pending" | "expired" | "failed" | "none" } | null;
};

export type ThreadDeliveryItem = {
  type: "delivery";
  id: string;
  at: Date;
  /** cart-reminder | broadcast | broadcast-test | step … (the delivery's kind) */
  kind: string;
  /** What the friend saw, one line per LINE message: the text, or a Flex/template's alt text, or the type. */
  lines: string[];
};

export type ThreadItem = ThreadMessageItem | ThreadDeliveryItem;
export type ThreadCursor = { at: Date; id: string };

function before(cursor: ThreadCursor | null, field: "createdAt" | "sentAt"): { OR?: object[] } {
  if (!cursor) return {};
  return { OR: [{ [field]: { lt: cursor.at } }, { [field]: cursor.at, id: { lt: cursor.id } }] };
}

function linesOf(messages: Prisma.JsonValue): string[] {
  if (!Array.isArray(messages)) return [];
  return (messages as LineMessage[]).map((message) => {
    if (message.type === "text") return message.text;
    if ("altText" in message && typeof message.altText === "string") return message.altText;
    return `[${message.type}]`;
  });
}

function imageOf(content: { status: string; expiresAt: Date | null } | null, shop: string, messageId: string, now: Date): ThreadMessageItem["image"] {
  if (!content) return { state: "none" };
  if (content.status === "stored" && content.expiresAt && content.expiresAt > now) return { state: "stored", url: signedContentUrl(shop, messageId, now.getTime()) };
  if (content.status === "stored") return { state: "expired" };
  return { state: content.status as "pending" | "expired" | "failed" };
}

/** A page of the thread, newest first; `next` continues with older items. Another shop's friend: null. */
export async function threadPage(shop: string, friendId: string, cursor: ThreadCursor | null = null, limit = THREAD_PAGE, now = new Date()) {
  const friend = await db.friend.findFirst({ where: { id: friendId, shop }, select: { id: true, lineUserId: true, lineAccountId: true } });
  if (!friend) return null;
  const [messages, deliveries] = await Promise.all([
    db.message.findMany({
      where: { shop, friendId, ...before(cursor, "createdAt") },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: limit + 1,
      include: { content: { select: { status: true, expiresAt: true } } },
    }),
    db.delivery.findMany({
      where: {
        shop,
        lineAccountId: friend.lineAccountId,
        status: "sent",
        sentAt: { not: null },
        kind: { notIn: RECORDED_AS_MESSAGES },
        AND: [{ OR: [{ friendId }, { channel: "multicast", recipients: { has: friend.lineUserId } }] }, before(cursor, "sentAt")],
      },
      orderBy: [{ sentAt: "desc" }, { id: "desc" }],
      take: limit + 1,
      select: { id: true, kind: true, sentAt: true, messages: true },
    }),
  ]);
  const items: ThreadItem[] = [
    ...messages.map(
      (m): ThreadMessageItem => ({
        type: "message",
        id: m.id,
        at: m.createdAt,
        direction: m.direction === "out" ? "out" : "in",
        kind: m.kind,
        text: m.text,
        sentVia: m.sentVia,
        sentBy: m.sentBy,
        status: m.status,
        error: m.error,
        stickerUrl: m.kind === "sticker" ? stickerOf(m.payload) : null,
        image: m.kind === "image" && m.direction === "in" ? imageOf(m.content, shop, m.id, now) : null,
      }),
    ),
    ...deliveries.map((d): ThreadDeliveryItem => ({ type: "delivery", id: d.id, at: d.sentAt as Date, kind: d.kind, lines: linesOf(d.messages) })),
  ].sort((a, b) => b.at.getTime() - a.at.getTime() || (b.id < a.id ? -1 : b.id > a.id ? 1 : 0));
  const page = items.slice(0, limit);
  const last = page.at(-1);
  return { items: page, next: items.length > limit && last ? { at: last.at, id: last.id } : null };
}

function stickerOf(payload: Prisma.JsonValue): string | null {
  const id = payload && typeof payload === "object" && !Array.isArray(payload) ? payload.stickerId : null;
  return typeof id === "string" && /^\d{1,20}$/.test(id) ? stickerUrl(id) : null;
}
