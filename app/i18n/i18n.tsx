import { createContext, useContext, type ReactNode } from "react";
import { translate, type Locale, type MessageKey } from "./messages";

const LocaleContext = createContext<Locale>("en");

export function LocaleProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

export function useT() {
  const locale = useContext(LocaleContext);
  return (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
}
