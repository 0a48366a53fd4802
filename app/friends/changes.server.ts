// The one "friend changed" path. Whatever changes a friend — a tag added by hand, a postback, a broadcast, a step,
// a form or a link; a follow, a block, a staff block, a link to a Shopify customer, an order — the change is
// announced here once, after it is stored, and every capability that reacts to friends (step-scenario triggers and
// exits, rich-menu rules, customer-tag mirroring) listens here. So every source of a change behaves the same.
//
// Listeners must be idempotent (a retried job announces the same change again) and cheap: they record or enqueue
// work set-based for all the friends at once, they never call LINE or the Admin API themselves.
import { logger } from "../logger.server";

export type FriendChange =
  | { type: "tagsAdded"; tagIds: string[]; source: string }
  | { type: "tagsRemoved"; tagIds: string[]; source: string }
  /**
   * A follow event that set the status (announced again if a retry applies the same event: key work on `eventId`);
   * `refollow` when the friend had blocked the account before.
   */
  | { type: "followed"; refollow: boolean; eventId: string }
  /** The friend blocked the account (unfollow). */
  | { type: "blocked" }
  | { type: "staffBlocked" }
  | { type: "linked"; customerId: string }
  /** An order of the friend's linked customer; `first` when it is the customer's first order the app knows of. */
  | { type: "ordered"; orderId: string; first: boolean };
// Announced again by a retried job: a listener makes its work idempotent (unique rows, ids in the change).

export type FriendChangeListener = (shop: string, friendIds: string[], change: FriendChange) => Promise<unknown>;

const listeners: { name: string; listener: FriendChangeListener }[] = [];

/** Called once per capability at module load (app/friends/listeners.server.ts imports them all). */
export function onFriendChange(name: string, listener: FriendChangeListener) {
  if (!listeners.some((entry) => entry.name === name)) listeners.push({ name, listener });
}

/**
 * Announces a stored change of `friendIds` (all of `shop`). Every listener runs; the first failure is rethrown after
 * the others ran, so the caller's job retries and the listeners that succeeded see the same change again.
 */
export async function friendsChanged(shop: string, friendIds: string[], change: FriendChange) {
  const ids = [...new Set(friendIds)];
  if (!ids.length) return;
  if ((change.type === "tagsAdded" || change.type === "tagsRemoved") && !change.tagIds.length) return;
  await import("./listeners.server");
  let failure: unknown = null;
  for (const { name, listener } of listeners) {
    try {
      await listener(shop, ids, change);
    } catch (error) {
      logger.error("friend change listener failed", { shop, listener: name, change: change.type, error: (error as Error).message });
      failure ??= error;
    }
  }
  if (failure) throw failure;
}
