// A disconnect removes what the app set up at LINE: the per-friend links it made (bulk unlink of the friends it
// linked — links made by the merchant's other tools are theirs), the default menu, the aliases and the menus it
// created. LINE's hourly limits (delete 100 an hour) or an error can leave some behind: they are counted, kept on
// their rows (not marked deleted) and the merchant is told what is left to remove in LINE Official Account Manager.
import type { LineAccount } from "@prisma/client";
import { db, sql } from "../db.server";
import { callLine, lineErrorMessage } from "../line/client.server";
import { logger } from "../logger.server";
import { linkUsers, deleteAlias } from "./sync.server";
import { takeSlot } from "./rate.server";
import { HTTPFetchError } from "@line/bot-sdk";

export type CleanupResult = {
  /** An i18n key for the accounts page: all removed, or some left (with `left` items). */
  key: "richMenus.cleanup.done" | "richMenus.cleanup.partial";
  left: number;
  /** Always shown: menus made in LINE Official Account Manager are not visible to the app. */
  managerKey: "richMenus.cleanup.managerMenus";
  unlinked: number;
  deletedMenus: number;
  deletedAliases: number;
};

export async function cleanUpRichMenus(account: LineAccount): Promise<CleanupResult> {
  let left = 0;
  let unlinked = 0;
  // Friends the app linked: unlinked in bulk (500 a call).
  const linked = await sql<{ friendId: string; lineUserId: string }>`
    SELECT s."friendId", f."lineUserId" FROM "FriendRichMenu" s JOIN "Friend" f ON f.id = s."friendId"
    WHERE s."lineAccountId" = ${account.id} AND s."linkedLineMenuId" IS NOT NULL`;
  try {
    if (linked.length) await linkUsers(account, null, linked.map((l) => l.lineUserId));
    unlinked = linked.length;
  } catch (error) {
    // Deleting the menus below unlinks them at LINE anyway.
    logger.warn("rich-menu unlink on disconnect failed", { accountId: account.id, error: lineErrorMessage(error) });
  }
  await db.friendRichMenu.updateMany({
    where: { lineAccountId: account.id, shop: account.shop },
    data: { linkedLineMenuId: null, richMenuId: null, dirtyAt: null, reason: null },
  });

  const versions = await db.richMenuVersion.findMany({
    where: { lineAccountId: account.id, shop: account.shop, lineRichMenuId: { not: null }, status: { not: "deleted" } },
  });
  if (versions.some((v) => (v.migration as { defaultApplied?: boolean } | null)?.defaultApplied)) {
    try {
      await callLine(account, ({ messaging }) => messaging.cancelDefaultRichMenu());
    } catch (error) {
      left++;
      logger.warn("rich-menu default not cancelled on disconnect", { accountId: account.id, error: lineErrorMessage(error) });
    }
  }

  let deletedAliases = 0;
  for (const alias of await db.richMenuAlias.findMany({ where: { lineAccountId: account.id, shop: account.shop } })) {
    if (!(await takeSlot(account.id, "deleteAlias")).ok) {
      left++;
      continue;
    }
    try {
      await deleteAlias(account, alias.aliasId);
      await db.richMenuAlias.deleteMany({ where: { aliasId: alias.aliasId, shop: account.shop } });
      deletedAliases++;
    } catch {
      left++;
    }
  }

  let deletedMenus = 0;
  for (const version of versions) {
    if (!(await takeSlot(account.id, "delete")).ok) {
      left++;
      continue;
    }
    try {
      await callLine(account, ({ messaging }) => messaging.deleteRichMenu(version.lineRichMenuId!));
    } catch (error) {
      if (!(error instanceof HTTPFetchError && error.status === 404)) {
        left++;
        logger.warn("rich menu not deleted on disconnect", { accountId: account.id, error: lineErrorMessage(error) });
        continue;
      }
    }
    await db.richMenuVersion.updateMany({
      where: { id: version.id, shop: account.shop },
      data: { status: "deleted", deletedAt: new Date(), migration: { step: "done", removedOnDisconnect: true } },
    });
    deletedMenus++;
  }
  // Publishes in progress stop here (their job finds the account disconnected).
  await db.richMenuVersion.updateMany({
    where: { lineAccountId: account.id, shop: account.shop, status: { in: ["creating", "imageUploaded"] }, lineRichMenuId: null },
    data: { status: "failed", failedReason: "account disconnected" },
  });
  return {
    key: left ? "richMenus.cleanup.partial" : "richMenus.cleanup.done",
    left,
    managerKey: "richMenus.cleanup.managerMenus",
    unlinked,
    deletedMenus,
    deletedAliases,
  };
}
