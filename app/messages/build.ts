// The one builder from composed messages to what LINE receives. The composer's preview renders its output and the
// sender pushes it, so the preview is the message. Browser-safe.
import type { messagingApi } from "@line/bot-sdk";
import { truncateText } from "../abandoned-cart/flex";
import { withQueryParams } from "../abandoned-cart/links";
import { formatPrice } from "../abandoned-cart/money";
import { DISPLAY_NAME_VARIABLE, MESSAGE_LIMITS, type ComposedMessage, type ProductCard } from "./limits";

export { isPersonalised } from "./limits";

export type LineMessage = messagingApi.Message;

export type BuildContext = {
  /** The friend's LINE name; unknown (null) gives the text's fallback name, else a localised "customer". */
  displayName?: string | null;
  /** Added to every product link ("utm_source" → "line"); a parameter already in the URL is replaced. */
  utm?: Record<string, string>;
  /** Wraps each link (after UTM) for click counting; `index` counts the links of the whole message list from 0. */
  trackLink?: (url: string, index: number) => string;
  /** Language of the default fallback name, the price format and the alt text. Default "ja". */
  locale?: "ja" | "en";
};

/** A link cannot be sent as LINE requires (over 1,000 characters once its parameters are added). */
export class MessageBuildError extends Error {
  override name = "MessageBuildError";
  constructor(readonly code: "uri_too_long", message: string) {
    super(message);
  }
}

const TEXTS = {
  ja: { customer: "お客様", summary: (first: string, others: number) => `${first} ほか${others}点`, numbers: "ja-JP" },
  en: { customer: "customer", summary: (first: string, others: number) => `${first} and ${others} more`, numbers: "en-US" },
} as const;

const BUTTON_COLOR = "#06C755";
const TITLE_BUDGET = 80;

function utmQuery(utm: Record<string, string> | undefined): string {
  return Object.entries(utm ?? {})
    .filter(([key]) => key !== "")
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join("&");
}

function personalise(message: Extract<ComposedMessage, { type: "text" }>, ctx: BuildContext): string {
  if (!message.text.includes(DISPLAY_NAME_VARIABLE)) return message.text;
  const known = ctx.displayName?.trim();
  const fallback = message.fallbackName?.trim() || TEXTS[ctx.locale ?? "ja"].customer;
  const name = truncateText(known || fallback, Math.max(MESSAGE_LIMITS.displayName, fallback.length));
  return message.text.replaceAll(DISPLAY_NAME_VARIABLE, name);
}

function productBubble(card: ProductCard, buttonLabel: string, link: string, ctx: BuildContext): messagingApi.FlexBubble {
  const numbers = TEXTS[ctx.locale ?? "ja"].numbers;
  const action = { type: "uri" as const, label: buttonLabel.trim(), uri: link };
  return {
    type: "bubble",
    ...(card.imageUrl
      ? { hero: { type: "image", url: card.imageUrl, size: "full", aspectRatio: "1:1", aspectMode: "cover", action: { type: "uri", uri: link } } }
      : {}),
    body: {
      type: "box",
      layout: "vertical",
      spacing: "sm",
      contents: [
        { type: "text", text: truncateText(card.title.trim() || "-", TITLE_BUDGET), weight: "bold", size: "md", wrap: true, maxLines: 2 },
        { type: "text", text: formatPrice(card.price, card.currency, numbers), size: "lg", weight: "bold", color: "#111111" },
      ],
    },
    footer: {
      type: "box",
      layout: "vertical",
      contents: [{ type: "button", style: "primary", color: BUTTON_COLOR, action }],
    },
  };
}

function altText(products: ProductCard[], ctx: BuildContext): string {
  const texts = TEXTS[ctx.locale ?? "ja"];
  const first = truncateText(products[0]?.title.trim() || "-", 100);
  const text = products.length > 1 ? texts.summary(first, products.length - 1) : first;
  return truncateText(text, MESSAGE_LIMITS.altText);
}

/** The composed messages as LINE message objects, in order: text, image, Flex bubble (1 card) or carousel (2..10). */
export function buildLineMessages(composed: ComposedMessage[], ctx: BuildContext): LineMessage[] {
  const query = utmQuery(ctx.utm);
  let links = 0;
  const link = (url: string) => {
    const withUtm = withQueryParams(url, query);
    const final = ctx.trackLink ? ctx.trackLink(withUtm, links) : withUtm;
    links += 1;
    if (final.length > MESSAGE_LIMITS.uri) {
      throw new MessageBuildError("uri_too_long", `A product link has ${final.length} characters with its parameters; LINE accepts ${MESSAGE_LIMITS.uri}`);
    }
    return final;
  };
  return composed.map((message): LineMessage => {
    if (message.type === "text") return { type: "text", text: personalise(message, ctx) };
    if (message.type === "image") return { type: "image", originalContentUrl: message.url, previewImageUrl: message.previewUrl };
    const bubbles = message.products.map((card) => productBubble(card, message.buttonLabel, link(card.url), ctx));
    const contents: messagingApi.FlexContainer =
      bubbles.length === 1 ? bubbles[0] : { type: "carousel", contents: bubbles };
    return { type: "flex", altText: altText(message.products, ctx), contents };
  });
}
