// Profiles of imported followers: the follower import stores only LINE user ids, so names and pictures are missing
// until the friend interacts. "Fetch profiles" queues a job per account that asks LINE's get-profile for each of
// them, a few at a time. LINE answers 404 for users who did not consent (or are not friends): those are marked and
// not asked again by this job. Rate limits and LINE's own failures end the job with an error, so BullMQ retries it
// later; profiles already stored are not asked again.
import { HTTPFetchError } from "@line/bot-sdk";
import { enqueueProfileFetch } from "../../jobs/queues";
import { db } from "../db.server";
import { errorFields, logger } from "../logger.server";
import { callLine, classifyLineError } from "../line/client.server";

/** Friends asked at once; LINE allows 2,000 get-profile requests a second per channel, far above this. */
export const PROFILE_CONCURRENCY = 5;
const PROFILE_BATCH = 100;

/** A friend whose profile the job would fetch: following, no name yet, and LINE did not answer 404 before. */
const missingWhere = (shop: string, lineAccountId?: string) => ({
  shop,
  ...(lineAccountId ? { lineAccountId } : {}),
  displayName: null,
  followStatus: "following",
  profileUnavailableAt: null,
});

/** How many of the shop's friends have no profile yet (and could have one). */
export function countMissingProfiles(shop: string) {
  return db.friend.count({ where: missingWhere(shop) });
}

/** Queues a fetch for each connected account of the shop that has friends without a profile; how many accounts. */
export async function startProfileFetch(shop: string): Promise<{ accounts: number; friends: number } | { error: string }> {
  const accounts = await db.lineAccount.findMany({ where: { shop, status: "connected" }, select: { id: true } });
  let queued = 0;
  let friends = 0;
  for (const account of accounts) {
    const missing = await db.friend.count({ where: missingWhere(shop, account.id) });
    if (!missing) continue;
    try {
      await enqueueProfileFetch(account.id);
    } catch (error) {
      logger.warn("could not queue a profile fetch", { lineAccountId: account.id, ...errorFields(error) });
      return { error: "friends.import.error.queue" };
    }
    queued += 1;
    friends += missing;
  }
  return { accounts: queued, friends };
}

export type ProfileFetchResult = { fetched: number; unavailable: number; skipped?: string };

/**
 * The worker's side, for one account: fetches every missing profile, PROFILE_BATCH friends at a time. Throws on a
 * rate limit, a server error or a timeout (the job retries; what was stored stays).
 */
export async function fetchMissingProfiles(lineAccountId: string): Promise<ProfileFetchResult> {
  const account = await db.lineAccount.findUnique({ where: { id: lineAccountId } });
  if (!account) return { fetched: 0, unavailable: 0, skipped: "account-gone" };
  if (account.status !== "connected") return { fetched: 0, unavailable: 0, skipped: "disconnected" };
  let fetched = 0;
  let unavailable = 0;
  let after = "";
  for (;;) {
    const batch = await db.friend.findMany({
      where: { ...missingWhere(account.shop, account.id), id: { gt: after } },
      orderBy: { id: "asc" },
      take: PROFILE_BATCH,
      select: { id: true, lineUserId: true },
    });
    if (!batch.length) break;
    after = batch.at(-1)!.id;
    for (let i = 0; i < batch.length; i += PROFILE_CONCURRENCY) {
      const outcomes = await Promise.allSettled(
        batch.slice(i, i + PROFILE_CONCURRENCY).map(async (friend) => {
          try {
            const profile = await callLine(account, ({ messaging }) => messaging.getProfile(friend.lineUserId));
            await db.friend.updateMany({
              where: { id: friend.id, shop: account.shop },
              data: {
                displayName: profile.displayName,
                pictureUrl: profile.pictureUrl ?? null,
                statusMessage: profile.statusMessage ?? null,
                language: profile.language ?? null,
                profileUnavailableAt: null,
              },
            });
            return "fetched" as const;
          } catch (error) {
            // 404: no consent, blocked, or not a friend. Marked, so this job never asks again.
            if (error instanceof HTTPFetchError && error.status === 404) {
              await db.friend.updateMany({ where: { id: friend.id, shop: account.shop }, data: { profileUnavailableAt: new Date() } });
              return "unavailable" as const;
            }
            throw error;
          }
        }),
      );
      for (const outcome of outcomes) {
        if (outcome.status === "fulfilled") {
          if (outcome.value === "fetched") fetched += 1;
          else unavailable += 1;
        }
      }
      const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === "rejected");
      if (failed) {
        const kind = classifyLineError(failed.reason);
        logger.warn("profile fetch stopped", { lineAccountId, kind, fetched, unavailable, ...errorFields(failed.reason) });
        // 400/403 will not change by retrying: stop without a retry. Rate limits and outages: the job retries.
        if (kind === "permanent") return { fetched, unavailable, skipped: "refused" };
        throw failed.reason;
      }
    }
  }
  return { fetched, unavailable };
}
