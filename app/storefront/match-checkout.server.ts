// Which LINE friend a Shopify checkout belongs to: the browser's cart linked through LIFF first (it names the
// exact browser), then the logged-in customer linked to a friend.
import type { Friend } from "@prisma/client";
import { sql } from "../db.server";

export type CheckoutRef = {
  cart_token?: string | null;
  customer?: { id?: number | string | null } | null;
};

export type CheckoutMatch = { friend: Friend; by: "cart" | "customer" } | null;

// Raw statements: this runs for every checkout webhook of a linked shopper (tests/bench/README.md).
export async function findFriendForCheckout(shop: string, checkout: CheckoutRef, lineAccountId?: string): Promise<CheckoutMatch> {
  const account = lineAccountId ?? null;
  if (checkout.cart_token) {
    const [friend] = await sql<Friend>`
      SELECT f.* FROM "CartLink" l JOIN "Friend" f ON f.id = l."friendId"
      WHERE l.shop = ${shop} AND l."cartToken" = ${checkout.cart_token} AND (${account}::text IS NULL OR l."lineAccountId" = ${account})
      ORDER BY l."updatedAt" DESC LIMIT 1`;
    if (friend) return { friend, by: "cart" };
  }
  const customerId = checkout.customer?.id;
  if (customerId !== undefined && customerId !== null && String(customerId) !== "") {
    // A customer may be linked on several accounts or from several LINE users: prefer a following friend,
    // then the most recently updated link.
    const [friend] = await sql<Friend>`
      SELECT * FROM "Friend"
      WHERE shop = ${shop} AND "shopifyCustomerId" = ${String(customerId)} AND (${account}::text IS NULL OR "lineAccountId" = ${account})
      ORDER BY ("followStatus" = 'following') DESC, "updatedAt" DESC LIMIT 1`;
    if (friend) return { friend, by: "customer" };
  }
  return null;
}
