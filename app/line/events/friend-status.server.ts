// A friend's follow status, decided by event time: LINE may redeliver late and out of order, so an event
// older than the one that set the current status changes nothing.
import { randomUUID } from "node:crypto";
import type { Friend, LineAccount } from "@prisma/client";
import { db, sql } from "../../db.server";

export type FollowStatus = "following" | "blocked";

/** Applies the status if `at` is newer than what decided the current one; returns the friend and whether it applied. */
export async function recordFollowStatus(
  account: Pick<LineAccount, "id" | "shop">,
  lineUserId: string,
  status: FollowStatus,
  at: Date,
): Promise<{ friend: Friend; applied: boolean }> {
  const following = status === "following";
  const rows = await sql<Friend>`
    INSERT INTO "Friend" ("id", "shop", "lineAccountId", "lineUserId", "followStatus", "followStatusAt",
                          "followedAt", "unfollowedAt", "createdAt", "updatedAt")
    VALUES (${randomUUID()}, ${account.shop}, ${account.id}, ${lineUserId}, ${status}, ${at},
            ${following ? at : null}, ${following ? null : at}, now(), now())
    ON CONFLICT ("lineAccountId", "lineUserId") DO UPDATE SET
      "followStatus" = EXCLUDED."followStatus",
      "followStatusAt" = EXCLUDED."followStatusAt",
      "followedAt" = COALESCE(EXCLUDED."followedAt", "Friend"."followedAt"),
      "unfollowedAt" = COALESCE(EXCLUDED."unfollowedAt", "Friend"."unfollowedAt"),
      "updatedAt" = now()
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
