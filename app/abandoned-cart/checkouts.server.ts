// checkouts/create and checkouts/update: the checkout as Shopify last described it (older deliveries never
// overwrite newer ones), then one reminder per connected account whose cart reminders are on.
import { randomUUID } from "node:crypto";
import { Prisma, type Checkout } from "@prisma/client";
import { sql } from "../db.server";
import { PermanentError } from "../errors";
import { cancelReminders, scheduleReminders } from "./reminders.server";

type LineItemPayload = {
  product_id?: number | string | null;
  variant_id?: number | string | null;
  title?: string | null;
  presentment_title?: string | null;
  variant_title?: string | null;
  presentment_variant_title?: string | null;
  quantity?: number;
  price?: string | number;
};

export type CheckoutPayload = {
  id?: number | string;
  token?: string;
  cart_token?: string | null;
  customer?: { id?: number | string | null } | null;
  currency?: string;
  presentment_currency?: string;
  total_price?: string | number;
  line_items?: LineItemPayload[];
  abandoned_checkout_url?: string | null;
  created_at?: string;
  updated_at?: string;
  completed_at?: string | null;
};

export type StoredLineItem = {
  productId: string | null;
  variantId: string | null;
  title: string;
  variantTitle: string | null;
  quantity: number;
  price: string;
};

const id = (value: number | string | null | undefined) => (value === null || value === undefined || value === "" ? null : String(value));

export function lineItemsOf(payload: CheckoutPayload): StoredLineItem[] {
  return (payload.line_items ?? []).map((item) => ({
    productId: id(item.product_id),
    variantId: id(item.variant_id),
    // Presentment fields are in the shopper's language when Shopify sends them.
    title: item.presentment_title || item.title || "",
    variantTitle: item.presentment_variant_title || item.variant_title || null,
    quantity: Number(item.quantity ?? 1),
    price: String(item.price ?? "0"),
  }));
}

// Raw SQL: every checkouts/* delivery runs these, and each Prisma call costs ~0.7 ms of CPU in its client engine
// (tests/bench/README.md). pg returns Decimal columns as strings; the row is handed on as Prisma's type.
type CheckoutRow = Omit<Checkout, "totalPrice"> & { totalPrice: string };
const asCheckout = (row: CheckoutRow): Checkout => ({ ...row, totalPrice: new Prisma.Decimal(row.totalPrice) });

/** Stores the checkout unless a newer version is already stored; returns the stored row. */
export async function storeCheckout(shop: string, payload: CheckoutPayload): Promise<Checkout> {
  if (!payload.token || !payload.created_at) throw new PermanentError("checkout payload has no token or created_at");
  const token = payload.token;
  const updatedAt = new Date(payload.updated_at ?? payload.created_at);
  const completedAt = payload.completed_at ? new Date(payload.completed_at) : null;
  const cartToken = payload.cart_token ?? null;
  const customerId = id(payload.customer?.id);
  const currency = payload.presentment_currency || payload.currency || "JPY";
  const totalPrice = String(payload.total_price ?? "0");
  const lineItems = JSON.stringify(lineItemsOf(payload));
  const recoveryUrl = payload.abandoned_checkout_url ?? null;
  const now = new Date();

  // A checkout seen for the first time is written from this very payload, and that is all.
  const [inserted] = await sql<CheckoutRow>`
    INSERT INTO "Checkout" ("id", "shop", "token", "cartToken", "customerId", "currency", "totalPrice", "lineItems",
                            "recoveryUrl", "startedAt", "shopifyUpdatedAt", "completedAt", "purchasedAt", "createdAt", "updatedAt")
    VALUES (${randomUUID()}, ${shop}, ${token}, ${cartToken}, ${customerId}, ${currency}, ${totalPrice}::numeric, ${lineItems}::jsonb,
            ${recoveryUrl}, ${new Date(payload.created_at)}, ${updatedAt}, ${completedAt}, ${completedAt}, ${now}, ${now})
    ON CONFLICT ("shop", "token") DO NOTHING
    RETURNING *`;
  if (inserted) return asCheckout(inserted);
  // Only a delivery at least as new as the stored one changes it (retries carry the original payload); a completion
  // counts whichever delivery carries it.
  const [updated] = await sql<CheckoutRow>`
    UPDATE "Checkout" SET "cartToken" = ${cartToken}, "customerId" = ${customerId}, "currency" = ${currency},
      "totalPrice" = ${totalPrice}::numeric, "lineItems" = ${lineItems}::jsonb, "recoveryUrl" = ${recoveryUrl},
      "shopifyUpdatedAt" = ${updatedAt}, "completedAt" = ${completedAt},
      "purchasedAt" = COALESCE("purchasedAt", ${completedAt}::timestamp), "updatedAt" = ${now}
    WHERE "shop" = ${shop} AND "token" = ${token} AND "shopifyUpdatedAt" <= ${updatedAt}
    RETURNING *`;
  if (updated) return asCheckout(updated);
  if (completedAt) {
    await sql`
      UPDATE "Checkout" SET "purchasedAt" = ${completedAt}, "updatedAt" = ${now}
      WHERE "shop" = ${shop} AND "token" = ${token} AND "purchasedAt" IS NULL`;
  }
  const [stored] = await sql<CheckoutRow>`SELECT * FROM "Checkout" WHERE "shop" = ${shop} AND "token" = ${token}`;
  if (!stored) throw new Error(`checkout ${token} vanished while it was stored`); // shop/redact meanwhile
  return asCheckout(stored);
}

export async function handleCheckoutWebhook(shop: string, payload: unknown) {
  const checkout = await storeCheckout(shop, payload as CheckoutPayload);
  if (checkout.purchasedAt) return cancelReminders(checkout.id, "purchased");
  return scheduleReminders(checkout);
}
