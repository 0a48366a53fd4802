import { db } from "../db.server";

/** Counts the click on the link and on its reminder; returns where to send the shopper. */
export async function followReminderLink(code: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{8,32}$/.test(code)) return null;
  const [link] = await db.reminderLink.updateManyAndReturn({ where: { code }, data: { clicks: { increment: 1 } } });
  if (!link) return null;
  await db.$executeRaw`
    UPDATE "CartReminder" SET clicks = clicks + 1, "clickedAt" = COALESCE("clickedAt", ${new Date()}) WHERE id = ${link.reminderId}`;
  return link.targetUrl;
}
