// GET /t/:code for an action link: count the tap, find out which friend tapped, apply the link's actions to that
// friend (tags through the one friend-changed path, with source "link"; the menu through the rich-menu engine),
// then send them on to the target. The friend is named by the per-recipient token a push appended (`?f=`), or,
// for a link shared anywhere else, by LINE itself through the account's LIFF login (the intent carries the link).
import type { ActionLink, Friend } from "@prisma/client";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { createIntent, liffUrl } from "../storefront/intents.server";
import { withinLimit } from "../storefront/rate-limit.server";
import { addTagToFriend, removeTagFromFriend } from "../tags/tags.server";
import { storedActions } from "./action-links.server";
import { verifyFriendToken } from "./friend-token.server";
import { switchFriendMenu } from "./switch-menu.server";

type Outcome = { location: string } | { status: number; message: string };

const GONE = { status: 404, message: "このリンクは無効です。 / This link is no longer valid." };

/** Applies the link's actions to a friend of its account; false when the friend is not one. Idempotent. */
export async function applyLinkActions(link: ActionLink, friend: Pick<Friend, "id" | "shop" | "lineAccountId">) {
  if (friend.shop !== link.shop || friend.lineAccountId !== link.lineAccountId) return false;
  const actions = storedActions(link.actions);
  // One by one, each scoped to the shop: a tag id of another shop is not found and changes nothing.
  for (const tagId of actions.addTagIds) await addTagToFriend(link.shop, friend.id, tagId, "link");
  for (const tagId of actions.removeTagIds) await removeTagFromFriend(link.shop, friend.id, tagId, "link");
  if (actions.richMenuId) await switchFriendMenu(link.shop, friend.id, actions.richMenuId);
  await db.linkClick.create({ data: { shop: link.shop, friendId: friend.id, kind: "action-link", sourceId: link.id } });
  return true;
}

/** The answer for an action link's code; null when the code is not an action link's. `client`: the address key. */
export async function followActionLink(code: string, url: URL, client: string): Promise<Outcome | null> {
  const link = await db.actionLink.findUnique({ where: { code } });
  if (!link) return null;
  const account = await db.lineAccount.findFirst({ where: { id: link.lineAccountId, shop: link.shop } });
  if (link.archivedAt || !account || account.status !== "connected") return GONE;
  if (!(await withinLimit("action-link", client, 60, 60))) {
    return { status: 429, message: "しばらくしてから再度お試しください。 / Please try again in a minute." };
  }
  await db.actionLink.updateMany({ where: { id: link.id, shop: link.shop }, data: { clicks: { increment: 1 } } });

  const friendId = verifyFriendToken(link.code, url.searchParams.get("f"));
  const friend = friendId
    ? await db.friend.findFirst({ where: { id: friendId, shop: link.shop, lineAccountId: link.lineAccountId } })
    : null;
  if (friend) {
    await applyLinkActions(link, friend);
    return { location: link.targetUrl };
  }
  // No token, or one that is not valid for this link: only LINE's own login can say who this is.
  if (account.liffId && account.loginChannelId) {
    const intent = await createIntent({ shop: link.shop, lineAccountId: account.id, actionLinkId: link.id });
    return { location: liffUrl(account.liffId, intent.id) };
  }
  logger.info("action link tapped by an unknown visitor (no LIFF app)", { shop: link.shop, actionLinkId: link.id });
  return { location: link.targetUrl };
}
