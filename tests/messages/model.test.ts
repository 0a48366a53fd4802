// The composed-message schema against LINE's limits, counted as LINE counts them.
import { describe, expect, it } from "vitest";
import { composedMessageErrors, composedMessagesSchema, graphemeCount, isPersonalised, textLength, type ComposedMessage, type ProductCard } from "~/messages/model";

const card = (n: number): ProductCard => ({
  productId: `gid://shopify/Product/${n}`,
  title: `Sencha ${n}`,
  price: "1200.0",
  currency: "JPY",
  imageUrl: `https://cdn.shopify.com/s/files/${n}.jpg`,
  url: `https://tea.example/products/sencha-${n}`,
});

function errorsOf(messages: unknown) {
  const result = composedMessagesSchema.safeParse(messages);
  return result.success ? {} : composedMessageErrors(result.error);
}

describe("text", () => {
  it("counts UTF-16 code units, so an emoji is 2 (LINE's text-character-count rule)", () => {
    expect(textLength("🍎")).toBe(2);
    expect(errorsOf([{ type: "text", text: "a".repeat(4998) + "🍎" }])).toEqual({});
    expect(errorsOf([{ type: "text", text: "a".repeat(4999) + "🍎" }])).toEqual({ "0.text": "messagesComposer.error.textTooLong" });
  });

  it("reserves the longest name for every {displayName}", () => {
    const text = `${"{displayName}".repeat(2)}${"a".repeat(5000 - 80)}`;
    expect(textLength(text)).toBe(5000);
    expect(errorsOf([{ type: "text", text }])).toEqual({});
    expect(errorsOf([{ type: "text", text: text + "a" }])).toEqual({ "0.text": "messagesComposer.error.textTooLong" });
    // A fallback longer than a LINE name is what the text can become.
    expect(textLength("{displayName}", "x".repeat(41))).toBe(41);
    expect(errorsOf([{ type: "text", text: "Hi {displayName}", fallbackName: "x".repeat(41) }])).toEqual({
      "0.fallbackName": "messagesComposer.error.fallbackName",
    });
  });

  it("refuses empty text and counts 1..5 messages", () => {
    expect(errorsOf([{ type: "text", text: "  " }])).toEqual({ "0.text": "messagesComposer.error.textRequired" });
    expect(errorsOf([])).toEqual({ "": "messagesComposer.error.count" });
    expect(errorsOf(Array.from({ length: 6 }, () => ({ type: "text", text: "hi" })))).toEqual({ "": "messagesComposer.error.count" });
    expect(errorsOf(Array.from({ length: 5 }, () => ({ type: "text", text: "hi" })))).toEqual({});
  });

  it("knows which messages are personalised", () => {
    expect(isPersonalised([{ type: "text", text: "Hi {displayName}" }])).toBe(true);
    expect(isPersonalised([{ type: "text", text: "Hi {displayname}" }, { type: "products", products: [card(1)], buttonLabel: "Go" }])).toBe(false);
  });
});

describe("image", () => {
  it("takes HTTPS URLs of at most 2000 characters", () => {
    const ok = "https://cdn.shopify.com/s/files/a.jpg";
    expect(errorsOf([{ type: "image", url: ok, previewUrl: ok }])).toEqual({});
    expect(errorsOf([{ type: "image", url: "http://cdn.example/a.jpg", previewUrl: ok }])).toEqual({ "0.url": "messagesComposer.error.imageUrl" });
    const long = `https://cdn.example/${"a".repeat(2000 - 20 + 1)}`;
    expect(long.length).toBe(2001);
    expect(errorsOf([{ type: "image", url: ok, previewUrl: long }])).toEqual({ "0.previewUrl": "messagesComposer.error.imageUrl" });
    expect(errorsOf([{ type: "image", url: "", previewUrl: "" }])).toMatchObject({ "0.url": "messagesComposer.error.imageRequired" });
  });
});

describe("products", () => {
  const products = (n: number, more: Partial<ProductCard> = {}): ComposedMessage => ({
    type: "products",
    products: Array.from({ length: n }, (_, i) => ({ ...card(i + 1), ...more })),
    buttonLabel: "商品を見る",
  });

  it("takes 1 to 10 cards", () => {
    expect(errorsOf([products(1)])).toEqual({});
    expect(errorsOf([products(10)])).toEqual({});
    expect(errorsOf([products(11)])).toEqual({ "0.products": "messagesComposer.error.productsCount" });
    expect(errorsOf([products(0)])).toEqual({ "0.products": "messagesComposer.error.productsCount" });
  });

  it("checks links, prices and the button label (counted in grapheme clusters, as LINE counts labels)", () => {
    expect(errorsOf([products(1, { url: "javascript:alert(1)" })])).toEqual({ "0.products.0.url": "messagesComposer.error.productUrl" });
    expect(errorsOf([products(1, { url: `https://tea.example/${"a".repeat(1000)}` })])).toEqual({ "0.products.0.url": "messagesComposer.error.productUrl" });
    expect(errorsOf([products(1, { price: "abc" })])).toEqual({ "0.products.0.price": "messagesComposer.error.productPrice" });
    const family = "👨‍👩‍👧‍👦"; // one cluster, 11 UTF-16 units
    expect(graphemeCount(family.repeat(20))).toBe(20);
    expect(errorsOf([{ ...products(1), buttonLabel: family.repeat(20) }])).toEqual({});
    expect(errorsOf([{ ...products(1), buttonLabel: family.repeat(21) }])).toEqual({ "0.buttonLabel": "messagesComposer.error.buttonLabel" });
  });
});
