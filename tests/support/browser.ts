// Headless Debian Chromium through playwright-core, with the flags that work offline and as root.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContextOptions, type Page, type Response } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { adminRequest, sessionToken, TEST_SHOP_DOMAIN } from "./shopify";
import { startWebServer, WEB_SERVER_HOOK_TIMEOUT_MS, type WebServer } from "./web-server";

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

const APP_BRIDGE_STUB = readFileSync(path.resolve("tests/support/app-bridge-stub.js"), "utf8");

/**
 * Scripts from Shopify's CDN cannot load here: App Bridge is answered by the local stand-in
 * (tests/support/app-bridge-stub.js: toasts in `window.__toasts`, the save bar as `<html data-save-bar-open>`),
 * anything else with an empty script.
 */
export async function stubShopifyCdn(page: Page) {
  await page.route(/^https:\/\/cdn\.shopify\.com\//, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/javascript",
      body: new URL(route.request().url()).pathname === "/shopifycloud/app-bridge.js" ? APP_BRIDGE_STUB : "",
    }),
  );
}

/** Resolves once React has hydrated the page: Polaris' AppProvider styles <body> when it mounts in the browser. */
export async function waitForHydration(page: Page) {
  await page.waitForFunction(() => document.readyState === "complete" && document.body.style.backgroundColor !== "");
}

/** The toasts App Bridge was asked to show on this page, oldest first. */
export async function toasts(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __toasts?: string[] }).__toasts ?? []);
}

/** Waits until a toast with this text was shown. */
export async function waitForToast(page: Page, text: string) {
  await page.waitForFunction((expected) => ((window as unknown as { __toasts?: string[] }).__toasts ?? []).includes(expected), text);
}

/** The id of the contextual save bar that is showing, or null. */
export async function openSaveBar(page: Page): Promise<string | null> {
  return page.evaluate(() => document.documentElement.getAttribute("data-save-bar-open"));
}

export async function screenshot(page: Page, name: string) {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const file = path.join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export type AdminPageOptions = {
  locale: string;
  shop?: string;
  /** The status the page must answer with. */
  status?: number;
  viewport?: BrowserContextOptions["viewport"];
  permissions?: string[];
  /** Runs on the new page before it loads (more routes, timeouts). */
  prepare?: (page: Page) => Promise<void>;
};

/**
 * Opens an embedded admin page the way the Shopify admin opens it: the session token in the URL, and on the
 * app's own fetches (App Bridge adds it there; its script is stubbed here, so this does the same).
 * `errors` collects the page's uncaught exceptions.
 */
export async function openAdminPage(
  browser: Browser,
  server: { url: string },
  path: string,
  options: AdminPageOptions,
): Promise<{ page: Page; response: Response | null; errors: string[] }> {
  const shop = options.shop ?? TEST_SHOP_DOMAIN;
  const page = await browser.newPage({
    // About the app's frame in the admin on a 1440-pixel screen.
    viewport: options.viewport ?? { width: 1200, height: 900 },
    userAgent: DESKTOP_USER_AGENT,
    permissions: options.permissions,
  });
  await stubShopifyCdn(page);
  await options.prepare?.(page);
  const token = await sessionToken(shop);
  await page.route(`${server.url}/**`, (route) =>
    route.request().resourceType() === "fetch"
      ? route.continue({ headers: { ...route.request().headers(), authorization: `Bearer ${token}` } })
      : route.continue(),
  );
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const admin = new URL((await adminRequest(path, { locale: options.locale, shop })).url);
  const response = await page.goto(`${server.url}${admin.pathname}${admin.search}`);
  expect(response?.status()).toBe(options.status ?? 200);
  // A control used before React has hydrated loses its change (React resets it to the server's value).
  if ((options.status ?? 200) === 200) await waitForHydration(page);
  return { page, response, errors };
}

/**
 * The real web process and Chromium for one test file: started in beforeAll once `seed` has filled the database,
 * stopped in afterAll. `open` opens an admin page in that browser (openAdminPage) with the file's `page` defaults.
 */
export function adminBrowser(options: {
  seed: () => Promise<void>;
  timeout?: number;
  page?: Omit<AdminPageOptions, "locale">;
}) {
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    await options.seed();
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  }, Math.max(options.timeout ?? 0, WEB_SERVER_HOOK_TIMEOUT_MS));
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  const started = () => {
    if (!server || !browser) throw new Error("adminBrowser: the web server and browser start in beforeAll");
    return { server, browser };
  };
  return {
    open: (path: string, locale: string, more: Omit<AdminPageOptions, "locale"> = {}) => {
      const { server, browser } = started();
      return openAdminPage(browser, server, path, { ...options.page, ...more, locale });
    },
    /** The web process's address, for navigating an open page further. */
    url: () => started().server.url,
  };
}

/** The empty state's picture has loaded, has a size, and has faded in (Polaris fades it over 150 ms). */
export async function emptyStateIllustrationShown(page: Page) {
  const image = page.locator(".Polaris-EmptyState__Image.Polaris-EmptyState--loaded");
  await image.waitFor();
  expect((await image.boundingBox())?.height).toBeGreaterThan(100);
  await page.waitForFunction(
    () => getComputedStyle(document.querySelector(".Polaris-EmptyState__Image")!).opacity === "1",
  );
}
