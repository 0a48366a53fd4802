// Headless Debian Chromium through playwright-core, with the flags that work offline and as root.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";

export const OUTPUT_DIR = path.resolve("tests/output");

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

// The Shopify library answers 410 to bots, and isbot counts "HeadlessChrome" as one.
export const DESKTOP_USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/** Scripts from Shopify's CDN (App Bridge) cannot load here; answer them with an empty script. */
export async function stubShopifyCdn(page: Page) {
  await page.route(/^https:\/\/cdn\.shopify\.com\//, (route) =>
    route.fulfill({ status: 200, contentType: "text/javascript", body: "" }),
  );
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
