// The builder: LINE message objects from composed messages, with the friend's name, UTM parameters and tracked links;
// and the preview draws exactly what it built.
import type { messagingApi } from "@line/bot-sdk";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { buildLineMessages, MessageBuildError } from "~/messages/build";
import type { ComposedMessage, ProductCard } from "~/messages/model";
import { MessagesPreview } from "~/messages/preview";

const card = (n: number, more: Partial<ProductCard> = {}): ProductCard => ({
  productId: `gid://shopify/Product/${n}`,
  title: `静岡 煎茶 ${n}`,
  price: "1200.0",
  currency: "JPY",
  imageUrl: `https://cdn.shopify.com/s/files/${n}.jpg`,
  url: `https://tea.example/products/sencha-${n}?variant=${n}&utm_source=old`,
  ...more,
});

const utm = { utm_source: "line", utm_medium: "broadcast", utm_campaign: "夏セール" };

describe("text", () => {
  const hello: ComposedMessage = { type: "text", text: "{displayName}さん、こんにちは🍵 {displayName}" };

  it("fills in the friend's name", () => {
    expect(buildLineMessages([hello], { displayName: "花子" })).toEqual([{ type: "text", text: "花子さん、こんにちは🍵 花子" }]);
  });

  it("uses the merchant's fallback, else a localised default, when the name is unknown", () => {
    expect(buildLineMessages([{ ...hello, fallbackName: "お茶好き" }], { displayName: null })[0]).toEqual({ type: "text", text: "お茶好きさん、こんにちは🍵 お茶好き" });
    expect(buildLineMessages([hello], {})[0]).toEqual({ type: "text", text: "お客様さん、こんにちは🍵 お客様" });
    expect(buildLineMessages([{ type: "text", text: "Hi {displayName}!" }], { displayName: "  ", locale: "en" })[0]).toEqual({ type: "text", text: "Hi customer!" });
  });

  it("never lets a name grow the text past what validation reserved", () => {
    const [built] = buildLineMessages([{ type: "text", text: "{displayName}" }], { displayName: "名".repeat(100) }) as messagingApi.TextMessage[];
    expect(built.text.length).toBeLessThanOrEqual(40);
  });
});

describe("image", () => {
  it("becomes an image message", () => {
    expect(buildLineMessages([{ type: "image", url: "https://cdn.shopify.com/a.jpg", previewUrl: "https://cdn.shopify.com/a.jpg?width=800" }], {})).toEqual([
      { type: "image", originalContentUrl: "https://cdn.shopify.com/a.jpg", previewImageUrl: "https://cdn.shopify.com/a.jpg?width=800" },
    ]);
  });
});

describe("products", () => {
  it("one card is a bubble: hero image, title, price in the shop's currency, a button to the product with UTM", () => {
    const [message] = buildLineMessages([{ type: "products", products: [card(1)], buttonLabel: "商品を見る" }], { utm }) as messagingApi.FlexMessage[];
    const bubble = message.contents as messagingApi.FlexBubble;
    const link = "https://tea.example/products/sencha-1?variant=1&utm_source=line&utm_medium=broadcast&utm_campaign=%E5%A4%8F%E3%82%BB%E3%83%BC%E3%83%AB";
    expect(message.altText).toBe("静岡 煎茶 1");
    expect(bubble.type).toBe("bubble");
    expect(bubble.hero).toMatchObject({ type: "image", url: "https://cdn.shopify.com/s/files/1.jpg", action: { type: "uri", uri: link } });
    expect(JSON.stringify(bubble.body)).toContain("￥1,200");
    expect(bubble.footer?.contents[0]).toMatchObject({ type: "button", action: { type: "uri", label: "商品を見る", uri: link } });
  });

  it("2..10 cards are a carousel, prices formatted per currency and locale, links tracked in order", () => {
    const seen: string[] = [];
    const composed: ComposedMessage[] = [
      { type: "text", text: "New in" },
      { type: "products", products: [card(1, { price: "12.5", currency: "USD" }), card(2, { imageUrl: null, currency: "THB", price: "1234.5" })], buttonLabel: "Shop" },
      { type: "products", products: [card(3)], buttonLabel: "Shop" },
    ];
    const messages = buildLineMessages(composed, {
      utm,
      locale: "en",
      trackLink: (url, index) => {
        seen.push(url);
        return `https://app.example/r/link${index}`;
      },
    }) as messagingApi.FlexMessage[];
    const carousel = messages[1].contents as messagingApi.FlexCarousel;
    expect(carousel.type).toBe("carousel");
    expect(carousel.contents).toHaveLength(2);
    expect(messages[1].altText).toBe("静岡 煎茶 1 and 1 more");
    expect(JSON.stringify(carousel.contents[0])).toContain("$12.50");
    expect(JSON.stringify(carousel.contents[1])).toContain("฿1,234.50");
    expect(carousel.contents[1].hero).toBeUndefined();
    expect(JSON.stringify(messages)).toContain("https://app.example/r/link0");
    expect((messages[2].contents as messagingApi.FlexBubble).footer?.contents[0]).toMatchObject({ action: { uri: "https://app.example/r/link2" } });
    expect(seen).toHaveLength(3);
    for (const url of seen) expect(new URL(url).searchParams.get("utm_source")).toBe("line");
  });

  it("refuses a link LINE would reject once its parameters are added", () => {
    const long = card(1, { url: `https://tea.example/${"a".repeat(950)}` });
    expect(() => buildLineMessages([{ type: "products", products: [long], buttonLabel: "Go" }], { utm: { utm_campaign: "x".repeat(60) } })).toThrow(MessageBuildError);
  });
});

describe("preview", () => {
  it("draws the built messages: the text, the price and the links LINE receives", () => {
    const composed: ComposedMessage[] = [
      { type: "text", text: "{displayName}さん、新商品です" },
      { type: "image", url: "https://cdn.shopify.com/a.jpg", previewUrl: "https://cdn.shopify.com/a.jpg?width=800" },
      { type: "products", products: [card(1, { price: "1980" }), card(2)], buttonLabel: "見る" },
    ];
    const built = buildLineMessages(composed, { displayName: "花子", utm, trackLink: (url, i) => `https://app.example/r/c${i}?to=${encodeURIComponent(url)}` });
    const html = renderToString(<MessagesPreview messages={built} sender="Tokyo Tea" />);
    const text = (built[0] as messagingApi.TextMessage).text;
    expect(html).toContain(text);
    expect(html).toContain('src="https://cdn.shopify.com/a.jpg?width=800"');
    const carousel = (built[2] as messagingApi.FlexMessage).contents as messagingApi.FlexCarousel;
    for (const bubble of carousel.contents) {
      const price = (bubble.body?.contents[1] as messagingApi.FlexText).text;
      const uri = ((bubble.footer?.contents[0] as messagingApi.FlexButton).action as messagingApi.URIAction).uri ?? "";
      expect(html).toContain(price);
      expect(html).toContain(`href="${uri.replaceAll("&", "&amp;")}"`);
    }
    expect(html).toContain("￥1,980");
    // Every link the preview offers is one the built JSON holds.
    const hrefs = [...html.matchAll(/data-uri="([^"]+)"/g)].map((m) => m[1].replaceAll("&amp;", "&"));
    expect(hrefs.length).toBe(4);
    const json = JSON.stringify(built);
    for (const href of hrefs) expect(json).toContain(JSON.stringify(href).slice(1, -1));
  });
});
