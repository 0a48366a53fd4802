// The store of Shopify customers and orders: one writer for webhooks, the import and the bulk import.
// Raw SQL through `sql`: every orders/* and customers/* webhook runs these (the orders/create figures must be
// current within a second), and each is one statement, so a half-written order or customer cannot exist.
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { db, sql } from "../db.server";
import type { CustomerData, OrderData } from "./payloads";

/**
 * Writes the customer when a friend of the shop is linked to them (else nothing: only linked customers are kept),
 * unless what is stored is newer (Shopify's updated_at). True when the row now holds this data.
 */
export async function storeCustomer(shop: string, c: CustomerData): Promise<boolean> {
  const now = new Date();
  const rows = await sql<{ applied: boolean }>`
    INSERT INTO "Customer" ("id", "shop", "customerId", "firstName", "lastName", "displayName", "hasEmail", "hasPhone",
      "tags", "emailMarketing", "smsMarketing", "countryCode", "provinceCode", "shopifyUpdatedAt", "createdAt", "updatedAt")
    SELECT ${randomUUID()}, ${shop}, ${c.customerId}, ${c.firstName}, ${c.lastName}, ${c.displayName}, ${c.hasEmail},
      ${c.hasPhone}, ${c.tags}::text[], ${c.emailMarketing}, ${c.smsMarketing}, ${c.countryCode}, ${c.provinceCode},
      ${c.updatedAt}::timestamp, ${now}, ${now}
    WHERE EXISTS (SELECT 1 FROM "Friend" f WHERE f."shop" = ${shop} AND f."shopifyCustomerId" = ${c.customerId})
    ON CONFLICT ("shop", "customerId") DO UPDATE SET
      "firstName" = EXCLUDED."firstName", "lastName" = EXCLUDED."lastName", "displayName" = EXCLUDED."displayName",
      "hasEmail" = EXCLUDED."hasEmail", "hasPhone" = EXCLUDED."hasPhone", "tags" = EXCLUDED."tags",
      "emailMarketing" = EXCLUDED."emailMarketing", "smsMarketing" = EXCLUDED."smsMarketing",
      "countryCode" = EXCLUDED."countryCode", "provinceCode" = EXCLUDED."provinceCode",
      "shopifyUpdatedAt" = EXCLUDED."shopifyUpdatedAt", "updatedAt" = EXCLUDED."updatedAt"
    WHERE "Customer"."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= "Customer"."shopifyUpdatedAt"
    RETURNING TRUE AS applied`;
  return rows.length > 0;
}

/**
 * The customer's row, created "pending" (to be imported) when a friend of the shop is linked to them; null when
 * none is. `created` when this call made it.
 */
export async function ensureCustomer(shop: string, customerId: string): Promise<{ importStatus: string; created: boolean } | null> {
  const now = new Date();
  const [created] = await sql`
    INSERT INTO "Customer" ("id", "shop", "customerId", "createdAt", "updatedAt")
    SELECT ${randomUUID()}, ${shop}, ${customerId}, ${now}, ${now}
    WHERE EXISTS (SELECT 1 FROM "Friend" f WHERE f."shop" = ${shop} AND f."shopifyCustomerId" = ${customerId})
    ON CONFLICT ("shop", "customerId") DO NOTHING
    RETURNING 1`;
  if (created) return { importStatus: "pending", created: true };
  const [row] = await sql<{ importStatus: string }>`
    SELECT "importStatus" FROM "Customer" WHERE "shop" = ${shop} AND "customerId" = ${customerId}`;
  return row ? { importStatus: row.importStatus, created: false } : null;
}

export type StoredOrder = { id: string; customerId: string | null; applied: boolean };

/**
 * Inserts or updates the order. Its columns change only when this data is as new as what is stored (Shopify's
 * updated_at; a row stored without one, before the orders/* webhooks filled it, takes any data), so an older
 * delivery never regresses it; refunds are merged by refund id whatever the order of
 * arrival (a refund is never undone). Lines are rewritten with the order, and kept only for linked customers
 * (a customer row exists): an unlinked buyer's order is kept for cart recovery and UTM attribution alone.
 */
