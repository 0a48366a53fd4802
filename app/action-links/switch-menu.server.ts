// An action link's "switch the menu": the friend is linked at LINE to the live version of the menu (one call, through
// the rich-menu engine's linkUsers), and FriendRichMenu records the LINE menu linked, so the engine's sync knows
// what the friend has: the switch holds until the friend's tags next change, when the rules decide again.
import { db } from "../db.server";
import { lineErrorMessage } from "../line/client.server";
import { logger } from "../logger.server";
import { linkUsers } from "../rich-menus/sync.server";

export type SwitchOutcome = "linked" | "not-live" | "skipped" | "failed";

export async function switchFriendMenu(shop: string, friendId: string, richMenuId: string): Promise<SwitchOutcome> {
  const friend = await db.friend.findFirst({ where: { id: friendId, shop }, include: { lineAccount: true } });
  // LINE links menus to friends only; blocked and staff-blocked friends are left alone, as the sync leaves them.
  if (!friend || friend.followStatus !== "following" || friend.operatorBlockedAt || friend.lineAccount.status !== "connected") return "skipped";
  const version = await db.richMenuVersion.findFirst({
    where: { richMenuId, shop, lineAccountId: friend.lineAccountId, status: "live", lineRichMenuId: { not: null }, richMenu: { archivedAt: null } },
    orderBy: { liveAt: "desc" },
    select: { lineRichMenuId: true },
  });
  if (!version?.lineRichMenuId) return "not-live";
  try {
    await linkUsers(friend.lineAccount, version.lineRichMenuId, [friend.lineUserId]);
  } catch (error) {
    // The tap still goes on to its page; the tags were applied and the rules' menu stays.
    logger.warn("action link menu switch failed", { shop, friendId, error: lineErrorMessage(error) });
    return "failed";
  }
  const now = new Date();
  await db.friendRichMenu.createMany({
    data: [{ friendId, shop, lineAccountId: friend.lineAccountId, linkedLineMenuId: version.lineRichMenuId, linkedAt: now }],
    skipDuplicates: true,
  });
  await db.friendRichMenu.updateMany({ where: { friendId, shop }, data: { linkedLineMenuId: version.lineRichMenuId, linkedAt: now } });
  return "linked";
}
