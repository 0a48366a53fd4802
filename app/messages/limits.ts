// LINE's limits of composed messages, their shapes and lengths, without zod: what the browser (the composer)
// needs of app/messages/model.ts (which re-exports these), so its chunks stay free of zod.
export const MESSAGE_LIMITS = {
  messages: 5,
  text: 5000,
  altText: 1500,
  imageUrl: 2000,
  uri: 1000,
  products: 10,
  /** Grapheme clusters; LINE takes 40 for a Flex button, a short label also fits one line on a phone. */
  buttonLabel: 20,
  productTitle: 200,
  /** UTF-16 units a friend's name may take in the text: LINE names are at most 20 characters (≤ 2 units each). */
  displayName: 40,
  imageBytes: 10 * 1024 * 1024,
} as const;

export const DISPLAY_NAME_VARIABLE = "{displayName}";

export type ProductCard = {
  productId: string;
  title: string;
  price: string;
  currency: string;
  imageUrl: string | null;
  url: string;
};

/** An image hosted where LINE can fetch it: the original (≤ 10 MB) and a preview (≤ 1 MB), both HTTPS. */
export type HostedImage = { url: string; previewUrl: string };

/** A card, plus the product image sized for an image message (when the merchant sends the picture alone). */
export type PickedProduct = ProductCard & { image: HostedImage | null };

export type ComposedMessage =
  /** `fallbackName` replaces {displayName} for a friend whose name is unknown (default: a localised "customer"). */
  | { type: "text"; text: string; fallbackName?: string }
  | { type: "image"; url: string; previewUrl: string }
  | { type: "products"; products: ProductCard[]; buttonLabel: string };

export type ComposedMessageType = ComposedMessage["type"];

const graphemes = typeof Intl.Segmenter === "function" ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

/** Grapheme clusters: what LINE counts in action labels (an emoji with a skin tone is one). */
export function graphemeCount(text: string): number {
  if (!graphemes) return [...text].length;
  let count = 0;
  for (const _ of graphemes.segment(text)) count += 1;
  return count;
}

/**
 * The most UTF-16 units the text can take once built: every {displayName} is counted at the longest name it may
 * become (a LINE name, or the fallback if that is longer), so a text that passes cannot grow past LINE's limit.
 */
export function textLength(text: string, fallbackName = ""): number {
  const uses = text.split(DISPLAY_NAME_VARIABLE).length - 1;
  const reserved = Math.max(MESSAGE_LIMITS.displayName, fallbackName.length);
  return text.length - uses * DISPLAY_NAME_VARIABLE.length + uses * reserved;
}

/** True when a text uses {displayName}: such messages go by push, one friend per request. */
export function isPersonalised(composed: ComposedMessage[]): boolean {
  return composed.some((message) => message.type === "text" && message.text.includes(DISPLAY_NAME_VARIABLE));
}
