// The end of the LIFF flow: LINE vouches for the user (ID token), the intent vouches for the shop, customer and
// cart (Shopify signed them). Only then is the friend linked to the customer and to this browser's cart.
import type { Friend, LineAccount } from "@prisma/client";
import { enqueueCustomerTag } from "../../jobs/queues";
import { applyLinkActions } from "../action-links/tap.server";
import { db } from "../db.server";
import { friendsChanged } from "../friends/changes.server";
import { logger } from "../logger.server";
import { recordPendingSources } from "../sources/sources.server";
import { verifyIdToken } from "./id-token.server";
import { consumeIntent, intentError } from "./intents.server";
import { clearLiffProblem } from "./liff-problems.server";
import { withinLimit } from "./rate-limit.server";

/** LINE verify calls per account and minute: far above real shoppers, well below what LINE would refuse. */
export const ACCOUNT_VERIFY_BUDGET = 600;

export type LinkError =
  | "account-unavailable"
  | "id-token-rejected"
  | "line-unavailable"
  | "intent-unknown"
  | "intent-expired"
  | "intent-used"
  | "rate-limited";

export type LinkResult =
  /** `redirect`: go on to `returnUrl` at once (an action link's target), rather than show the linked page. */
  | { linked: true; isFriend: boolean; friendAddUrl: string | null; returnUrl: string | null; redirect?: boolean }
  | { linked: false; error: LinkError };

export async function linkShopper(account: LineAccount, intentId: string, idToken: string): Promise<LinkResult> {
  if (account.status !== "connected" || !account.loginChannelId) return { linked: false, error: "account-unavailable" };
  // Junk (an unknown, used or expired intent) is answered from the database: only a request with a live intent
  // of this account costs a LINE verify call, and only those count against the account's budget of such calls.
  const unusable = await intentError(intentId, account.id);
  if (unusable) return { linked: false, error: unusable };
  if (!(await withinLimit("liff-link-account", account.id, ACCOUNT_VERIFY_BUDGET, 60))) {
    return { linked: false, error: "rate-limited" };
  }
  // Verify before consuming: a rejected token must not burn the shopper's intent.
  const verified = await verifyIdToken(idToken, account.loginChannelId);
  if ("error" in verified) {
    logger.info("LIFF link refused", { accountId: account.id, reason: verified.error, detail: verified.detail });
    return { linked: false, error: verified.error };
  }
  const consumed = await consumeIntent(intentId, account.id);
  if ("error" in consumed) return { linked: false, error: consumed.error };
  const { intent } = consumed;
  // LINE vouched for a shopper through this LIFF app: whatever the page reported to the merchant is fixed.
  await clearLiffProblem(account);

  const friend = await linkedFriend(account, verified.token.sub, verified.token.name, intent.customerId);
  if (intent.cartToken) {
    await db.cartLink.upsert({
      where: { lineAccountId_cartToken: { lineAccountId: account.id, cartToken: intent.cartToken } },
      create: { shop: account.shop, lineAccountId: account.id, friendId: friend.id, cartToken: intent.cartToken },
      update: { friendId: friend.id },
    });
  }
  await db.linkIntent.update({ where: { id: intent.id, shop: account.shop }, data: { friendId: friend.id } });
  if (intent.trackingClickId) {
    await db.trackingClick.updateMany({
      where: { id: intent.trackingClickId, shop: account.shop },
      data: { friendId: friend.id, linkedAt: new Date() },
    });
    if (friend.followStatus === "following") await recordPendingSources(friend);
  }
  if (intent.actionLinkId) {
    const target = await followedActionLink(account, intent.actionLinkId, friend);
    if (target) return { linked: true, isFriend: friend.followStatus === "following", friendAddUrl: account.friendAddUrl, returnUrl: target, redirect: true };
  }
  if (intent.customerId) {
    // The Admin API call runs in the worker; the shopper does not wait for it.
    await enqueueCustomerTag(account.shop, intent.customerId).catch((error: Error) =>
      logger.warn("customer tag not queued", { shop: account.shop, error: error.message }),
    );
  }
  return {
    linked: true,
    isFriend: friend.followStatus === "following",
    friendAddUrl: account.friendAddUrl,
    returnUrl: intent.returnPath ? `https://${account.shop}${intent.returnPath}` : `https://${account.shop}/`,
  };
}

/** An action link's actions applied to the friend LINE named; its target, or null when the link is gone. */
async function followedActionLink(account: LineAccount, actionLinkId: string, friend: Friend) {
  const link = await db.actionLink.findFirst({ where: { id: actionLinkId, shop: account.shop, lineAccountId: account.id, archivedAt: null } });
  if (!link) return null;
  await applyLinkActions(link, friend);
  return link.targetUrl;
}

/** The friend for the verified LINE user, created as "not yet a friend" if LINE has not told us of a follow. */
async function linkedFriend(account: LineAccount, lineUserId: string, name: string | undefined, customerId: string | null): Promise<Friend> {
  await db.friend.createMany({
    data: [{ shop: account.shop, lineAccountId: account.id, lineUserId, followStatus: "unknown", displayName: name ?? null }],
    skipDuplicates: true,
  });
  const where = { lineAccountId_lineUserId: { lineAccountId: account.id, lineUserId } };
  if (!customerId) return db.friend.findUniqueOrThrow({ where });
  const { count } = await db.friend.updateMany({
    where: { lineAccountId: account.id, lineUserId, OR: [{ shopifyCustomerId: null }, { shopifyCustomerId: { not: customerId } }] },
    data: { shopifyCustomerId: customerId },
  });
  const friend = await db.friend.findUniqueOrThrow({ where });
  // Announced only when the link is new or changed: linking again as the same customer changes nothing.
  if (count) await friendsChanged(account.shop, [friend.id], { type: "linked", customerId });
  return friend;
}
