// What a merchant composes (broadcasts, later step messages): up to five messages of text, image or product cards,
// checked against LINE's limits before anything is saved. Browser-safe: the composer validates with the same schema.
// Error values are i18n keys (messagesComposer.error.*).
//
// Lengths follow LINE's own counting (developers.line.biz/en/docs/messaging-api/text-character-count): text in UTF-16
// code units, so a Unicode emoji such as 🍎 counts 2; action labels (the product button) in grapheme clusters.
import { z } from "zod";

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

const WEB_URL = /^https?:\/\/[^\s]+$/i;
const HTTPS_URL = /^https:\/\/[^\s]+$/i;

function parses(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

const imageUrl = z
  .string()
  .min(1, "messagesComposer.error.imageRequired")
  .max(MESSAGE_LIMITS.imageUrl, "messagesComposer.error.imageUrl")
  .refine((value) => value === "" || (HTTPS_URL.test(value) && parses(value)), "messagesComposer.error.imageUrl");

const productCardSchema = z.object({
  productId: z.string().min(1),
  title: z.string().trim().min(1, "messagesComposer.error.productTitle").max(MESSAGE_LIMITS.productTitle, "messagesComposer.error.productTitle"),
  price: z.string().regex(/^\d+(\.\d+)?$/, "messagesComposer.error.productPrice"),
  currency: z.string().regex(/^[A-Z]{3}$/, "messagesComposer.error.productPrice"),
  imageUrl: imageUrl.nullable(),
  url: z
    .string()
    .max(MESSAGE_LIMITS.uri, "messagesComposer.error.productUrl")
    .refine((value) => WEB_URL.test(value) && parses(value), "messagesComposer.error.productUrl"),
});

const textSchema = z
  .object({
    type: z.literal("text"),
    text: z.string(),
    fallbackName: z.string().trim().max(MESSAGE_LIMITS.displayName, "messagesComposer.error.fallbackName").optional(),
  })
  .superRefine((message, ctx) => {
    if (message.text.trim() === "") ctx.addIssue({ code: "custom", path: ["text"], message: "messagesComposer.error.textRequired" });
    else if (textLength(message.text, message.fallbackName) > MESSAGE_LIMITS.text) {
      ctx.addIssue({ code: "custom", path: ["text"], message: "messagesComposer.error.textTooLong" });
    }
  });

const imageSchema = z.object({ type: z.literal("image"), url: imageUrl, previewUrl: imageUrl });

const productsSchema = z.object({
  type: z.literal("products"),
  products: z
    .array(productCardSchema)
    .min(1, "messagesComposer.error.productsCount")
    .max(MESSAGE_LIMITS.products, "messagesComposer.error.productsCount"),
  buttonLabel: z
    .string()
    .trim()
    .min(1, "messagesComposer.error.buttonLabel")
    .refine((value) => graphemeCount(value) <= MESSAGE_LIMITS.buttonLabel, "messagesComposer.error.buttonLabel"),
});

export const composedMessagesSchema: z.ZodType<ComposedMessage[]> = z
  .array(z.discriminatedUnion("type", [textSchema, imageSchema, productsSchema]))
  .min(1, "messagesComposer.error.count")
  .max(MESSAGE_LIMITS.messages, "messagesComposer.error.count");

/** Zod's issues as { "0.text": "messagesComposer.error.textTooLong", "": "messagesComposer.error.count" }. */
export function composedMessageErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".");
    const message = issue.message.startsWith("messagesComposer.") ? issue.message : "messagesComposer.error.invalid";
    errors[key] ??= message;
  }
  return errors;
}

/** True when a text uses {displayName}: such messages go by push, one friend per request. */
export function isPersonalised(composed: ComposedMessage[]): boolean {
  return composed.some((message) => message.type === "text" && message.text.includes(DISPLAY_NAME_VARIABLE));
}
