// The inbox list: friends who wrote, newest conversation first, with what staff have not read. One statement per
// page (keyset on the friend's last message): the unread count and last message are per-row subqueries over the
// (friendId, createdAt) index, which Prisma's query API cannot express.
import { Prisma } from "@prisma/client";
import { db } from "../db.server";

export const CONVERSATIONS_PER_PAGE = 50;

export type ConversationFilters = {
  unread?: boolean;
  accountId?: string | null;
  tagId?: string | null;
  /** Only conversations assigned to this staff member. */
  assigneeId?: string | null;
  query?: string | null;
  /** Keyset cursor: the last row of the previous page. */
  before?: { at: Date; id: string } | null;
};

export type ConversationRow = {
  friendId: string;
  displayName: string | null;
  pictureUrl: string | null;
  lineAccountId: string;
  accountName: string;
  lastMessageAt: Date;
  unread: number;
  assigneeId: string | null;
  assigneeName: string | null;
  lastKind: string | null;
  lastText: string | null;
  lastDirection: string | null;
};

function likePattern(query: string) {
  return `%${query.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listConversations(shop: string, filters: ConversationFilters = {}, limit = CONVERSATIONS_PER_PAGE) {
  const where: Prisma.Sql[] = [Prisma.sql`f.shop = ${shop}`, Prisma.sql`f."lastMessageAt" IS NOT NULL`, Prisma.sql`f."operatorBlockedAt" IS NULL`];
  if (filters.accountId) where.push(Prisma.sql`f."lineAccountId" = ${filters.accountId}`);
  if (filters.tagId) where.push(Prisma.sql`EXISTS (SELECT 1 FROM "FriendTag" ft WHERE ft."friendId" = f.id AND ft."tagId" = ${filters.tagId} AND ft.shop = ${shop})`);
  if (filters.assigneeId) where.push(Prisma.sql`c."assigneeId" = ${filters.assigneeId}`);
  if (filters.query?.trim()) where.push(Prisma.sql`f."displayName" ILIKE ${likePattern(filters.query.trim())}`);
  if (filters.unread) where.push(Prisma.sql`unread.n > 0`);
  if (filters.before) {
    where.push(Prisma.sql`(f."lastMessageAt", f.id) < (${filters.before.at}::timestamp, ${filters.before.id})`);
  }
  const rows = await db.$queryRaw<(Omit<ConversationRow, "unread"> & { unread: bigint })[]>`
    SELECT f.id AS "friendId", f."displayName", f."pictureUrl", f."lineAccountId", a."displayName" AS "accountName",
           f."lastMessageAt", unread.n AS unread, c."assigneeId", c."assigneeName",
           last.kind AS "lastKind", last.text AS "lastText", last.direction AS "lastDirection"
    FROM "Friend" f
    JOIN "LineAccount" a ON a.id = f."lineAccountId"
    LEFT JOIN "Conversation" c ON c."friendId" = f.id
    CROSS JOIN LATERAL (
      SELECT count(*) AS n FROM "Message" m
      WHERE m."friendId" = f.id AND m.direction = 'in' AND m."createdAt" > COALESCE(c."lastReadAt", '-infinity'::timestamp)
    ) unread
    LEFT JOIN LATERAL (
      SELECT m.kind, m.text, m.direction FROM "Message" m WHERE m."friendId" = f.id ORDER BY m."createdAt" DESC, m.id DESC LIMIT 1
    ) last ON true
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY f."lastMessageAt" DESC, f.id DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit).map((row) => ({ ...row, unread: Number(row.unread) }));
  const last = page.at(-1);
  return { conversations: page, next: rows.length > limit && last ? { at: last.lastMessageAt, id: last.friendId } : null };
}

/** Unread received messages across the shop (the navigation badge). */
export async function unreadTotal(shop: string): Promise<number> {
  const [row] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM "Message" m
    JOIN "Friend" f ON f.id = m."friendId"
    LEFT JOIN "Conversation" c ON c."friendId" = m."friendId"
    WHERE m.shop = ${shop} AND m.direction = 'in' AND f."operatorBlockedAt" IS NULL
      AND m."createdAt" > COALESCE(c."lastReadAt", '-infinity'::timestamp)`;
  return Number(row?.n ?? 0);
}

/** The cursor as the page's URL carries it ("<iso>_<id>"); anything else is the first page. */
export function parseCursor(value: string | null): { at: Date; id: string } | null {
  const match = /^(\d{4}-\d{2}-\d{2}T[\d:.]+Z)_(.+)$/.exec(value ?? "");
  if (!match) return null;
  const at = new Date(match[1]);
  return Number.isNaN(at.getTime()) ? null : { at, id: match[2] };
}

export function formatCursor(cursor: { at: Date | string; id: string }) {
  return `${new Date(cursor.at).toISOString()}_${cursor.id}`;
}