export async function storeOrder(shop: string, o: OrderData): Promise<StoredOrder> {
  const now = new Date();
  const refunded = sumAmounts(Object.values(o.refunds));
  const [row] = await sql<StoredOrder>`
    WITH saved AS (
      INSERT INTO "Order" AS o ("id", "shop", "orderId", "name", "customerId", "checkoutToken", "cartToken", "currency",
        "totalPrice", "processedAt", "financialStatus", "fulfillmentStatus", "cancelledAt", "refunded", "refunds",
        "landingSite", "utmSource", "utmMedium", "utmCampaign", "discountCodes", "shopifyUpdatedAt", "createdAt")
      VALUES (${randomUUID()}, ${shop}, ${o.orderId}, ${o.name}, ${o.customerId}, ${o.checkoutToken}, ${o.cartToken},
        ${o.currency}, ${o.totalPrice}::numeric, ${o.processedAt}::timestamp, ${o.financialStatus}, ${o.fulfillmentStatus},
        ${o.cancelledAt}::timestamp, ${refunded}::numeric, ${JSON.stringify(o.refunds)}::jsonb, ${o.landingSite},
        ${o.utmSource}, ${o.utmMedium}, ${o.utmCampaign}, ${o.discountCodes}::text[], ${o.updatedAt}::timestamp, ${now})
      ON CONFLICT ("shop", "orderId") DO UPDATE SET
        "refunds" = o."refunds" || EXCLUDED."refunds",
        "refunded" = (SELECT COALESCE(sum(e.value::numeric), 0) FROM jsonb_each_text(o."refunds" || EXCLUDED."refunds") e),
        "checkoutToken" = COALESCE(o."checkoutToken", EXCLUDED."checkoutToken"),
        "cartToken" = COALESCE(o."cartToken", EXCLUDED."cartToken"),
        "name" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN EXCLUDED."name" ELSE o."name" END,
        "customerId" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN COALESCE(EXCLUDED."customerId", o."customerId") ELSE o."customerId" END,
        "currency" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN EXCLUDED."currency" ELSE o."currency" END,
        "totalPrice" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN EXCLUDED."totalPrice" ELSE o."totalPrice" END,
        "processedAt" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN EXCLUDED."processedAt" ELSE o."processedAt" END,
        "financialStatus" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN COALESCE(EXCLUDED."financialStatus", o."financialStatus") ELSE o."financialStatus" END,
        "fulfillmentStatus" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN COALESCE(EXCLUDED."fulfillmentStatus", o."fulfillmentStatus") ELSE o."fulfillmentStatus" END,
        "cancelledAt" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN EXCLUDED."cancelledAt" ELSE o."cancelledAt" END,
        "landingSite" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN COALESCE(EXCLUDED."landingSite", o."landingSite") ELSE o."landingSite" END,
        "utmSource" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN COALESCE(EXCLUDED."utmSource", o."utmSource") ELSE o."utmSource" END,
        "utmMedium" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN COALESCE(EXCLUDED."utmMedium", o."utmMedium") ELSE o."utmMedium" END,
        "utmCampaign" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN COALESCE(EXCLUDED."utmCampaign", o."utmCampaign") ELSE o."utmCampaign" END,
        "discountCodes" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN EXCLUDED."discountCodes" ELSE o."discountCodes" END,
        "shopifyUpdatedAt" = CASE WHEN (o."shopifyUpdatedAt" IS NULL OR EXCLUDED."shopifyUpdatedAt" >= o."shopifyUpdatedAt") THEN EXCLUDED."shopifyUpdatedAt" ELSE o."shopifyUpdatedAt" END
      RETURNING o."id", o."customerId", o."shopifyUpdatedAt" IS NOT DISTINCT FROM ${o.updatedAt}::timestamp AS applied
    ),
    linked AS (
      SELECT s."id" FROM saved s
      WHERE s.applied AND EXISTS (SELECT 1 FROM "Customer" c WHERE c."shop" = ${shop} AND c."customerId" = s."customerId")
    ),
    gone AS (DELETE FROM "OrderLine" l USING linked WHERE l."orderRef" = linked."id"),
    added AS (
      INSERT INTO "OrderLine" ("id", "shop", "orderRef", "productId", "variantId", "title", "quantity")
      SELECT gen_random_uuid()::text, ${shop}, linked."id", x.p, x.v, x.t, x.q
      FROM linked, unnest(${o.lines.map((l) => l.productId)}::text[], ${o.lines.map((l) => l.variantId)}::text[],
                           ${o.lines.map((l) => l.title)}::text[], ${o.lines.map((l) => l.quantity)}::int[]) AS x(p, v, t, q)
    )
    SELECT "id", "customerId", applied FROM saved`;
  return row;
}

/** Sum of decimal strings at scale 4, exactly. */
function sumAmounts(amounts: string[]): string {
  let total = 0n;
  for (const amount of amounts) total += BigInt(Math.round(Number(amount) * 10_000));
  const sign = total < 0n ? "-" : "";
  const abs = total < 0n ? -total : total;
  return `${sign}${abs / 10_000n}.${String(abs % 10_000n).padStart(4, "0")}`;
}

/**
 * Adds one refund (refunds/create) to its order, by refund id: a repeat changes nothing. The order row may not be
 * stored yet (a refund of an order placed before the app was installed): then nothing is written.
 */
