// Product images and handles for reminder messages, from the Admin API, cached a day per product and variant.
// Checkout payloads carry neither.
import type { ProductImage } from "@prisma/client";
import { db, sql } from "../db.server";
import { logger } from "../logger.server";
import type { StoredLineItem } from "./checkouts.server";

export type GraphQL = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;
export type ProductInfo = { imageUrl: string | null; handle: string | null };

const CACHE_MS = 24 * 3_600_000;

const NODES = `#graphql
  query ReminderProducts($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Product { id handle featuredImage { url(transform: { maxWidth: 600, maxHeight: 600 }) } }
      ... on ProductVariant { id image { url(transform: { maxWidth: 600, maxHeight: 600 }) } }
    }
  }`;

type Node = { id: string; handle?: string; featuredImage?: { url: string } | null; image?: { url: string } | null } | null;

const key = (kind: "product" | "variant", id: string) => `${kind}:${id}`;

/** Image (variant's, else product's) and handle per line item, in order; missing data is null, never an error. */
export async function productInfoFor(shop: string, items: StoredLineItem[], graphql: () => Promise<GraphQL>): Promise<ProductInfo[]> {
  return (await productInfoForCarts(shop, [items], graphql))[0];
}

/** productInfoFor for many carts of one shop: one cache read, and one Admin API call for what is missing. */
export async function productInfoForCarts(shop: string, carts: StoredLineItem[][], graphql: () => Promise<GraphQL>): Promise<ProductInfo[][]> {
  const items = carts.flat();
  const keys = [
    ...new Set(items.flatMap((i) => [i.productId && key("product", i.productId), i.variantId && key("variant", i.variantId)]).filter(Boolean) as string[]),
  ];
  // Raw: read for every batch of reminders sent, where Prisma's per-call CPU counts (send.server.ts).
  const cached = await sql<ProductImage>`
    SELECT * FROM "ProductImage" WHERE shop = ${shop} AND key = ANY(${keys}) AND "fetchedAt" > ${new Date(Date.now() - CACHE_MS)}`;
  const known = new Map(cached.map((row) => [row.key, row]));
  const missing = keys.filter((k) => !known.has(k));
  if (missing.length) {
    try {
      const fetched = await fetchNodes(missing, await graphql());
      for (const row of fetched) known.set(row.key, { ...row, shop, fetchedAt: new Date() });
      await Promise.all(
        fetched.map((row) =>
          db.productImage.upsert({
            where: { shop_key: { shop, key: row.key } },
            create: { shop, ...row },
            update: { url: row.url, handle: row.handle, fetchedAt: new Date() },
          }),
        ),
      );
    } catch (error) {
      logger.warn("product images unavailable", { shop, error: (error as Error).message });
    }
  }
  return carts.map((cart) =>
    cart.map((item) => {
      const variant = item.variantId ? known.get(key("variant", item.variantId)) : undefined;
      const product = item.productId ? known.get(key("product", item.productId)) : undefined;
      return { imageUrl: variant?.url ?? product?.url ?? null, handle: product?.handle ?? null };
    }),
  );
}

async function fetchNodes(keys: string[], graphql: GraphQL) {
  const ids = keys.map((k) => {
    const [kind, id] = k.split(":");
    return `gid://shopify/${kind === "product" ? "Product" : "ProductVariant"}/${id}`;
  });
  const response = await graphql(NODES, { variables: { ids } });
  const { data } = (await response.json()) as { data?: { nodes: Node[] } };
  // Unknown or deleted products come back as null: cached as "no image" so they are not asked for again today.
  return keys.map((k, index) => {
    const node = data?.nodes?.[index] ?? null;
    return { key: k, url: node?.featuredImage?.url ?? node?.image?.url ?? null, handle: node?.handle ?? null };
  });
}
