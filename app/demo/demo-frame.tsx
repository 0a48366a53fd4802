// The frame of the demo's own pages (outside the embedded admin): Polaris and the dictionaries, no App Bridge.
import { AppProvider } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisJa from "@shopify/polaris/locales/ja.json";
import type { ReactNode } from "react";
import { LocaleProvider, type Dictionary } from "../i18n/i18n";
import type { Locale } from "../i18n/messages";

const polarisTranslations = { en: polarisEn, ja: polarisJa };

/** `messages`: the locale's dictionary from the page's loader (no browser module imports the dictionaries). */
export function DemoFrame({ locale, messages, children }: { locale: Locale; messages: Dictionary; children: ReactNode }) {
  return (
    <AppProvider i18n={polarisTranslations[locale]}>
      <LocaleProvider locale={locale} messages={messages}>
        <div lang={locale}>{children}</div>
      </LocaleProvider>
    </AppProvider>
  );
}
