// The tracking links' downloads through the real admin authentication: the QR code of a link (PNG and SVG; another
// shop's link is 404) and the table's CSV for a period in the shop's time zone.
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader as qrLoader } from "~/routes/app.tracking-links_.$id.qr";
import { loader as csvLoader } from "~/routes/app.tracking-links[.csv]";
import { sessionStorage } from "~/shopify.server";
import { createTrackingLink } from "~/sources/tracking-admin.server";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const OTHER = "qr-other-shop.myshopify.com";
let mine = "";
let theirs = "";
let code = "";

async function link(shop: string, accountId: string, name: string) {
  const result = await createTrackingLink(shop, { name, lineAccountId: accountId, tagNames: ["Instagram"] });
  if (!("link" in result)) throw new Error(JSON.stringify(result.errors));
  return result.link;
}

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: TEST_SHOP_DOMAIN, timeZone: "Asia/Tokyo" });
  const account = await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea" });
  const spring = await link(TEST_SHOP_DOMAIN, account.id, "Instagram 春セール, \"限定\"");
  mine = spring.id;
  code = spring.code;
  theirs = (await link(OTHER, (await createLineAccount(db, OTHER)).id, "Theirs")).id;
  // Clicks at 23:30 on 9 March and 00:30 on 10 March in Tokyo; a friend added on the 10th who ordered on the 11th.
  await db.trackingClick.createMany({
    data: [
      { shop: TEST_SHOP_DOMAIN, trackingLinkId: mine, params: {}, createdAt: new Date("2025-03-09T14:30:00Z") },
      { shop: TEST_SHOP_DOMAIN, trackingLinkId: mine, params: {}, createdAt: new Date("2025-03-09T15:30:00Z") },
    ],
  });
  const friend = await createFriend(db, account, { shopifyCustomerId: "5001" });
  await db.friendSource.create({ data: { shop: TEST_SHOP_DOMAIN, friendId: friend.id, trackingLinkId: mine, params: {}, createdAt: new Date("2025-03-10T01:00:00Z") } });
  await db.order.create({ data: { shop: TEST_SHOP_DOMAIN, orderId: "qr-1", customerId: "5001", currency: "JPY", totalPrice: "4800", processedAt: new Date("2025-03-11T01:00:00Z") } });
});

const run = (loader: (args: never) => Promise<Response>, request: Request, params: Record<string, string> = {}) =>
  loader({ request, params, context: {} } as never).catch((thrown: unknown) => thrown as Response);

describe("QR code", () => {
  it("answers a PNG and an SVG of the link's URL", async () => {
    const png = await run(qrLoader, await adminRequest(`/app/tracking-links/${mine}/qr?format=png`), { id: mine });
    expect(png.status).toBe(200);
    expect(png.headers.get("content-type")).toBe("image/png");
    expect(png.headers.get("content-disposition")).toBe(`attachment; filename="qr-${code}.png"`);
    const bytes = new Uint8Array(await png.arrayBuffer());
    expect([...bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(bytes.length).toBeGreaterThan(1000);

    const svg = await run(qrLoader, await adminRequest(`/app/tracking-links/${mine}/qr?format=svg`), { id: mine });
    expect(svg.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    const text = await svg.text();
    expect(text).toContain("<svg");
    expect(text).toContain("<path");
  });

  it("answers 404 for another shop's link or an unknown id", async () => {
    for (const id of [theirs, "nope"]) {
      const response = await run(qrLoader, await adminRequest(`/app/tracking-links/${id}/qr?format=png`), { id });
      expect(response.status, id).toBe(404);
      expect(response.headers.get("content-type") ?? "").not.toContain("image");
    }
  });
});

describe("CSV", () => {
  async function csv(query: string) {
    const response = await run(csvLoader, await adminRequest(`/app/tracking-links.csv?${query}`));
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    return { response, rows: parse(new TextDecoder().decode(bytes)) as string[][] };
  }

  it("exports the shop's links with the report of the period, days in the shop's time zone", async () => {
    const { response, rows } = await csv("from=2025-03-10&to=2025-03-11&locale=ja");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="tracking-links-2025-03-10-2025-03-11.csv"');
    expect(rows[0]).toEqual(["リンク", "LINEアカウント", "URL", "タグ（任意）", "クリック", "LINEログイン", "友だち追加", "ブロック", "購入件数", "売上 (JPY)", "ポストバック送信", "ポストバック失敗", "ポストバック待ち"]);
    expect(rows.slice(1)).toEqual([
      ["Instagram 春セール, \"限定\"", "Tokyo Tea", `https://my-test-app.myshopify.io/t/${code}`, "Instagram", "1", "0", "1", "0", "1", "4800.00", "0", "0", "0"],
    ]);
    // The 9th (Tokyo) alone: one click, no friend, no order.
    const ninth = await csv("from=2025-03-09&to=2025-03-09&locale=en");
    expect(ninth.rows[0].slice(0, 5)).toEqual(["Link", "LINE account", "URL", "Tags (optional)", "Clicks"]);
    expect(ninth.rows[1].slice(4, 9)).toEqual(["1", "0", "0", "0", "0"]);
  });
});
