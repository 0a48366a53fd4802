// What the segment editor offers to pick from (client-safe): the shop's accounts, tags and tracking links, the
// shop's time zone for date ranges, and the languages LINE reports most.
export type EditorOptions = {
  accounts: { id: string; displayName: string }[];
  tags: { id: string; name: string; color: string }[];
  links: { id: string; name: string; archived: boolean }[];
  timeZone: string;
  /** The shop's currency (Shop.currency): "total spent" is compared in it. */
  currency?: string | null;
  /** The shop's LIFF forms with their choice and text questions ("answered form F", "answer to Q is V"). */
  forms?: FormOption[];
};

export type FormOption = {
  id: string;
  title: string;
  archived: boolean;
  questions: { id: string; label: string; kind: "choice" | "text"; choices: { id: string; label: string }[] }[];
};

export const LANGUAGES = ["ja", "en", "zh-Hant", "zh-Hans", "ko", "th", "id"] as const;
