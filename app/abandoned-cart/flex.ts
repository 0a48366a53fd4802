// The かご落ちLINE message: one builder for the worker's send and the settings page's live preview, so the preview
// is what shoppers get. Browser-safe. Whatever it is given, the result stays inside LINE's Flex limits: text is cut
// on grapheme boundaries (an emoji is never split), links LINE would reject are dropped, and the bubble stays
// under 30 KB. Lengths count UTF-16 code units, the stricter reading of LINE's "characters".
import type { messagingApi } from "@line/bot-sdk";
import { formatPrice } from "./money";
import { readableTextColor } from "./settings-rules";

export const MAX_ALT_TEXT = 1500;
export const MAX_URI = 1000;
export const MAX_IMAGE_URL = 2000;
export const MAX_BUBBLE_BYTES = 30_000;

// Budgets above the settings form's limits (so valid settings are never cut) and small enough that the bubble is
// far below 30 KB in the worst case: about 1,700 units of text at ≤ 3 UTF-8 bytes each, plus 7,000 bytes of links.
const BUDGET = { title: 80, body: 1000, itemTitle: 80, variant: 60, price: 30, quantity: 20, more: 120, button: 40 };
const ITEMS_SHOWN = 2;
const DEFAULT_COLOR = "#06C755";
const HEX_COLOR = /^#[0-9A-Fa-f]{6}$/;

export interface ReminderItem {
  title: string;
  variantTitle?: string | null;
  quantity: number;
  price: string;
  currency: string;
  imageUrl?: string | null;
  url?: string | null;
}

export interface ReminderMessageInput {
  settings: { title: string; body: string; moreItemsText: string; buttonText: string; headerColor: string; buttonColor: string };
  items: ReminderItem[];
  currency: string;
  totalPrice?: string;
  recoveryUrl: string;
  locale?: "ja" | "en";
}

export type ReminderFlexMessage = messagingApi.FlexMessage & { contents: messagingApi.FlexBubble };

/** The message cannot be built (the caller records `code` on the reminder). */
export class ReminderMessageError extends Error {
  constructor(
    readonly code: "recovery_url_invalid" | "recovery_url_too_long" | "too_large",
    message: string,
  ) {
    super(message);
    this.name = "ReminderMessageError";
  }
}

const TEXTS = {
  ja: {
    title: "お買い忘れはありませんか？",
    button: "購入手続きに戻る",
    more: "ほか{count}点の商品",
    item: "商品",
    total: "合計",
    summary: (first: string, others: number) => `${first} ほか${others}点`,
    separator: "｜",
    numbers: "ja-JP",
  },
  en: {
    title: "Did you forget something?",
    button: "Return to checkout",
    more: "and {count} more items",
    item: "Item",
    total: "Total",
    summary: (first: string, others: number) => `${first} and ${others} more`,
    separator: " – ",
    numbers: "en-US",
  },
} as const;

// ---------------------------------------------------------------- text

const graphemes = typeof Intl.Segmenter === "function" ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

function* clusters(text: string): Iterable<string> {
  if (graphemes) for (const { segment } of graphemes.segment(text)) yield segment;
  else yield* text; // code points
}

/** `text` cut to at most `max` UTF-16 units, ending with "…" when cut; never splits a grapheme or surrogate pair. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const budget = max - 1;
  let out = "";
  for (const cluster of clusters(text)) {
    if (out.length + cluster.length > budget) break;
    out += cluster;
  }
  if (out === "") {
    // A single cluster longer than the budget (stacked combining marks): cut it between code points.
    for (const point of text) {
      if (out.length + point.length > budget) break;
      out += point;
    }
  }
  return `${out.trimEnd()}…`;
}

/** Printable text: no control characters (newlines kept), no lone surrogates; trimmed. */
function clean(value: unknown): string {
  if (typeof value !== "string") return "";
  return value
    .replace(/\r\n?/g, "\n")
    .replace(/\t/g, " ")
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, "")
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .trim();
}

const fit = (value: unknown, max: number, fallback = "") => truncateText(clean(value) || fallback, max);

// ---------------------------------------------------------------- links and colors

/** The URL as LINE will receive it (WHATWG-serialized, ASCII), or null when it is not http(s) or too long. */
function webUrl(value: unknown, max: number, httpsOnly = false): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  if (!/^https?:\/\//i.test(trimmed) || trimmed.length > 20 * max) return null;
  let href: string;
  try {
    href = new URL(trimmed).href;
  } catch {
    return null;
  }
  const scheme = httpsOnly ? /^https:\/\//.test(href) : /^https?:\/\//.test(href);
  return scheme && href.length <= max ? href : null;
}

function recoveryLink(value: unknown): string {
  const href = webUrl(value, Number.MAX_SAFE_INTEGER);
  if (href === null) {
    throw new ReminderMessageError("recovery_url_invalid", "The checkout recovery URL is not an absolute http(s) URL");
  }
  if (href.length > MAX_URI) {
    throw new ReminderMessageError(
      "recovery_url_too_long",
      `The checkout recovery URL has ${href.length} characters; LINE accepts at most ${MAX_URI} in a link`,
    );
  }
  return href;
}

const color = (value: unknown) => (typeof value === "string" && HEX_COLOR.test(value.trim()) ? value.trim().toUpperCase() : DEFAULT_COLOR);

/** UTF-8 bytes of the message's container JSON: LINE rejects a bubble over 30 KB. */
export function flexSize(message: Pick<messagingApi.FlexMessage, "contents">): number {
  return new TextEncoder().encode(JSON.stringify(message.contents)).length;
}

