// What a merchant composes (broadcasts, later step messages): up to five messages of text, image or product cards,
// checked against LINE's limits before anything is saved. Browser-safe: the composer validates with the same schema.
// Error values are i18n keys (messagesComposer.error.*).
//
// Lengths follow LINE's own counting (developers.line.biz/en/docs/messaging-api/text-character-count): text in UTF-16
// code units, so a Unicode emoji such as 🍎 counts 2; action labels (the product button) in grapheme clusters.
import { z } from "zod";
import { DISPLAY_NAME_VARIABLE, graphemeCount, MESSAGE_LIMITS, textLength, type ComposedMessage, type ProductCard } from "./limits";
export * from "./limits";


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
