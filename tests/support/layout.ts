// Layout checks for admin pages in Chromium: nothing may stick out of its card, the page may not scroll sideways,
// and a Japanese page shows no English outside what the merchant or LINE wrote.
import type { Page } from "playwright-core";
import { expect } from "vitest";

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

const CARD = ".Polaris-ShadowBevel, .Polaris-LegacyCard";

type Overflow = { card: string; element: string; text: string; left: number; right: number; cardLeft: number; cardRight: number };

/** Every visible element inside a card, with the card's box where it goes past it horizontally. */
export async function overflows(page: Page): Promise<{ pageScrollsSideways: boolean; overflows: Overflow[] }> {
  return page.evaluate((cardSelector) => {
    const describe = (element: Element) =>
      `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ""}.${[...element.classList].slice(0, 2).join(".")}`;
    const found: Overflow[] = [];
    const cards = [...document.querySelectorAll(cardSelector)].filter((card) => !card.parentElement?.closest(cardSelector));
    for (const card of cards) {
      const box = card.getBoundingClientRect();
      if (box.width === 0) continue;
      for (const element of card.querySelectorAll("*")) {
        const style = getComputedStyle(element);
        if (style.visibility === "hidden" || style.display === "none" || style.position === "fixed") continue;
        const rect = element.getBoundingClientRect();
        // Polaris' visually hidden text (1 px, clipped) is for screen readers.
        if (rect.width <= 1 || rect.height <= 1) continue;
        // A row meant to scroll sideways (one marked data-scrolls-sideways) may.
        if (element.closest("[data-scrolls-sideways]")) continue;
        // So may what is inside Polaris' filter pill row (Polaris-Filters__FiltersInner) while that row scrolls
        // (overflow-x auto below 48em); the row itself must still fit.
        const pills = element.parentElement?.closest(".Polaris-Filters__FiltersInner");
        if (pills && ["auto", "scroll"].includes(getComputedStyle(pills).overflowX)) continue;
        // Inside that 1 px clipped box an element keeps its own width (DropZone's file input): not seen either.
        if (element.closest(".Polaris-Text--visuallyHidden")) continue;
        if (rect.left < box.left - 1 || rect.right > box.right + 1) {
          found.push({
            card: describe(card),
            element: describe(element),
            text: (element.textContent ?? "").trim().slice(0, 60),
            left: Math.round(rect.left),
            right: Math.round(rect.right),
            cardLeft: Math.round(box.left),
            cardRight: Math.round(box.right),
          });
        }
      }
    }
    return { pageScrollsSideways: document.documentElement.scrollWidth > window.innerWidth + 1, overflows: found };
  }, CARD) as Promise<{ pageScrollsSideways: boolean; overflows: Overflow[] }>;
}

/** Nothing overflows its card horizontally and the page does not scroll sideways. */
export async function expectFits(page: Page) {
  const result = await overflows(page);
  expect(result.overflows.slice(0, 10), `overflowing elements at ${page.viewportSize()?.width} px on ${page.url()}`).toEqual([]);
  expect(result.pageScrollsSideways, `page scrolls sideways at ${page.viewportSize()?.width} px`).toBe(false);
}

/**
 * Words that are the same in a Japanese admin: product and protocol names, units, formats. Anything else in Latin
 * letters on a Japanese page is an untranslated string, unless it sits inside an element marked `translate="no"`
 * (what the merchant, a shopper or LINE wrote: names, messages, tags, URLs, codes).
 */
export const SAME_IN_JAPANESE = [
  "LINE", "LIFF", "Shopify", "Flex", "URL", "UTM", "CSV", "QR", "PNG", "SVG", "JPEG", "API", "ID", "IDs", "Webhook",
  "Bot", "Chat", "Messaging", "Login", "Official", "Account", "Manager", "Developers", "OA", "SMTP", "Chatwork",
  "Email", "PDF", "JST", "UTC", "GMT", "Asia", "Tokyo", "Taipei", "Bangkok", "JPY", "TWD", "THB", "USD", "px", "KB",
  "MB", "CTR", "CV", "CVR", "AOV", "Polaris", "Flow", "POS", "SMS", "iOS", "Android", "PC", "ON", "OFF", "GID",
  // The product's name, the Japanese marketing term for a landing page, the Enter key, a product name.
  "CRM", "LP", "Enter", "Google", "Analytics",
];

/** Latin words on the page outside user data and outside `allow` (plus SAME_IN_JAPANESE). */
export async function englishWords(page: Page, allow: string[] = []): Promise<string[]> {
  const words: string[] = await page.evaluate(() => {
    const root = document.querySelector(".Polaris-Page") ?? document.body;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    const out: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('[translate="no"], script, style, code, pre, ui-nav-menu, ui-save-bar, [hidden]')) continue;
      const style = getComputedStyle(parent);
      if (style.display === "none" || style.visibility === "hidden") continue;
      // A {placeholder} the merchant types into a template is a code, not a word.
      const text = (node.textContent ?? "").replace(/\{\w+\}/g, "");
      for (const word of text.match(/[A-Za-z][A-Za-z'’]+/g) ?? []) out.push(word);
    }
    for (const input of document.querySelectorAll<HTMLInputElement>("input[placeholder], textarea[placeholder]")) {
      if (input.closest('[translate="no"]')) continue;
      // An example of a URL or query string ("utm_source=line&…") is code.
      if (/=|:\/\//.test(input.placeholder)) continue;
      for (const word of input.placeholder.match(/[A-Za-z][A-Za-z'’]+/g) ?? []) out.push(word);
    }
    return out;
  });
  const allowed = new Set([...SAME_IN_JAPANESE, ...allow].map((word) => word.toLowerCase()));
  return [...new Set(words.filter((word) => !allowed.has(word.toLowerCase())))];
}

/** A Japanese page shows no English outside user data (mark it `translate="no"`) and `allow`. */
export async function expectNoEnglish(page: Page, allow: string[] = []) {
  expect(await englishWords(page, allow), `English words on the Japanese page ${page.url()}`).toEqual([]);
}
