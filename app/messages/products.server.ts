// Product cards for the products the merchant picked (App Bridge's resource picker gives ids only; the server reads
// the rest so a browser cannot make up a price or a link): title, featured image, lowest price in the shop's
// currency, and the storefront URL.
import type { GraphQL } from "../abandoned-cart/product-info.server";
import { MESSAGE_LIMITS, type PickedProduct } from "./model";

const PRODUCTS = `#graphql
  query MessageProducts($ids: [ID!]!) {
    shop { currencyCode primaryDomain { url } }
    nodes(ids: $ids) {
      ... on Product {
        id
        title
        handle
        onlineStoreUrl
        priceRangeV2 { minVariantPrice { amount currencyCode } }
        featuredImage {
          url
          original: url(transform: { maxWidth: 2048, maxHeight: 2048, preferredContentType: JPG })
          preview: url(transform: { maxWidth: 800, maxHeight: 800, preferredContentType: JPG })
        }
      }
    }
  }`;

type ProductNode = {
  id: string;
  title: string;
  handle: string;
  onlineStoreUrl: string | null;
  priceRangeV2: { minVariantPrice: { amount: string; currencyCode: string } };
  featuredImage: { url: string; original?: string; preview?: string } | null;
} | null;

/** "gid://shopify/Product/123" or "123" → the product's gid; anything else → null. */
export function productGid(id: string): string | null {
  const match = /^(?:gid:\/\/shopify\/Product\/)?(\d{1,20})$/.exec(id.trim());
  return match ? `gid://shopify/Product/${match[1]}` : null;
}

const usable = (url: string | undefined | null, max: number) => (url && url.startsWith("https://") && url.length <= max ? url : null);

/** The picked products in the order given; deleted or unknown ones are left out. */
export async function pickedProducts(graphql: GraphQL, ids: string[]): Promise<PickedProduct[]> {
  const response = await graphql(PRODUCTS, { variables: { ids } });
  const body = (await response.json()) as {
    data?: { shop: { currencyCode: string; primaryDomain: { url: string } }; nodes: ProductNode[] };
    errors?: unknown;
  };
  if (!body.data) throw new Error(`Shopify did not answer the products query: ${JSON.stringify(body.errors ?? response.status)}`);
  const { shop, nodes } = body.data;
  return nodes.flatMap((node) => {
    if (!node?.id) return [];
    const imageUrl = usable(node.featuredImage?.original ?? node.featuredImage?.url, MESSAGE_LIMITS.imageUrl);
    const previewUrl = usable(node.featuredImage?.preview, MESSAGE_LIMITS.imageUrl);
    // An unpublished product has no storefront URL; its page on the primary domain says it is unavailable.
    const url = node.onlineStoreUrl ?? `${shop.primaryDomain.url.replace(/\/+$/, "")}/products/${encodeURIComponent(node.handle)}`;
    const price = node.priceRangeV2.minVariantPrice;
    return [
      {
        productId: node.id,
        title: node.title.slice(0, MESSAGE_LIMITS.productTitle),
        price: price.amount,
        currency: price.currencyCode || shop.currencyCode,
        imageUrl,
        url,
        image: imageUrl && previewUrl ? { url: imageUrl, previewUrl } : null,
      },
    ];
  });
}
