// Which LINE friend a Shopify checkout belongs to: the browser's cart linked through LIFF first (it names the
// exact browser), then the logged-in customer linked to a friend.
import type { Friend } from "@prisma/client";
import { db } from "../db.server";

export type CheckoutRef = {
  cart_token?: string | null;
  customer?: { id?: number | string | null } | null;
};

export type CheckoutMatch = { friend: Friend; by: "cart" | "customer" } | null;

export async function findFriendForCheckout(shop: string, checkout: CheckoutRef, lineAccountId?: string): Promise<CheckoutMatch> {
  const account = lineAccountId ? { lineAccountId } : {};
  if (checkout.cart_token) {
    const link = await db.cartLink.findFirst({
      where: { shop, cartToken: checkout.cart_token, ...account },
      include: { friend: true },
      orderBy: { updatedAt: "desc" },
    });
    if (link) return { friend: link.friend, by: "cart" };
  }
  const customerId = checkout.customer?.id;
  if (customerId !== undefined && customerId !== null && String(customerId) !== "") {
    // A customer may be linked on several accounts or from several LINE users: prefer a following friend,
    // then the most recently updated link.
    const friends = await db.friend.findMany({
      where: { shop, shopifyCustomerId: String(customerId), ...account },
      orderBy: { updatedAt: "desc" },
    });
    const friend = friends.find((candidate) => candidate.followStatus === "following") ?? friends[0];
    if (friend) return { friend, by: "customer" };
  }
  return null;
}
