// Friend-add sources: a tracking-link click that ended in a LIFF link becomes the friend's source once they
// follow. Recorded once per friend and link; its tags are added and its postback is queued then.
import type { Friend, Prisma } from "@prisma/client";
import { enqueuePostback } from "../../jobs/queues";
import { db, sql } from "../db.server";
import { logger } from "../logger.server";
import { addTagsByName } from "../tags/tags.server";
import { expandTemplate } from "./postback.server";

export async function recordPendingSources(friend: Friend) {
  if (friend.followStatus !== "following") return 0;
  // Most follows come with no pending click; this check runs for every follow event, so it is raw (hot path).
  const [pending] = await sql`SELECT 1 FROM "TrackingClick" WHERE "friendId" = ${friend.id} LIMIT 1`;
  if (!pending) return 0;
  const clicks = await db.trackingClick.findMany({
    where: { friendId: friend.id },
    include: { trackingLink: true },
    orderBy: { createdAt: "asc" },
  });
  let recorded = 0;
  for (const click of clicks) {
    const link = click.trackingLink;
    const [source] = await db.friendSource.createManyAndReturn({
      data: [{ shop: friend.shop, friendId: friend.id, trackingLinkId: link.id, clickId: click.id, params: click.params as Prisma.InputJsonValue }],
      skipDuplicates: true,
    });
    if (!source) continue; // this friend's source for this link was recorded before
    recorded += 1;
    if (!friend.source) await db.friend.update({ where: { id: friend.id }, data: { source: link.name } });
    const tags = (link.tagNames as string[] | null) ?? [];
    if (tags.length) await addTagsByName(friend, tags, "link");
    if (link.postbackUrl) {
      const delivery = await db.postbackDelivery.create({
        data: {
          shop: friend.shop,
          friendSourceId: source.id,
          url: expandTemplate(link.postbackUrl, { link, friend, click }),
          method: link.postbackMethod === "POST" ? "POST" : "GET",
        },
      });
      await enqueuePostback(delivery.id).catch((error: Error) =>
        logger.warn("postback not queued; the sweeper will retry", { deliveryId: delivery.id, error: error.message }),
      );
    }
  }
  return recorded;
}
