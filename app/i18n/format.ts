// Formatting shared by the admin's components, the same on the server and in the browser (so React keeps the
// server's HTML): formatters are created once per locale and options and cached (not per row per render), and
// always get an explicit locale and time zone, never the machine's.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

/** A cached Intl.DateTimeFormat: pass the shop's `timeZone` in options so server and browser agree. */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format;
}

/** A cached Intl.NumberFormat. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

/** "ja-JP" for Japanese, "en-US" otherwise: the admin's locale as Intl wants it. */
export function intlLocale(locale: string): string {
  return locale === "ja" ? "ja-JP" : "en-US";
}

/** 1,234 in the admin's locale (not the machine's: `toLocaleString()` differs between server and browser). */
export function formatCount(value: number, locale = "en"): string {
  return numberFormat(intlLocale(locale)).format(value);
}

/** "2026/11/30 09:05" (or the date alone) in `timeZone`, the same in every locale. */
export function formatDateTime(iso: string | Date | null | undefined, timeZone: string, withTime = true): string {
  if (!iso) return "—";
  const options: Intl.DateTimeFormatOptions = { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hourCycle: "h23" };
  if (withTime) Object.assign(options, { hour: "2-digit", minute: "2-digit" });
  const parts = dateTimeFormat("en", options).formatToParts(typeof iso === "string" ? new Date(iso) : iso);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const date = `${part("year")}/${part("month")}/${part("day")}`;
  return withTime ? `${date} ${part("hour")}:${part("minute")}` : date;
}

const graphemes = typeof Intl.Segmenter === "function" ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

/**
 * The first character a person sees of a name (an avatar's initial): a whole grapheme, so an emoji (a surrogate
 * pair, or several code points joined) is never cut in half. `slice(0, 1)` would leave half a surrogate pair,
 * which the server writes as U+FFFD and the browser keeps, and React then discards the server's HTML.
 */
export function initial(name: string | null | undefined): string | undefined {
  const trimmed = name?.trim();
  if (!trimmed) return undefined;
  if (graphemes) {
    for (const { segment } of graphemes.segment(trimmed)) return segment;
  }
  return Array.from(trimmed)[0];
}
