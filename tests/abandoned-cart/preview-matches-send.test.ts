// The settings page's live preview is what the worker pushes: the same checkout and settings go through the real
// send path (to the LINE fake) and through the page (loader data → previewMessage); once each /r/<code> redirect
// in the pushed message is replaced by its target, the two Flex messages are equal.
import { beforeAll, describe, expect, it } from "vitest";
import { APP_URL } from "@shopify/shopify-api/test-helpers";
import { db } from "~/db.server";
import { storeCheckout } from "~/abandoned-cart/checkouts.server";
import type { GraphQL } from "~/abandoned-cart/product-info.server";
import { sendCartReminder } from "~/abandoned-cart/send.server";
import { previewMessage } from "~/abandoned-cart/preview";
import { loader } from "~/routes/app.abandoned-cart";
import { sessionStorage } from "~/shopify.server";
import { checkoutPayload } from "../support/checkouts";
import { createFriend, createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { adminFake } from "../support/shopify-admin-fake";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;

// The Admin API as the worker reaches it, answered by the per-file fake.
const graphql = async (): Promise<GraphQL> => (query, options) =>
  fetch(`https://${SHOP}/admin/api/2025-10/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables: options?.variables ?? {} }),
  });

/** `value` with every string equal to a key of `replacements` replaced; counts the replacements. */
function replaceStrings(value: unknown, replacements: Map<string, string>, counter: { n: number }): unknown {
  if (typeof value === "string") {
    const replacement = replacements.get(value);
    if (replacement === undefined) return value;
    counter.n += 1;
    return replacement;
  }
  if (Array.isArray(value)) return value.map((item) => replaceStrings(item, replacements, counter));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceStrings(item, replacements, counter)]));
  }
  return value;
}

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  const fake = adminFake();
  fake.products.set("1001", { id: "1001", handle: "shizuoka-sencha", imageUrl: "https://cdn.shopify.com/s/files/sencha.jpg", variants: { "2001": "https://cdn.shopify.com/s/files/sencha-can.jpg" } });
  fake.products.set("1002", { id: "1002", handle: "yame-gyokuro", imageUrl: null, variants: { "2002": null } });
  fake.products.set("1003", { id: "1003", handle: "hojicha", imageUrl: "https://cdn.shopify.com/s/files/hojicha.jpg" });
});

describe("preview and worker", () => {
  it("draw the same Flex message for the same checkout and settings", async () => {
    const { account, channel } = await connectedAccount(db, SHOP);
    const settings = {
      enabled: true,
      title: "お買い忘れはありませんか？🛒",
      body: "カートに商品が残っています。\n在庫があるうちにどうぞ。",
      moreItemsText: "ほか{count}点の商品もお待ちしています",
      buttonText: "カートに戻る",
      headerColor: "#FFE000",
      buttonColor: "#0A7D3B",
      queryParams: "utm_source=line&utm_medium=abandoned_cart&utm_campaign=夏セール",
    };
    await db.cartReminderSettings.create({ data: { lineAccountId: account.id, shop: SHOP, ...settings } });
    const friend = await createFriend(db, account);
    const checkout = await storeCheckout(
      SHOP,
      checkoutPayload({
        createdAt: new Date(Date.now() - 11 * 3_600_000),
        items: [
          { productId: 1001, variantId: 2001, title: "静岡 煎茶 100g", variantTitle: "缶入り", quantity: 2, price: "1200" },
          { productId: 1002, variantId: 2002, title: "八女 玉露", quantity: 1, price: "3000" },
          { productId: 1003, variantId: 2003, title: "ほうじ茶", quantity: 3, price: "800" },
          { productId: 1004, variantId: 2004, title: "抹茶", quantity: 1, price: "2500" },
        ],
      }),
    );
    const reminder = await db.cartReminder.create({
      data: { shop: SHOP, lineAccountId: account.id, checkoutId: checkout.id, friendId: friend.id, matchedBy: "cart", dueAt: new Date(), retryKey: "6f1c7a52-3b7e-5d1a-8c2f-0e4b9a7d1c33" },
    });

    expect(await sendCartReminder(reminder.id, graphql)).toEqual({ status: "sent" });
    const [push] = lineFake().sent(channel.channelId);
    const links = await db.reminderLink.findMany({ where: { reminderId: reminder.id } });
    expect(links.map((link) => link.kind).sort()).toEqual(["product", "product", "recovery"]);
    const targets = new Map(links.map((link) => [`${APP_URL.replace(/\/$/, "")}/r/${link.code}`, link.targetUrl]));
    const counter = { n: 0 };
    const pushed = replaceStrings(push.messages[0], targets, counter);
    expect(counter.n).toBe(3);

    const data = await loader({ request: await adminRequest("/app/abandoned-cart"), params: {}, context: {} });
    if (data.kind !== "page") throw new Error("expected the settings page");
    expect(data.cart.source).toBe("checkout");
    // Through JSON, as the browser receives the loader's data.
    const cart = JSON.parse(JSON.stringify(data.cart));
    const preview = previewMessage(cart, JSON.parse(JSON.stringify(data.settings)));
    expect(pushed).toEqual(preview);

    const json = JSON.stringify(preview);
    expect(json).toContain("ほか2点の商品もお待ちしています");
    expect(json).toContain("https://cdn.shopify.com/s/files/sencha-can.jpg");
    expect(json).toContain(`https://${SHOP}/products/yame-gyokuro?variant=2002&utm_source=line&utm_medium=abandoned_cart&utm_campaign=%E5%A4%8F%E3%82%BB%E3%83%BC%E3%83%AB`);
    expect(json).not.toContain("ほうじ茶");
    expect(json).toContain('"color":"#111111"'); // the dark title on the yellow header
  });
});
