// What the segment editor offers to pick from (client-safe): the shop's accounts, tags and tracking links, the
// shop's time zone for date ranges, and the languages LINE reports most.
export type EditorOptions = {
  accounts: { id: string; displayName: string }[];
  tags: { id: string; name: string; color: string }[];
  links: { id: string; name: string; archived: boolean }[];
  timeZone: string;
  /** The shop's currency (Shop.currency): "total spent" is compared in it. */
  currency?: string | null;
};

export const LANGUAGES = ["ja", "en", "zh-Hant", "zh-Hans", "ko", "th", "id"] as const;