export async function storeRefund(shop: string, orderId: string, refundId: string, amount: string): Promise<StoredOrder | null> {
  const [row] = await sql<StoredOrder>`
    UPDATE "Order" o SET
      "refunds" = o."refunds" || jsonb_build_object(${refundId}::text, ${amount}::text),
      "refunded" = (SELECT COALESCE(sum(e.value::numeric), 0)
                    FROM jsonb_each_text(o."refunds" || jsonb_build_object(${refundId}::text, ${amount}::text)) e)
    WHERE o."shop" = ${shop} AND o."orderId" = ${orderId}
    RETURNING o."id", o."customerId", TRUE AS applied`;
  return row ?? null;
}

/**
 * Rewrites the customers' figures from their stored orders, set-based: orders count, first and last order, and
 * per currency the total net of refunds and the orders (cancelled orders left out). The customer rows are locked
 * first, so two changes of one customer at once are summed one after the other, each from every committed order.
 */
export async function recomputeFigures(shop: string, customerIds: string[]) {
  const ids = [...new Set(customerIds)].sort();
  if (!ids.length) return;
  const now = new Date();
  await db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM "Customer" WHERE "shop" = ${shop} AND "customerId" = ANY(${ids}::text[]) ORDER BY "customerId" FOR UPDATE`;
    if (!locked.length) return;
    await tx.$executeRaw`
      WITH c AS (SELECT "id", "customerId" FROM "Customer" WHERE "id" = ANY(${locked.map((row) => row.id)}::text[])),
      live AS (
        SELECT c."id" AS ref, o."currency", o."totalPrice" - o."refunded" AS net, o."processedAt"
        FROM c JOIN "Order" o ON o."shop" = ${shop} AND o."customerId" = c."customerId" AND o."cancelledAt" IS NULL
      ),
      sums AS (SELECT ref, "currency", sum(net) AS total, count(*)::int AS n FROM live GROUP BY ref, "currency"),
      dropped AS (
        DELETE FROM "CustomerSpend" s USING c
        WHERE s."customerRef" = c."id" AND NOT EXISTS (SELECT 1 FROM sums WHERE sums.ref = s."customerRef" AND sums."currency" = s."currency")
      ),
      saved AS (
        INSERT INTO "CustomerSpend" ("id", "shop", "customerRef", "currency", "totalSpent", "orders", "updatedAt")
        SELECT gen_random_uuid()::text, ${shop}, ref, "currency", total, n, ${now} FROM sums
        ON CONFLICT ("customerRef", "currency") DO UPDATE SET
          "totalSpent" = EXCLUDED."totalSpent", "orders" = EXCLUDED."orders", "updatedAt" = EXCLUDED."updatedAt"
      ),
      figures AS (
        SELECT c."id", count(l.ref)::int AS n, min(l."processedAt") AS first, max(l."processedAt") AS last
        FROM c LEFT JOIN live l ON l.ref = c."id" GROUP BY c."id"
      )
      UPDATE "Customer" cu SET "ordersCount" = f.n, "firstOrderAt" = f.first, "lastOrderAt" = f.last, "updatedAt" = ${now}
      FROM figures f WHERE cu."id" = f."id"`;
  });
}

/**
 * Deletes the customers' data (row, spend, their orders' lines) when no friend of the shop references them any
 * more. Their orders stay, as any unlinked buyer's order does (cart recovery). Returns how many were deleted.
 */
export async function deleteUnreferencedCustomers(shop: string, customerIds?: string[]): Promise<number> {
  const only = customerIds ? Prisma.sql`AND c."customerId" = ANY(${customerIds}::text[])` : Prisma.empty;
  return db.$transaction(async (tx) => {
    const gone = await tx.$queryRaw<{ customerId: string }[]>`
      DELETE FROM "Customer" c
      WHERE c."shop" = ${shop} ${only}
        AND NOT EXISTS (SELECT 1 FROM "Friend" f WHERE f."shop" = c."shop" AND f."shopifyCustomerId" = c."customerId")
      RETURNING c."customerId"`;
    if (gone.length) {
      await tx.$executeRaw`
        DELETE FROM "OrderLine" l USING "Order" o
        WHERE l."orderRef" = o."id" AND o."shop" = ${shop} AND o."customerId" = ANY(${gone.map((g) => g.customerId)}::text[])`;
    }
    return gone.length;
  });
}

/** The shops holding a customer no friend references (the sweep's work list). */
export async function shopsWithUnreferencedCustomers(): Promise<string[]> {
  const rows = await db.$queryRaw<{ shop: string }[]>`
    SELECT DISTINCT c."shop" FROM "Customer" c
    WHERE NOT EXISTS (SELECT 1 FROM "Friend" f WHERE f."shop" = c."shop" AND f."shopifyCustomerId" = c."customerId")`;
  return rows.map((row) => row.shop);
}
