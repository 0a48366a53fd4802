// Who handles a conversation: a staff member of the shop, or nobody.
import { db } from "../db.server";

export type Assignee = { id: string; name: string };

/** Assigns (or with null, unassigns) the friend's conversation; false for another shop's friend. */
export async function assignConversation(shop: string, friendId: string, assignee: Assignee | null, now = new Date()): Promise<boolean> {
  const friend = await db.friend.findFirst({ where: { id: friendId, shop }, select: { lineAccountId: true } });
  if (!friend) return false;
  const data = { assigneeId: assignee?.id ?? null, assigneeName: assignee?.name ?? null, assignedAt: assignee ? now : null };
  await db.conversation.upsert({ where: { friendId, shop }, create: { friendId, shop, lineAccountId: friend.lineAccountId, ...data }, update: data });
  return true;
}

/** The staff members seen so far: everyone who was ever assigned a conversation in this shop. */
export async function knownAssignees(shop: string): Promise<Assignee[]> {
  const rows = await db.conversation.findMany({
    where: { shop, assigneeId: { not: null } },
    distinct: ["assigneeId"],
    select: { assigneeId: true, assigneeName: true },
    orderBy: { assigneeId: "asc" },
  });
  return rows.map((row) => ({ id: row.assigneeId as string, name: row.assigneeName ?? row.assigneeId ?? "" }));
}