// ---------------------------------------------------------------- layout

type Texts = (typeof TEXTS)[keyof typeof TEXTS];

function thumbnail(imageUrl: unknown): messagingApi.FlexBox {
  const url = webUrl(imageUrl, MAX_IMAGE_URL, true);
  return {
    type: "box",
    layout: "vertical",
    flex: 0,
    width: "72px",
    height: "72px",
    cornerRadius: "8px",
    backgroundColor: "#F2F2F2",
    // No usable image: the grey square stays as a placeholder rather than a broken image.
    contents: url ? [{ type: "image", url, size: "full", aspectRatio: "1:1", aspectMode: "cover" }] : [],
  };
}

function itemBox(item: ReminderItem, currency: string, texts: Texts): messagingApi.FlexBox {
  const variant = fit(item.variantTitle, BUDGET.variant);
  const quantity = Number(item.quantity);
  const price = fit(formatPrice(item.price ?? "", clean(item.currency) || currency, texts.numbers), BUDGET.price);
  const details: messagingApi.FlexComponent[] = [
    { type: "text", text: fit(item.title, BUDGET.itemTitle, texts.item), size: "sm", weight: "bold", wrap: true, maxLines: 2 },
  ];
  if (variant) details.push({ type: "text", text: variant, size: "xs", color: "#888888", wrap: true, maxLines: 1 });
  const quantityText = Number.isFinite(quantity) ? fit(`× ${quantity.toLocaleString(texts.numbers)}`, BUDGET.quantity) : "";
  const priceRow: messagingApi.FlexComponent[] = [];
  if (quantityText) priceRow.push({ type: "text", text: quantityText, size: "xs", color: "#888888", flex: 0 });
  if (price) priceRow.push({ type: "text", text: price, size: "sm", weight: "bold", align: "end", flex: 1 });
  if (priceRow.length) details.push({ type: "box", layout: "baseline", spacing: "sm", margin: "sm", contents: priceRow });
  const url = webUrl(item.url, MAX_URI);
  return {
    type: "box",
    layout: "horizontal",
    spacing: "md",
    margin: "lg",
    contents: [thumbnail(item.imageUrl), { type: "box", layout: "vertical", flex: 1, contents: details }],
    ...(url ? { action: { type: "uri", uri: url } } : {}),
  };
}

function altText(title: string, items: ReminderItem[], texts: Texts): string {
  if (items.length === 0) return fit(title, MAX_ALT_TEXT, texts.title);
  const first = fit(items[0].title, 40, texts.item);
  const summary = items.length === 1 ? first : texts.summary(first, items.length - 1);
  return fit(`${title}${texts.separator}${summary}`, MAX_ALT_TEXT, texts.title);
}

/** The reminder as a Flex message. Throws ReminderMessageError when the recovery URL cannot be sent. */
export function buildReminderMessage(input: ReminderMessageInput): ReminderFlexMessage {
  const texts = TEXTS[input.locale === "en" ? "en" : "ja"];
  const { settings } = input;
  const recoveryUrl = recoveryLink(input.recoveryUrl);
  const items = Array.isArray(input.items) ? input.items : [];
  const headerColor = color(settings.headerColor);
  const title = fit(settings.title, BUDGET.title, texts.title);

  const body: messagingApi.FlexComponent[] = [];
  const bodyText = fit(settings.body, BUDGET.body);
  if (bodyText) body.push({ type: "text", text: bodyText, size: "sm", wrap: true });
  for (const item of items.slice(0, ITEMS_SHOWN)) body.push(itemBox(item, clean(input.currency), texts));
  if (items.length > ITEMS_SHOWN) {
    const more = (clean(settings.moreItemsText) || texts.more).replaceAll("{count}", String(items.length - ITEMS_SHOWN));
    body.push({ type: "text", text: fit(more, BUDGET.more), size: "sm", color: "#666666", wrap: true, margin: "lg" });
  }
  const total = input.totalPrice === undefined ? "" : fit(formatPrice(input.totalPrice, clean(input.currency), texts.numbers), BUDGET.price);
  if (total && items.length > 0) {
    body.push({ type: "separator", margin: "lg" });
    body.push({
      type: "box",
      layout: "baseline",
      margin: "lg",
      contents: [
        { type: "text", text: texts.total, size: "sm", color: "#666666", flex: 0 },
        { type: "text", text: total, size: "md", weight: "bold", align: "end", flex: 1 },
      ],
    });
  }

  const message: ReminderFlexMessage = {
    type: "flex",
    altText: altText(title, items, texts),
    contents: {
      type: "bubble",
      header: {
        type: "box",
        layout: "vertical",
        backgroundColor: headerColor,
        paddingAll: "16px",
        contents: [{ type: "text", text: title, color: readableTextColor(headerColor), weight: "bold", size: "lg", wrap: true }],
      },
      ...(body.length ? { body: { type: "box", layout: "vertical", spacing: "sm", contents: body } } : {}),
      footer: {
        type: "box",
        layout: "vertical",
        contents: [
          {
            type: "button",
            style: "primary",
            color: color(settings.buttonColor),
            action: { type: "uri", label: fit(settings.buttonText, BUDGET.button, texts.button), uri: recoveryUrl },
          },
        ],
      },
    },
  };
  const bytes = flexSize(message);
  if (bytes >= MAX_BUBBLE_BYTES) {
    throw new ReminderMessageError("too_large", `The reminder bubble is ${bytes} bytes; LINE accepts under ${MAX_BUBBLE_BYTES}`);
  }
  return message;
}
