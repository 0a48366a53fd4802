// The かご落ちLINE settings' options, limits, defaults and the checks the settings page runs as the merchant types
// (query parameters, colour contrast), without zod: app/abandoned-cart/settings.ts re-exports these and adds the
// form's schema, which only the server runs, so the page's browser chunk stays free of zod.
/** Minutes after the checkout started: immediately, 1 h, 6 h, 10 h (recommended), 24 h. */
export const DELAY_OPTIONS = [0, 60, 360, 600, 1440] as const;
export type DelayMinutes = (typeof DELAY_OPTIONS)[number];
export const RECOMMENDED_DELAY_MINUTES: DelayMinutes = 600;

export const SETTINGS_LIMITS = {
  tags: 10,
  tagName: 50,
  title: 40,
  body: 500,
  moreItemsText: 60,
  // LINE allows 40 for a Flex button label; a short label also fits one line on a phone.
  buttonText: 20,
  queryParams: 300,
  queryPairs: 10,
} as const;

/** Mirrors the column defaults of CartReminderSettings in prisma/schema.prisma. */
export const DEFAULT_REMINDER_SETTINGS = {
  enabled: false,
  delayMinutes: RECOMMENDED_DELAY_MINUTES,
  tagsToAdd: [] as string[],
  tagsToRemove: [] as string[],
  title: "お買い忘れはありませんか？",
  body: "カートに商品が残っています。在庫があるうちにお買い求めください。",
  moreItemsText: "ほか{count}点の商品",
  buttonText: "購入手続きに戻る",
  headerColor: "#06C755",
  buttonColor: "#06C755",
  queryParams: "utm_source=line&utm_medium=abandoned_cart&utm_campaign=recover",
  quietHoursEnabled: false,
  quietStart: "22:00",
  quietEnd: "08:00",
  attributionDays: 7,
};

export const HEX_COLOR = /^#[0-9A-Fa-f]{6}$/;
const QUERY_KEY = /^[A-Za-z0-9_.-]+$/;

function decodeOrNull(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** Why a query string cannot be used (an i18n key), or null when it can. Empty is allowed. */
export function queryParamsError(input: string): string | null {
  const value = input.trim().replace(/^\?/, "");
  if (value === "") return null;
  if (/[#\s]/.test(value)) return "cart.error.queryParams";
  const pairs = value.split("&");
  if (pairs.length > SETTINGS_LIMITS.queryPairs) return "cart.error.queryParamsTooMany";
  const keys = new Set<string>();
  let encodedLength = pairs.length - 1;
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at);
    const raw = at < 0 ? "" : pair.slice(at + 1);
    const decoded = decodeOrNull(raw);
    if (!QUERY_KEY.test(key) || raw === "" || decoded === null) return "cart.error.queryParams";
    if (keys.has(key)) return "cart.error.queryParamsDuplicate";
    keys.add(key);
    encodedLength += key.length + 1 + encodeURIComponent(decoded).length;
  }
  // Counted as it is appended to links (percent-encoded), so links stay well under LINE's 1000-char URI limit.
  return encodedLength > SETTINGS_LIMITS.queryParams ? "cart.error.queryParamsTooLong" : null;
}

// ---------------------------------------------------------------- colors (WCAG 2.x relative luminance)

function luminance(hex: string): number {
  if (!HEX_COLOR.test(hex)) throw new RangeError(`Not a #RRGGBB color: ${JSON.stringify(hex)}`);
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #RRGGBB colors, from 1 to 21. Throws a RangeError on another format. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The text color (white or near-black) with the higher contrast on `background`. */
export function readableTextColor(background: string): "#FFFFFF" | "#111111" {
  return contrastRatio(background, "#FFFFFF") >= contrastRatio(background, "#111111") ? "#FFFFFF" : "#111111";
}
