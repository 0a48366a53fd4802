// The admin's words in React: LocaleProvider holds the current locale and its dictionary, useT() translates.
// Only the current locale's dictionary reaches the browser: the app route's loader returns it and passes it to
// LocaleProvider. No browser module imports the dictionaries (app/i18n/<area>.ts); on the server (and in tests
// that render components without a loader) LocaleProvider falls back to the dictionaries themselves.
import { createContext, useContext, type ReactNode } from "react";
import { messages as serverMessages } from "./dictionaries.server";
import type { Locale, MessageKey } from "./messages";

export type Dictionary = Readonly<Record<MessageKey, string>>;

type I18n = { locale: Locale; messages: Partial<Dictionary> };

// Undefined in the browser (the .server module is empty there).
const fallback = (locale: Locale): Partial<Dictionary> => (serverMessages as typeof serverMessages | undefined)?.[locale] ?? {};

const I18nContext = createContext<I18n | null>(null);

// The keys of the dictionary in use. Every locale has the same keys (the dictionaries' types enforce it), so this
// answers isMessageKey() the same for every request and locale.
let knownKeys: Partial<Dictionary> = fallback("en");

export function LocaleProvider({ locale, messages, children }: { locale: Locale; messages?: Dictionary; children: ReactNode }) {
  const dictionary = messages ?? fallback(locale);
  knownKeys = dictionary;
  return <I18nContext.Provider value={{ locale, messages: dictionary }}>{children}</I18nContext.Provider>;
}

function useI18n(): I18n {
  return useContext(I18nContext) ?? { locale: "en", messages: fallback("en") };
}

export function useLocale(): Locale {
  return useI18n().locale;
}

/** Fills `{name}` placeholders; an unknown placeholder stays as written. */
export function formatMessage(template: string, values?: Record<string, string | number>) {
  return template.replace(/\{(\w+)\}/g, (match, name: string) => String(values?.[name] ?? match));
}

export function useT() {
  const { messages } = useI18n();
  return (key: MessageKey, values?: Record<string, string | number>) => formatMessage(messages[key] ?? key, values);
}

/** Whether `key` names a message: codes from the server are message keys or plain text to show as it is. */
export function isMessageKey(key: string): key is MessageKey {
  return key in knownKeys;
}
