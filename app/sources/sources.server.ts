// Friend-add sources: a tracking-link click that ended in a LIFF link becomes the friend's source once they
// follow. Recorded once per friend and link; its tags are added and its postback is queued then.
import type { Friend, Prisma, TrackingClick, TrackingLink } from "@prisma/client";
import { enqueuePostback } from "../../jobs/queues";
import { db, sql } from "../db.server";
import { friendsChanged } from "../friends/changes.server";
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
    const source = await recordSource(friend, click);
    if (!source) continue; // this friend's source for this link was recorded before
    recorded += 1;
    await friendsChanged(friend.shop, [friend.id], { type: "tagsAdded", tagIds: source.addedTagIds, source: "link" });
    // Queued after the commit, so the job finds its row. If Redis is down, the sweeper queues the row later.
    if (source.deliveryId) {
      const deliveryId = source.deliveryId;
      await enqueuePostback(deliveryId).catch((error: Error) =>
        logger.warn("postback not queued; the sweeper will retry", { deliveryId, error: error.message }),
      );
    }
  }
  return recorded;
}

/**
 * The source row is the "done" marker of everything a source brings (the friend's source name, the link's tags,
 * the postback row), so all of it is one transaction: a failure part-way leaves nothing, and the retry does it all.
 */
function recordSource(friend: Friend, click: TrackingClick & { trackingLink: TrackingLink }) {
  const link = click.trackingLink;
  return db.$transaction(async (tx) => {
    const [source] = await tx.friendSource.createManyAndReturn({
      data: [{ shop: friend.shop, friendId: friend.id, trackingLinkId: link.id, clickId: click.id, params: click.params as Prisma.InputJsonValue }],
      skipDuplicates: true,
    });
    if (!source) return null;
    // The first source wins: a later link (or a second click recorded in the same follow) does not rename it.
    await tx.friend.updateMany({ where: { id: friend.id, source: null }, data: { source: link.name } });
    const tags = (link.tagNames as string[] | null) ?? [];
    const addedTagIds = tags.length ? (await addTagsByName(friend, tags, "link", tx)).added : [];
    if (!link.postbackUrl) return { deliveryId: null, addedTagIds };
    const delivery = await tx.postbackDelivery.create({
      data: {
        shop: friend.shop,
        friendSourceId: source.id,
        url: expandTemplate(link.postbackUrl, { link, friend, click }),
        method: link.postbackMethod === "POST" ? "POST" : "GET",
      },
    });
    return { deliveryId: delivery.id, addedTagIds };
  });
}
