// The cart reminder's default words in the account's language (LineAccount.messageLanguage): what a new account's
// settings start with. Saved settings are the merchant's and are never rewritten. Browser-safe.
import type { MessageLanguage } from "../line/message-language";
import { DEFAULT_REMINDER_SETTINGS } from "./settings";

export type ReminderTemplate = Pick<typeof DEFAULT_REMINDER_SETTINGS, "title" | "body" | "moreItemsText" | "buttonText">;

export const REMINDER_TEMPLATES: Record<MessageLanguage, ReminderTemplate> = {
  ja: {
    title: DEFAULT_REMINDER_SETTINGS.title,
    body: DEFAULT_REMINDER_SETTINGS.body,
    moreItemsText: DEFAULT_REMINDER_SETTINGS.moreItemsText,
    buttonText: DEFAULT_REMINDER_SETTINGS.buttonText,
  },
  en: {
    title: "Did you forget something?",
    body: "You still have items in your cart. Complete your order while they are in stock.",
    moreItemsText: "and {count} more item(s)",
    buttonText: "Back to checkout",
  },
  "zh-TW": {
    title: "您是否忘了結帳呢？",
    body: "您的購物車裡還有商品喔。趁商品還有庫存，歡迎盡快完成購買。",
    moreItemsText: "以及其他 {count} 件商品",
    buttonText: "返回結帳",
  },
  th: {
    title: "ลืมสินค้าไว้ในตะกร้าหรือเปล่า?",
    body: "ยังมีสินค้ารออยู่ในตะกร้าของคุณ กรุณาสั่งซื้อให้เรียบร้อยก่อนสินค้าจะหมดนะคะ",
    moreItemsText: "และสินค้าอื่นอีก {count} รายการ",
    buttonText: "กลับไปชำระเงิน",
  },
};

/** The settings a new account starts with: the shared defaults, in the account's language. */
export function defaultReminderSettings(language: MessageLanguage | string | null | undefined): typeof DEFAULT_REMINDER_SETTINGS {
  const template = REMINDER_TEMPLATES[(language ?? "ja") as MessageLanguage] ?? REMINDER_TEMPLATES.ja;
  return { ...DEFAULT_REMINDER_SETTINGS, ...template };
}
