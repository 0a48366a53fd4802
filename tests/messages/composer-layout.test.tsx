// The composer's first paint in Chromium with Polaris' styles: the preview beside the messages at 1280 px and below
// them at 390 px. Screenshots: tests/output/messages-composer-{1280,390}-{en,ja}.png.
import { readFileSync } from "node:fs";
import { AppProvider } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisJa from "@shopify/polaris/locales/ja.json";
import type { Browser } from "playwright-core";
import { renderToString } from "react-dom/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocaleProvider } from "~/i18n/i18n";
import type { Locale } from "~/i18n/messages";
import { MessageComposer } from "~/messages/composer";
import type { ComposedMessage } from "~/messages/model";
import { launchBrowser, screenshot } from "../support/browser";

const styles = readFileSync("node_modules/@shopify/polaris/build/esm/styles.css", "utf8");
const TEA = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><rect width="600" height="600" fill="#7BA05B"/><circle cx="300" cy="300" r="160" fill="#E8F0D8"/></svg>`;

const card = (n: number, title: string, price: string) => ({
  productId: `gid://shopify/Product/${n}`,
  title,
  price,
  currency: "JPY",
  imageUrl: `https://cdn.shopify.com/s/files/tea-${n}.jpg`,
  url: `https://tea.example/products/tea-${n}`,
});

const value: ComposedMessage[] = [
  { type: "text", text: "{displayName}さん、こんにちは🍵\n新茶の季節です。今だけ送料無料でお届けします。", fallbackName: "" },
  { type: "image", url: "https://cdn.shopify.com/s/files/banner.jpg", previewUrl: "https://cdn.shopify.com/s/files/banner.jpg" },
  { type: "products", products: [card(1, "静岡 煎茶 100g", "1200"), card(2, "八女 玉露 50g", "3000"), card(3, "京都 ほうじ茶", "980")], buttonLabel: "商品を見る" },
];

function page(locale: Locale) {
  const body = renderToString(
    <AppProvider i18n={locale === "ja" ? polarisJa : polarisEn}>
      <LocaleProvider locale={locale}>
        <div style={{ padding: 16 }}>
          <MessageComposer value={value} onChange={() => {}} sender="Tokyo Tea" utm={{ utm_source: "line" }} errors={{ "1.url": "messagesComposer.error.imageUrl" }} />
        </div>
      </LocaleProvider>
    </AppProvider>,
  );
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><style>${styles}</style></head><body>${body}</body></html>`;
}

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe("composer layout", () => {
  for (const locale of ["en", "ja"] as const) {
    for (const width of [1280, 390]) {
      it(`${locale} at ${width} px: preview ${width > 768 ? "beside" : "below"} the messages`, async () => {
        const tab = await browser.newPage({ viewport: { width, height: 900 } });
        await tab.route(/^https:\/\/cdn\.shopify\.com\//, (route) => route.fulfill({ status: 200, contentType: "image/svg+xml", body: TEA }));
        await tab.setContent(page(locale), { waitUntil: "load" });
        const editor = await tab.getByText(locale === "ja" ? "メッセージ1" : "Message 1", { exact: true }).boundingBox();
        const preview = await tab.getByTestId("messages-preview").boundingBox();
        expect(editor && preview).toBeTruthy();
        if (width > 768) expect(preview!.x).toBeGreaterThan(editor!.x + editor!.width);
        else expect(preview!.y).toBeGreaterThan(editor!.y + 300);
        // Nothing wider than the screen but the carousel's own sideways scroll.
        const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await screenshot(tab, `messages-composer-${width}-${locale}`);
        await tab.close();
      });
    }
  }
});
