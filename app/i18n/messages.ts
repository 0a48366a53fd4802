// Admin UI strings. Each feature keeps its own dictionary (en is the reference, ja mirrors it key for key,
// which the types enforce); this file merges them.
import * as home from "./home";
import * as friends from "./friends";
import * as lineAccounts from "./line-accounts";
import * as tags from "./tags";
import * as greeting from "./greeting";
import * as autoReplies from "./auto-replies";
import * as trackingLinks from "./tracking-links";
import * as abandonedCart from "./abandoned-cart";
import * as messagesComposer from "./messages-composer";
import * as lineErrors from "./line-errors";
import * as segments from "./segments";
import * as broadcasts from "./broadcasts";
import * as scenarios from "./scenarios";
import * as scenarioPages from "./scenario-pages";

import * as customers from "./customers";

import * as richMenus from "./rich-menus";
import * as richMenuPages from "./rich-menu-pages";

import * as inbox from "./inbox";
import * as notifications from "./notifications";
import * as forms from "./forms";
import * as common from "./common";
import * as demo from "./demo";

const en = { ...home.en, ...friends.en, ...lineAccounts.en, ...tags.en, ...greeting.en, ...autoReplies.en, ...trackingLinks.en, ...abandonedCart.en, ...messagesComposer.en, ...lineErrors.en, ...segments.en, ...broadcasts.en, ...scenarios.en, ...scenarioPages.en, ...customers.en, ...richMenus.en, ...richMenuPages.en, ...inbox.en, ...notifications.en, ...forms.en, ...common.en, ...demo.en } as const;
const ja: Record<keyof typeof en, string> = { ...home.ja, ...friends.ja, ...lineAccounts.ja, ...tags.ja, ...greeting.ja, ...autoReplies.ja, ...trackingLinks.ja, ...abandonedCart.ja, ...messagesComposer.ja, ...lineErrors.ja, ...segments.ja, ...broadcasts.ja, ...scenarios.ja, ...scenarioPages.ja, ...customers.ja, ...richMenus.ja, ...richMenuPages.ja, ...inbox.ja, ...notifications.ja, ...forms.ja, ...common.ja, ...demo.ja };

export type MessageKey = keyof typeof en;

export const messages = { en, ja } as const;
export type Locale = keyof typeof messages;
export const LOCALES = Object.keys(messages) as Locale[];

/** Admin locales look like "ja", "ja-JP", "en-US"; anything we do not speak falls back to English. */
export function resolveLocale(...candidates: (string | null | undefined)[]): Locale {
  for (const candidate of candidates) {
    const language = candidate?.split(/[-_,;]/)[0]?.trim().toLowerCase();
    if (language && language in messages) return language as Locale;
  }
  return "en";
}

export function translate(locale: Locale, key: MessageKey, values?: Record<string, string | number>) {
  const template: string = messages[locale][key] ?? en[key];
  return template.replace(/\{(\w+)\}/g, (match, name: string) => String(values?.[name] ?? match));
}
