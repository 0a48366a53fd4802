// A friend's follow status, decided by event time: LINE may redeliver late and out of order, so an event
// older than the one that set the current status changes nothing.
import { randomUUID } from "node:crypto";
import type { Friend, LineAccount } from "@prisma/client";
import { db, sql } from "../../db.server";

export type FollowStatus = "following" | "blocked";
export type LineProfile = { displayName: string; pictureUrl?: string; statusMessage?: string; language?: string };

/**
 * Applies the status if `at` is newer than what decided the current one; returns the friend and whether it applied.
 * A profile read with the event is written by the same statement (one write per follow on the worker's hot path).
 */
export async function recordFollowStatus(
  account: Pick<LineAccount, "id" | "shop">,
  lineUserId: string,
  status: FollowStatus,
  at: Date,
  profile: LineProfile | null = null,
): Promise<{ friend: Friend; applied: boolean }> {
  const following = status === "following";
  const now = new Date();
  const rows = await sql<Friend>`
    INSERT INTO "Friend" ("id", "shop", "lineAccountId", "lineUserId", "followStatus", "followStatusAt",
                          "followedAt", "unfollowedAt", "displayName", "pictureUrl", "statusMessage", "language",
                          "createdAt", "updatedAt")
    VALUES (${randomUUID()}, ${account.shop}, ${account.id}, ${lineUserId}, ${status}, ${at},
            ${following ? at : null}, ${following ? null : at}, ${profile?.displayName ?? null},
            ${profile?.pictureUrl ?? null}, ${profile?.statusMessage ?? null}, ${profile?.language ?? null}, ${now}, ${now})
    ON CONFLICT ("lineAccountId", "lineUserId") DO UPDATE SET
      "followStatus" = EXCLUDED."followStatus",
      "followStatusAt" = EXCLUDED."followStatusAt",
      "followedAt" = COALESCE(EXCLUDED."followedAt", "Friend"."followedAt"),
      "unfollowedAt" = COALESCE(EXCLUDED."unfollowedAt", "Friend"."unfollowedAt"),
      "displayName" = CASE WHEN ${profile !== null}::boolean THEN EXCLUDED."displayName" ELSE "Friend"."displayName" END,
      "pictureUrl" = CASE WHEN ${profile !== null}::boolean THEN EXCLUDED."pictureUrl" ELSE "Friend"."pictureUrl" END,
      "statusMessage" = CASE WHEN ${profile !== null}::boolean THEN EXCLUDED."statusMessage" ELSE "Friend"."statusMessage" END,
      "language" = CASE WHEN ${profile !== null}::boolean THEN EXCLUDED."language" ELSE "Friend"."language" END,
      "updatedAt" = ${now}
    WHERE "Friend"."followStatusAt" IS NULL OR "Friend"."followStatusAt" < EXCLUDED."followStatusAt"
       -- the same event again (a retry after a failed greeting): applied again, so the retry finishes its work
       OR ("Friend"."followStatusAt" = EXCLUDED."followStatusAt" AND "Friend"."followStatus" = EXCLUDED."followStatus")
    RETURNING *`;
  if (rows[0]) return { friend: rows[0], applied: true };
  const [friend] = await sql<Friend>`
    SELECT * FROM "Friend" WHERE "lineAccountId" = ${account.id} AND "lineUserId" = ${lineUserId}`;
  return { friend, applied: false };
}

/** The friend a message or postback came from; someone who can write to the account follows it. */
export async function friendOf(account: Pick<LineAccount, "id" | "shop">, lineUserId: string): Promise<Friend> {
  await db.friend.createMany({
    data: [{ shop: account.shop, lineAccountId: account.id, lineUserId, followStatus: "following" }],
    skipDuplicates: true,
  });
  return db.friend.findUniqueOrThrow({ where: { lineAccountId_lineUserId: { lineAccountId: account.id, lineUserId } } });
}
