// Which products a collection holds, for the segment condition "purchased a product from collection X": read from
// the Admin API (offline session, in the worker) when a segment naming the collection is saved, and every day for
// every collection a segment still names. Rows of collections no segment names any more are dropped.
import { db } from "../db.server";
import { unauthenticated } from "../shopify.server";

type GraphQL = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

const PAGE = 250;
/** A collection larger than this is cut there (the condition then covers its first products). */
const MAX_PRODUCTS = 50_000;

const COLLECTION_PRODUCTS = `#graphql
  query CollectionProducts($id: ID!, $first: Int!, $after: String) {
    collection(id: $id) {
      id
      products(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } }
    }
  }`;

type Page = {
  data?: { collection: { products: { nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null };
  errors?: unknown;
};

async function offlineGraphql(shop: string): Promise<GraphQL> {
  const { admin } = await unauthenticated.admin(shop);
  return (query, options) => admin.graphql(query, options);
}

/**
 * Replaces the stored products of `collectionId` (Shopify's numeric id) with what the Admin API lists now.
 * A collection Shopify does not know (deleted) keeps no rows. Returns the number of products stored.
 */
export async function syncCollection(shop: string, collectionId: string, graphql?: GraphQL): Promise<{ found: boolean; products: number }> {
  if (!/^[1-9][0-9]{0,19}$/.test(collectionId)) return { found: false, products: 0 };
  const call = graphql ?? (await offlineGraphql(shop));
  const products: string[] = [];
  let after: string | null = null;
  let found = true;
  do {
    const response = await call(COLLECTION_PRODUCTS, { variables: { id: `gid://shopify/Collection/${collectionId}`, first: PAGE, after } });
    if (!response.ok) throw new Error(`collection products: HTTP ${response.status}`);
    const page = (await response.json()) as Page;
    if (page.errors) throw new Error(`collection products: ${JSON.stringify(page.errors).slice(0, 300)}`);
    const collection = page.data?.collection;
    if (!collection) {
      found = false;
      break;
    }
    for (const node of collection.products.nodes) {
      const id = /\/Product\/(\d+)$/.exec(node.id)?.[1];
      if (id) products.push(id);
    }
    after = collection.products.pageInfo.hasNextPage ? collection.products.pageInfo.endCursor : null;
  } while (after && products.length < MAX_PRODUCTS);

  const now = new Date();
  await db.$transaction([
    db.collectionProduct.deleteMany({ where: { shop, collectionId, productId: { notIn: products } } }),
    db.$executeRaw`
      INSERT INTO "CollectionProduct" (shop, "collectionId", "productId", "syncedAt")
      SELECT ${shop}, ${collectionId}, p, ${now} FROM unnest(${products}::text[]) AS p
      ON CONFLICT (shop, "collectionId", "productId") DO UPDATE SET "syncedAt" = EXCLUDED."syncedAt"`,
  ]);
  return { found, products: products.length };
}

/** Every (shop, collection) a saved segment of an installed shop names. */
export async function namedCollections(): Promise<{ shop: string; collectionId: string }[]> {
  return db.$queryRaw<{ shop: string; collectionId: string }[]>`
    SELECT DISTINCT s.shop, ids.id #>> '{}' AS "collectionId"
    FROM "Segment" s
    JOIN "Shop" sh ON sh.shop = s.shop AND sh."uninstalledAt" IS NULL
    CROSS JOIN LATERAL jsonb_path_query(s.definition::jsonb,
      '$.groups[*].conditions[*] ? (@.field == "purchased" && @.target == "collection").items[*].id') AS ids(id)`;
}

/** Drops the products of collections no segment names any more; returns the collections still named. */
export async function pruneCollections(): Promise<{ shop: string; collectionId: string }[]> {
  const named = await namedCollections();
  await db.$executeRaw`
    DELETE FROM "CollectionProduct" cp
    WHERE NOT EXISTS (
      SELECT 1 FROM unnest(${named.map((n) => n.shop)}::text[], ${named.map((n) => n.collectionId)}::text[]) AS n(shop, id)
      WHERE n.shop = cp.shop AND n.id = cp."collectionId")`;
  return named;
}
