// What the admin pages ship to the browser (the Remix build global-setup made): no zod, no LIFF SDK, no
// dictionaries, and App Bridge as the first script in <head> (Shopify measures Web Vitals with it).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessionStorage } from "~/shopify.server";
import { DESKTOP_USER_AGENT } from "../support/browser";
import { adminRequest, offlineSession } from "../support/shopify";
import { startWebServer, WEB_SERVER_HOOK_TIMEOUT_MS, type WebServer } from "../support/web-server";

const BUILD = path.resolve("public/build");
type ManifestRoute = { id: string; module: string; imports?: string[] };

function manifest(): Record<string, ManifestRoute> {
  const file = readdirSync(BUILD).find((name) => /^manifest-.*\.js$/.test(name));
  if (!file) throw new Error("no Remix build manifest in public/build");
  const source = readFileSync(path.join(BUILD, file), "utf8");
  return JSON.parse(source.slice(source.indexOf("{"), source.lastIndexOf("}") + 1)).routes;
}

/** The files a route loads up front (its module and its static imports), not what it may import later. */
function staticFiles(route: ManifestRoute): string[] {
  return [route.module, ...(route.imports ?? [])];
}

const read = (url: string) => readFileSync(path.join(BUILD, url.replace(/^\/build\//, "")), "utf8");
// The segment editor validates conditions in the browser as the merchant types: it keeps zod.
const ZOD_ALLOWED = ["routes/app.segments.$id"];

describe("admin bundles", () => {
  const routes = Object.values(manifest()).filter((route) => route.id.startsWith("routes/app"));

  it("knows the admin pages", () => {
    expect(routes.map((route) => route.id)).toContain("routes/app.friends._index");
  });

  it("keep zod out of every admin page but the segment editor", () => {
    const withZod = routes
      .filter((route) => !ZOD_ALLOWED.includes(route.id))
      .filter((route) => staticFiles(route).some((file) => read(file).includes("invalid_union")))
      .map((route) => route.id);
    expect(withZod).toEqual([]);
  });

  it("load the LIFF SDK only on LIFF pages", () => {
    const withLiff = routes.filter((route) => staticFiles(route).some((file) => /\/liff-[A-Z0-9]+\.js$/.test(file)));
    expect(withLiff.map((route) => route.id)).toEqual([]);
  });

  it("carry no dictionary: the app route's loader sends the current locale's words", () => {
    // One Japanese and one English string of the shared dictionary, found only in app/i18n.
    const files = new Set(routes.flatMap(staticFiles));
    const holding = [...files].filter((file) => {
      const text = read(file);
      return text.includes("保存していない変更があります") || text.includes("Leaving this page will discard");
    });
    expect(holding).toEqual([]);
  });
});

describe("admin page head", () => {
  let server: WebServer | undefined;
  beforeAll(async () => {
    await sessionStorage.storeSession(offlineSession());
    server = await startWebServer();
  }, WEB_SERVER_HOOK_TIMEOUT_MS);
  afterAll(() => server?.stop());

  it("loads App Bridge before any other script", async () => {
    const request = await adminRequest("/app", { locale: "ja" });
    const url = new URL(request.url);
    // The Shopify library answers bots with 410; ask as a browser would.
    const response = await fetch(`${server!.url}${url.pathname}${url.search}`, { headers: { "user-agent": DESKTOP_USER_AGENT } });
    expect(response.status).toBe(200);
    const html = await response.text();
    const head = html.slice(0, html.indexOf("</head>"));
    const scripts = [...head.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    expect(scripts[0]).toContain('src="https://cdn.shopify.com/shopifycloud/app-bridge.js"');
    expect(head).toContain('<meta name="shopify-api-key"');
  });
});
