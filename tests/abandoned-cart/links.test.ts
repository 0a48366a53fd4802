import { describe, expect, it } from "vitest";
import { productUrl, withQueryParams } from "../../app/abandoned-cart/links";

const UTM = "utm_source=line&utm_medium=abandoned_cart&utm_campaign=recover";

describe("withQueryParams", () => {
  it("adds the parameters to a URL without a query", () => {
    expect(withQueryParams("https://tea.example/products/sencha", UTM)).toBe(`https://tea.example/products/sencha?${UTM}`);
  });

  it("keeps the existing parameters exactly as they were, in order, before the added ones", () => {
    const recovery = "https://tea.myshopify.com/123/checkouts/ac/abc/recover?key=a%2Fb%2Bc&locale=ja&flag";
    expect(withQueryParams(recovery, UTM)).toBe(`${recovery}&${UTM}`);
  });

  it("lets the merchant's values replace parameters of the same name, every occurrence", () => {
    const url = "https://tea.example/cart?utm_source=google&x=1&utm_source=bing&utm_term=tea";
    expect(withQueryParams(url, "utm_source=line&utm_medium=abandoned_cart")).toBe(
      "https://tea.example/cart?x=1&utm_term=tea&utm_source=line&utm_medium=abandoned_cart",
    );
  });

  it("matches an existing name written percent-encoded", () => {
    expect(withQueryParams("https://tea.example/?utm%5Fsource=old&a=1", "utm_source=line")).toBe("https://tea.example/?a=1&utm_source=line");
  });

  it("keeps the fragment at the end", () => {
    expect(withQueryParams("https://tea.example/p?v=1#reviews", "utm_source=line")).toBe("https://tea.example/p?v=1&utm_source=line#reviews");
    expect(withQueryParams("https://tea.example/p#top?not=query", "utm_source=line")).toBe("https://tea.example/p?utm_source=line#top?not=query");
  });

  it("handles an empty query and stray ampersands", () => {
    expect(withQueryParams("https://tea.example/p?", "a=1")).toBe("https://tea.example/p?a=1");
    expect(withQueryParams("https://tea.example/p?&b=2&&", "a=1")).toBe("https://tea.example/p?b=2&a=1");
  });

  it("percent-encodes the merchant's values once", () => {
    expect(withQueryParams("https://tea.example/", "utm_campaign=夏セール")).toBe(
      "https://tea.example/?utm_campaign=%E5%A4%8F%E3%82%BB%E3%83%BC%E3%83%AB",
    );
    expect(withQueryParams("https://tea.example/", "utm_campaign=%E5%A4%8F")).toBe("https://tea.example/?utm_campaign=%E5%A4%8F");
    expect(withQueryParams("https://tea.example/", "utm_campaign=a/b&c=d e")).toBe("https://tea.example/?utm_campaign=a%2Fb&c=d%20e");
  });

  it("accepts a leading ? and lets a repeated configured name keep its last value", () => {
    expect(withQueryParams("https://tea.example/", "?a=1&b=2&a=3")).toBe("https://tea.example/?b=2&a=3");
  });

  it("leaves the URL untouched when there is nothing to add, and null stays null", () => {
    const url = "https://tea.example/p?v=1#x";
    expect(withQueryParams(url, "")).toBe(url);
    expect(withQueryParams(url, "  ")).toBe(url);
    expect(withQueryParams(null, UTM)).toBeNull();
  });
});

describe("productUrl", () => {
  it("links the product page with its variant", () => {
    expect(productUrl("tea.myshopify.com", "sencha", "gid://shopify/ProductVariant/4455")).toBe(
      "https://tea.myshopify.com/products/sencha?variant=4455",
    );
    expect(productUrl("tea.myshopify.com", "sencha", 4455)).toBe("https://tea.myshopify.com/products/sencha?variant=4455");
    expect(productUrl("tea.myshopify.com", "sencha", "4455")).toBe("https://tea.myshopify.com/products/sencha?variant=4455");
  });

  it("omits an unknown variant", () => {
    expect(productUrl("tea.myshopify.com", "sencha", null)).toBe("https://tea.myshopify.com/products/sencha");
    expect(productUrl("tea.myshopify.com", "sencha", "gid://shopify/ProductVariant/")).toBe("https://tea.myshopify.com/products/sencha");
  });

  it("normalizes the shop domain and encodes the handle", () => {
    expect(productUrl(" https://Tea.Example.JP/ ", "抹茶-ラテ", 1)).toBe(
      "https://tea.example.jp/products/%E6%8A%B9%E8%8C%B6-%E3%83%A9%E3%83%86?variant=1",
    );
    expect(productUrl("tea.myshopify.com", "a/b?c", 1)).toBe("https://tea.myshopify.com/products/a%2Fb%3Fc?variant=1");
  });

  it("is null without a handle or with a domain that is not a host name", () => {
    expect(productUrl("tea.myshopify.com", null, 1)).toBeNull();
    expect(productUrl("tea.myshopify.com", "  ", 1)).toBeNull();
    expect(productUrl("not a domain", "sencha", 1)).toBeNull();
    expect(productUrl("evil.example/path", "sencha", 1)).toBeNull();
    expect(productUrl("localhost", "sencha", 1)).toBeNull();
  });

  it("takes the merchant's parameters after the variant", () => {
    expect(withQueryParams(productUrl("tea.myshopify.com", "sencha", 7), "utm_source=line")).toBe(
      "https://tea.myshopify.com/products/sencha?variant=7&utm_source=line",
    );
  });
});
