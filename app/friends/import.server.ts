// Friends from LINE's side: importing an account's existing followers, and refreshing one friend's profile.
// Failures come back as i18n keys (app/i18n/friends.ts) with LINE's own message as detail.
import { HTTPFetchError } from "@line/bot-sdk";
import { db } from "../db.server";
import { callLine, lineErrorMessage } from "../line/client.server";

const FOLLOWERS_PAGE = 1000; // LINE's maximum for GET /v2/bot/followers/ids

export type ImportProgress = { imported: number; existing: number };

export type ImportResult = ImportProgress | ({ reason: string; detail?: string } & ImportProgress);

/**
 * Creates a friend for every follower the shop does not know yet. Only user ids: fetching profiles would be one
 * call per friend, so names arrive with their next event or a "refresh profile". Safe to run again.
 * `onPage` hears the running totals after each stored page; what it throws ends the import and is thrown on.
 */
export async function importFollowers(
  shop: string,
  lineAccountId: string,
  options: { onPage?: (progress: ImportProgress) => Promise<void> } = {},
): Promise<ImportResult> {
  const account = await db.lineAccount.findFirst({ where: { id: lineAccountId, shop } });
  if (!account) return { reason: "friends.import.error.notFound", imported: 0, existing: 0 };
  if (account.status !== "connected") return { reason: "friends.import.error.disconnected", imported: 0, existing: 0 };

  // The list is a snapshot of now: it outranks follow/unfollow events older than the import, not newer ones.
  const startedAt = new Date();
  let imported = 0;
  let existing = 0;
  let start: string | undefined;
  do {
    let page: { userIds: string[]; next?: string };
    try {
      page = await callLine(account, ({ messaging }) => messaging.getFollowers(start, FOLLOWERS_PAGE));
    } catch (error) {
      // LINE answers 403 unless the account is verified or premium; the others' friends appear when they interact.
      if (error instanceof HTTPFetchError && error.status === 403) {
        return { reason: "friends.import.error.forbidden", detail: lineErrorMessage(error), imported, existing };
      }
      return { reason: "friends.import.error.line", detail: lineErrorMessage(error), imported, existing };
    }
    const { count } = await db.friend.createMany({
      data: page.userIds.map((lineUserId) => ({
        shop,
        lineAccountId: account.id,
        lineUserId,
        followStatus: "following",
        followStatusAt: startedAt,
        source: "import",
      })),
      skipDuplicates: true,
    });
    await db.friend.updateMany({
      where: {
        shop,
        lineAccountId: account.id,
        lineUserId: { in: page.userIds },
        followStatus: { not: "following" },
        OR: [{ followStatusAt: null }, { followStatusAt: { lt: startedAt } }],
      },
      data: { followStatus: "following", followStatusAt: startedAt },
    });
    imported += count;
    existing += page.userIds.length - count;
    await options.onPage?.({ imported, existing });
    start = page.next;
  } while (start);
  return { imported, existing };
}

/** Fetches the friend's LINE profile (name, picture, status message, language) and stores it. */
export async function refreshProfile(shop: string, friendId: string): Promise<{ ok: true } | { reason: string; detail?: string }> {
  const friend = await db.friend.findFirst({ where: { id: friendId, shop }, include: { lineAccount: true } });
  if (!friend) return { reason: "friends.profile.error.notFound" };
  if (friend.lineAccount.status !== "connected") return { reason: "friends.import.error.disconnected" };
  try {
    const profile = await callLine(friend.lineAccount, ({ messaging }) => messaging.getProfile(friend.lineUserId));
    await db.friend.update({
      where: { id: friend.id, shop },
      data: {
        displayName: profile.displayName,
        pictureUrl: profile.pictureUrl ?? null,
        statusMessage: profile.statusMessage ?? null,
        language: profile.language ?? null,
      },
    });
    return { ok: true };
  } catch (error) {
    // 404: the user blocked the account or never added it; LINE then shows no profile.
    if (error instanceof HTTPFetchError && error.status === 404) {
      return { reason: "friends.profile.error.unavailable", detail: lineErrorMessage(error) };
    }
    return { reason: "friends.import.error.line", detail: lineErrorMessage(error) };
  }
}
