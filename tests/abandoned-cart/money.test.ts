import { describe, expect, it } from "vitest";
import { amountText, currencyExponent, formatPrice } from "../../app/abandoned-cart/money";

describe("formatPrice", () => {
  it.each([
    // [amount, currency, locale, shown]
    ["1200.00", "JPY", "ja-JP", "￥1,200"],
    ["1200.00", "JPY", "en-US", "¥1,200"],
    ["15000", "KRW", "ja-JP", "₩15,000"],
    ["1234.5", "THB", "ja-JP", "฿1,234.50"],
    ["1234.5", "THB", "en-US", "฿1,234.50"],
    ["99", "THB", "en-US", "฿99.00"],
    ["12", "USD", "en-US", "$12.00"],
    ["12.3", "EUR", "ja-JP", "€12.30"],
  ])("%s %s in %s is %s", (amount, currency, locale, shown) => {
    expect(formatPrice(amount, currency, locale)).toBe(shown);
  });

  it("formats Japanese yen for Japanese shoppers by default", () => {
    expect(formatPrice("3980.00", "JPY")).toBe("￥3,980");
    expect(formatPrice(3980, "jpy")).toBe("￥3,980");
  });

  it("shows whole Taiwan dollars without decimals but never hides cents", () => {
    expect(formatPrice("1200.00", "TWD", "en-US")).toBe("NT$1,200");
    expect(formatPrice("1200.50", "TWD", "en-US")).toBe("NT$1,200.50");
  });

  it("uses the currency's own minor units otherwise", () => {
    // Intl puts a no-break space after a currency code.
    expect(formatPrice("1.234", "BHD", "en-US")).toBe("BHD\u00a01.234");
    expect(formatPrice("1200.6", "JPY", "ja-JP")).toBe("￥1,201");
  });

  it("never throws", () => {
    expect(formatPrice("1200", "XX", "en-US")).toBe("1,200.00 XX");
    expect(formatPrice("1200", "", "en-US")).toBe("1,200.00");
    expect(formatPrice("free", "JPY")).toBe("free");
    expect(formatPrice("", "JPY")).toBe("");
    expect(formatPrice("1200", "JPY", "not a locale!")).toBe("￥1,200");
  });
});

describe("amountText", () => {
  it.each([
    // [stored, currency, written]
    ["5000.0000", "JPY", "5000"],
    ["120.5000", "USD", "120.50"],
    ["3.1250", "KWD", "3.125"],
    ["3.1", "BHD", "3.100"],
    ["12", "USD", "12.00"],
    ["1200.5", "JPY", "1200.5"],
    ["-4.5", "EUR", "-4.50"],
    ["0.0000", "JPY", "0"],
  ])("%s %s is %s", (stored, currency, written) => {
    expect(amountText(stored, currency)).toBe(written);
  });

  it("knows each currency's minor units", () => {
    expect(["JPY", "KRW", "USD", "THB", "KWD", "BHD", "jpy", "not a code"].map(currencyExponent)).toEqual([0, 0, 2, 2, 3, 3, 0, 2]);
  });
});
