// Which LINE friend a Shopify checkout belongs to: the browser's cart linked through LIFF first (it names the
// exact browser), then the logged-in customer linked to a friend.
import type { Friend } from "@prisma/client";
import { sql } from "../db.server";

export type CheckoutRef = {
  cart_token?: string | null;
  customer?: { id?: number | string | null } | null;
};

export type CheckoutMatch = { friend: Friend; by: "cart" | "customer" } | null;

export type AccountMatch = { lineAccountId: string; friend: Friend; by: "cart" | "customer" };
type Ranked = AccountMatch & { rank: number; at: Date };

/**
 * The rule, once: per LINE account of the shop, the friend whose browser cart is linked (the newest link), else a
 * friend linked to the checkout's customer (a following one first, then the most recently updated). One raw
 * statement: it runs for every checkout webhook, and for most checkouts it finds nothing (tests/bench/README.md).
 */
async function bestPerAccount(shop: string, checkout: CheckoutRef, lineAccountId?: string): Promise<Ranked[]> {
  const customerId = checkout.customer?.id;
  const customer = customerId === undefined || customerId === null || String(customerId) === "" ? null : String(customerId);
  if (!checkout.cart_token && !customer) return [];
  const rows = await sql<Friend & { matchedAccount: string; matchedBy: "cart" | "customer"; matchRank: number; matchedAt: Date }>`
    SELECT DISTINCT ON (m.account) m.account AS "matchedAccount", m.by AS "matchedBy", m.rank AS "matchRank", m.at AS "matchedAt", f.*
    FROM (SELECT l."lineAccountId" AS account, l."friendId" AS friend, 'cart' AS by, 0 AS rank, l."updatedAt" AS at
          FROM "CartLink" l WHERE l.shop = ${shop} AND l."cartToken" = ${checkout.cart_token ?? null}
          UNION ALL
          SELECT c."lineAccountId", c.id, 'customer', CASE WHEN c."followStatus" = 'following' THEN 1 ELSE 2 END, c."updatedAt"
          FROM "Friend" c WHERE c.shop = ${shop} AND c."shopifyCustomerId" = ${customer}) m
    JOIN "Friend" f ON f.id = m.friend
    WHERE ${lineAccountId ?? null}::text IS NULL OR m.account = ${lineAccountId ?? null}
    ORDER BY m.account, m.rank, m.at DESC`;
  return rows.map(({ matchedAccount, matchedBy, matchRank, matchedAt, ...friend }) => ({
    lineAccountId: matchedAccount,
    friend,
    by: matchedBy,
    rank: matchRank,
    at: matchedAt,
  }));
}

/** Per account, the friend a checkout belongs to (scheduling: one reminder per matching account). */
export async function findFriendsForCheckout(shop: string, checkout: CheckoutRef): Promise<AccountMatch[]> {
  return (await bestPerAccount(shop, checkout)).map(({ lineAccountId, friend, by }) => ({ lineAccountId, friend, by }));
}

/** The one friend a checkout belongs to, in the given account or in whichever account matches best. */
export async function findFriendForCheckout(shop: string, checkout: CheckoutRef, lineAccountId?: string): Promise<CheckoutMatch> {
  const [best] = (await bestPerAccount(shop, checkout, lineAccountId)).sort(
    (a, b) => a.rank - b.rank || b.at.getTime() - a.at.getTime(),
  );
  return best ? { friend: best.friend, by: best.by } : null;
}
