// Formatting for the friends pages that renders the same on the server and in the browser: dates in the shop's
// time zone (never the browser's), assembled from parts, with one Intl.DateTimeFormat per (locale, time zone,
// options) for the life of the page; and a name's first user-perceived character for the avatar.

const formats = new Map<string, Intl.DateTimeFormat>();

/** A cached Intl.DateTimeFormat: creating one costs far more than formatting with it. */
export function dateTimeFormat(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, format);
  }
  return format;
}

const DATE = { year: "numeric", month: "2-digit", day: "2-digit" } as const;
const DATE_TIME = { ...DATE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" } as const;

function parts(date: Date | string, timeZone: string, withTime: boolean) {
  const found = dateTimeFormat("en", timeZone, withTime ? DATE_TIME : DATE).formatToParts(new Date(date));
  const part = (type: string) => found.find((p) => p.type === type)?.value ?? "";
  const day = `${part("year")}/${part("month")}/${part("day")}`;
  return withTime ? `${day} ${part("hour")}:${part("minute")}` : day;
}

/** 2026/10/01 in the shop's time zone; "—" without a date. */
export function formatDay(date: Date | string | null | undefined, timeZone: string): string {
  return date ? parts(date, timeZone, false) : "—";
}

/** 2026/10/01 12:00 in the shop's time zone; "—" without a date. */
export function formatDateTime(date: Date | string | null | undefined, timeZone: string): string {
  return date ? parts(date, timeZone, true) : "—";
}

const graphemes = typeof Intl.Segmenter === "function" ? new Intl.Segmenter("en", { granularity: "grapheme" }) : null;

/** The first user-perceived character (an emoji with its modifiers stays whole); undefined for a blank name. */
export function firstGrapheme(name: string | null | undefined): string | undefined {
  const trimmed = name?.trim();
  if (!trimmed) return undefined;
  if (graphemes) {
    for (const { segment } of graphemes.segment(trimmed)) return segment;
  }
  return Array.from(trimmed)[0];
}
