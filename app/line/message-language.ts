// The language an account writes to its friends in (LineAccount.messageLanguage): cart-reminder templates start in
// it and the LIFF page falls back to it. Browser-safe.

export const MESSAGE_LANGUAGES = ["ja", "en", "zh-TW", "th"] as const;
export type MessageLanguage = (typeof MESSAGE_LANGUAGES)[number];

export function isMessageLanguage(value: unknown): value is MessageLanguage {
  return typeof value === "string" && (MESSAGE_LANGUAGES as readonly string[]).includes(value);
}

/**
 * From the shop's primary locale and time zone (the country's stand-in: the Admin API gives both at sync):
 * a Traditional Chinese locale or a Taiwan shop writes Traditional Chinese, a Thai one Thai, a Japanese one
 * Japanese, an English-only shop elsewhere English; Japanese when nothing says otherwise.
 * The same rule as the backfill in prisma/migrations/20261130201000_account_message_language.
 */
export function inferMessageLanguage(shop: { locale?: string | null; timeZone?: string | null } | null | undefined): MessageLanguage {
  const locale = (shop?.locale ?? "").toLowerCase();
  const zone = shop?.timeZone ?? "";
  if (locale === "zh-tw" || locale === "zh-hk" || locale.startsWith("zh-hant")) return "zh-TW";
  if (locale.startsWith("th")) return "th";
  if (zone === "Asia/Taipei") return "zh-TW";
  if (zone === "Asia/Bangkok") return "th";
  if (zone === "Asia/Tokyo" || locale.startsWith("ja")) return "ja";
  if (locale.startsWith("en")) return "en";
  return "ja";
}
