// Who a broadcast goes to, as SQL over `"Friend" f`: following, not staff-blocked friends of the broadcast's
// account that match its audience rule. The same expression counts the audience for the page and freezes it.
import { Prisma } from "@prisma/client";
import { db } from "../db.server";
import type { Audience } from "./model";
import { segmentWhere } from "../segments/compile.server";
import { getSegment } from "../segments/segments.server";

export class AudienceGoneError extends Error {
  override name = "AudienceGoneError";
}

/** Newest friends first: the order in which "fit" keeps friends when the quota cannot cover everyone. */
export const AUDIENCE_ORDER = Prisma.sql`f."createdAt" DESC, f.id DESC`;

/** Throws AudienceGoneError when the audience names a segment that no longer exists (or another shop's). */
export async function audienceWhere(shop: string, lineAccountId: string, audience: Audience): Promise<Prisma.Sql> {
  const base = Prisma.sql`f."lineAccountId" = ${lineAccountId} AND f.shop = ${shop}
    AND f."followStatus" = 'following' AND f."operatorBlockedAt" IS NULL`;
  if (audience.type === "all") return base;
  if (audience.type === "segment") {
    const segment = await getSegment(shop, audience.segmentId);
    if (!segment) throw new AudienceGoneError("broadcasts.error.segmentGone");
    return Prisma.sql`${base} AND (${segmentWhere(shop, segment.definition)})`;
  }
  // The tags must be the shop's own: FriendTag carries the shop, so another shop's tag id matches nobody.
  const tagged = Prisma.sql`SELECT 1 FROM "FriendTag" ft WHERE ft."friendId" = f.id AND ft.shop = ${shop} AND ft."tagId" = ANY(${audience.tagIds}::text[])`;
  if (audience.match === "any") return Prisma.sql`${base} AND EXISTS (${tagged})`;
  const distinct = [...new Set(audience.tagIds)];
  return Prisma.sql`${base} AND (SELECT count(*) FROM "FriendTag" ft WHERE ft."friendId" = f.id AND ft.shop = ${shop}
    AND ft."tagId" = ANY(${distinct}::text[])) = ${distinct.length}`;
}

export async function countAudience(shop: string, lineAccountId: string, audience: Audience): Promise<number> {
  const where = await audienceWhere(shop, lineAccountId, audience);
  const [row] = await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM "Friend" f WHERE ${where}`;
  return row.n;
}
