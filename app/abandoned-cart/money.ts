// Prices in the checkout currency, for the reminder and its preview (browser-safe, Intl only).
//
// Decimals follow the currency's own minor units as Intl knows them (ISO 4217): JPY and KRW none, THB and USD two.
// One exception: TWD is two decimals in ISO 4217, but prices in Taiwan are written in whole dollars, so a whole
// TWD amount is shown without decimals ("NT$1,200"); an amount with cents keeps them, so no price is ever rounded.
// THB uses the narrow symbol ("฿1,234.50") because Intl's default for it is the bare code "THB".

const WHOLE_UNIT_CURRENCIES = new Set(["TWD"]);
const NARROW_SYMBOL_CURRENCIES = new Set(["THB"]);

const formatters = new Map<string, Intl.NumberFormat>();

function formatter(locale: string, currency: string, wholeUnits: boolean): Intl.NumberFormat {
  const cacheKey = `${locale}|${currency}|${wholeUnits}`;
  let cached = formatters.get(cacheKey);
  if (!cached) {
    cached = new Intl.NumberFormat(locale, {
      style: "currency",
      currency,
      currencyDisplay: NARROW_SYMBOL_CURRENCIES.has(currency) ? "narrowSymbol" : "symbol",
      ...(wholeUnits ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
    });
    formatters.set(cacheKey, cached);
  }
  return cached;
}

function wellFormedLocale(locale: string): string {
  try {
    return Intl.getCanonicalLocales(locale)[0] ?? "ja-JP";
  } catch {
    return "ja-JP";
  }
}

/**
 * "1200.00", "JPY" → "￥1,200" (ja-JP). Never throws: an amount that is not a number is returned as given, and a
 * currency code Intl rejects is written after the number ("1,200.00 XX").
 */
export function formatPrice(amount: string | number, currency: string, locale = "ja-JP"): string {
  locale = wellFormedLocale(locale);
  const value = typeof amount === "number" ? amount : Number(amount.trim() === "" ? NaN : amount);
  if (!Number.isFinite(value)) return String(amount).trim();
  const code = currency.trim().toUpperCase();
  const wholeUnits = WHOLE_UNIT_CURRENCIES.has(code) && Number.isInteger(value);
  try {
    return formatter(locale, code, wholeUnits).format(value);
  } catch {
    const number = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value);
    return code ? `${number} ${code}` : number;
  }
}

const exponents = new Map<string, number>();

/** The currency's minor-unit digits as Intl knows them (ISO 4217): JPY 0, USD 2, KWD 3; 2 for a code Intl rejects. */
export function currencyExponent(currency: string): number {
  const code = currency.trim().toUpperCase();
  let digits = exponents.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    exponents.set(code, digits);
  }
  return digits;
}

/**
 * A decimal amount written with its currency's minor units: "5000.0000" JPY → "5000", "3.1" KWD → "3.100". Works on
 * the digits, never on a float, and never drops a digit that is not zero ("1200.5" JPY stays "1200.5").
 */
export function amountText(amount: string, currency: string): string {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(amount.trim());
  if (!match) return amount.trim();
  const [, sign, whole, fraction = ""] = match;
  const digits = fraction.replace(/0+$/, "").padEnd(currencyExponent(currency), "0");
  return `${sign}${whole}${digits ? `.${digits}` : ""}`;
}
