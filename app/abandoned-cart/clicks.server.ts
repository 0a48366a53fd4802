import { db } from "../db.server";

/**
 * Counts the click on the link and on its reminder, and records it as the friend's click for order attribution
 * (LinkClick, app/customers/attribution.server.ts); returns where to send the shopper.
 */
export async function followReminderLink(code: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{8,32}$/.test(code)) return null;
  const [link] = await db.reminderLink.updateManyAndReturn({ where: { code }, data: { clicks: { increment: 1 } } });
  if (!link) return null;
  const now = new Date();
  await db.$executeRaw`
    WITH reminder AS (
      UPDATE "CartReminder" SET clicks = clicks + 1, "clickedAt" = COALESCE("clickedAt", ${now})
      WHERE id = ${link.reminderId} AND shop = ${link.shop}
      RETURNING id, shop, "friendId"
    )
    INSERT INTO "LinkClick" (id, shop, "friendId", kind, "sourceId", "deliveryId", "clickedAt")
    SELECT gen_random_uuid()::text, r.shop, r."friendId", 'cart-reminder', r.id,
      (SELECT d.id FROM "Delivery" d WHERE d.kind = 'cart-reminder' AND d."sourceId" = r.id ORDER BY d."createdAt" DESC LIMIT 1),
      ${now}
    FROM reminder r`;
  return link.targetUrl;
}
