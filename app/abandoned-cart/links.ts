// Links in a reminder: the merchant's tracking parameters on the recovery link and on every product link.
// Browser-safe string work: the existing query is kept byte for byte (a checkout's `key` must survive untouched).

function decode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    return value;
  }
}

/** The merchant's pairs, encoded for a URL; a repeated key keeps its last value. */
function configuredPairs(queryParams: string): Map<string, string> {
  const pairs = new Map<string, string>();
  for (const pair of queryParams.trim().replace(/^\?/, "").split("&")) {
    if (pair === "") continue;
    const at = pair.indexOf("=");
    const key = decode(at < 0 ? pair : pair.slice(0, at));
    if (key === "") continue;
    let value = at < 0 ? "" : pair.slice(at + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      // A stray "%" is kept as text and encoded below.
    }
    pairs.delete(key);
    pairs.set(key, encodeURIComponent(value));
  }
  return pairs;
}

/**
 * Adds `queryParams` ("utm_source=line&utm_medium=abandoned_cart") to `url`. The merchant's values replace a
 * parameter of the same name already in the URL; every other parameter and the fragment are kept as they were.
 * No URL (null, as from productUrl) stays null.
 */
export function withQueryParams(url: string, queryParams: string): string;
export function withQueryParams(url: string | null | undefined, queryParams: string): string | null;
export function withQueryParams(url: string | null | undefined, queryParams: string): string | null {
  if (url === null || url === undefined) return null;
  const added = configuredPairs(queryParams);
  if (added.size === 0) return url;
  const hashAt = url.indexOf("#");
  const fragment = hashAt < 0 ? "" : url.slice(hashAt);
  const beforeFragment = hashAt < 0 ? url : url.slice(0, hashAt);
  const queryAt = beforeFragment.indexOf("?");
  const base = queryAt < 0 ? beforeFragment : beforeFragment.slice(0, queryAt);
  const existing = queryAt < 0 ? [] : beforeFragment.slice(queryAt + 1).split("&");
  const kept = existing.filter((pair) => {
    if (pair === "") return false;
    const at = pair.indexOf("=");
    return !added.has(decode(at < 0 ? pair : pair.slice(0, at)));
  });
  const appended = [...added].map(([key, value]) => `${encodeURIComponent(key)}=${value}`);
  return `${base}?${[...kept, ...appended].join("&")}${fragment}`;
}

/** "gid://shopify/ProductVariant/123", "123" or 123 → "123"; anything else → null. */
function numericId(id: string | number | null | undefined): string | null {
  if (id === null || id === undefined) return null;
  const match = /(?:^|\/)(\d+)$/.exec(String(id).trim());
  return match ? match[1] : null;
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/**
 * The storefront page of a product (and its variant): https://{shop}/products/{handle}?variant={id}.
 * Null without a handle or with a domain that is not a host name: the item is then shown without a link.
 */
export function productUrl(
  shopDomain: string,
  handle: string | null | undefined,
  variantId: string | number | null | undefined,
): string | null {
  const host = shopDomain
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/+$/, "");
  const cleanHandle = handle?.trim();
  if (!cleanHandle || !HOSTNAME.test(host)) return null;
  const variant = numericId(variantId);
  const path = `https://${host}/products/${encodeURIComponent(cleanHandle)}`;
  return variant ? `${path}?variant=${variant}` : path;
}
