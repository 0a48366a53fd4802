// The composer's two resource routes through the real admin authentication: image upload into the shop's Files
// (Admin API fake: staged upload, fileCreate, processing) and product cards for picked products.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { action as uploadImage } from "~/routes/app.api.images";
import { loader as loadProducts } from "~/routes/app.api.products";
import { sessionStorage } from "~/shopify.server";
import { adminFake, FAKE_CDN } from "../support/shopify-admin-fake";
import { adminRequest, offlineSession } from "../support/shopify";

type Handler = (args: never) => Promise<unknown>;

async function call(handler: Handler, request: Request) {
  const outcome = await handler({ request, params: {}, context: {} } as never).catch((thrown: unknown) => thrown);
  if (outcome instanceof Response) {
    const type = outcome.headers.get("content-type") ?? "";
    return { status: outcome.status, body: (type.includes("json") ? await outcome.json() : {}) as Record<string, any> };
  }
  throw outcome;
}

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46]);

async function upload(bytes: Uint8Array<ArrayBuffer> | null, name = "summer sale.png", type = "image/png") {
  const form = new FormData();
  if (bytes) form.append("file", new File([bytes], name, { type }));
  return call(uploadImage, await adminRequest("/app/api/images", { method: "POST", body: form }));
}

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
});

beforeEach(() => {
  const fake = adminFake();
  fake.calls.length = 0;
  fake.files.clear();
  fake.filePolls = 1;
  fake.fileFailure = null;
  fake.userErrors.clear();
});

describe("POST /app/api/images", () => {
  it("stores a PNG in the shop's Files and answers its HTTPS URLs once Shopify has processed it", async () => {
    adminFake().filePolls = 3;
    const { status, body } = await upload(PNG);
    expect(status).toBe(200);
    const [file] = [...adminFake().files.values()];
    expect(file).toMatchObject({ filename: "summer-sale.png", mimeType: "image/png" });
    expect([...file.bytes]).toEqual([...PNG]);
    expect(body.image.url).toMatch(new RegExp(`^${FAKE_CDN}/summer-sale\\.png\\?`));
    expect(body.image.previewUrl).toMatch(/^https:\/\/.*width=800/);
    const operations = adminFake().calls.map((c) => /(stagedUploadsCreate|fileCreate|node\()/.exec(c.query)?.[1]);
    expect(operations).toEqual(["stagedUploadsCreate", "fileCreate", "node(", "node(", "node("]);
    expect(adminFake().calls[0].variables.input).toEqual([{ filename: "summer-sale.png", mimeType: "image/png", resource: "IMAGE", httpMethod: "POST", fileSize: String(PNG.length) }]);
  });

  it("reads the type from the bytes: a JPEG named .png is stored as a JPEG", async () => {
    const { status } = await upload(JPEG, "photo.png");
    expect(status).toBe(200);
    expect([...adminFake().files.values()][0]).toMatchObject({ filename: "photo.jpg", mimeType: "image/jpeg" });
  });

  it("refuses what LINE cannot show with 400 and a readable message, before anything reaches Shopify", async () => {
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]);
    expect(await upload(gif, "a.gif", "image/png")).toEqual({
      status: 400,
      body: { ok: false, error: "messagesComposer.error.imageType", message: "The image must be a JPEG or PNG file." },
    });
    const large = new Uint8Array(10 * 1024 * 1024 + 1);
    large.set(PNG);
    expect(await upload(large)).toMatchObject({ status: 400, body: { error: "messagesComposer.error.imageTooLarge" } });
    expect(await upload(null)).toMatchObject({ status: 400, body: { error: "messagesComposer.error.imageMissing" } });
    expect(adminFake().calls).toEqual([]);
  });

  it("accepts exactly 10 MB", async () => {
    const limit = new Uint8Array(10 * 1024 * 1024);
    limit.set(JPEG);
    expect((await upload(limit, "big.jpg")).status).toBe(200);
  });

  it("says so when Shopify cannot process the image", async () => {
    adminFake().fileFailure = "Image is corrupt";
    expect(await upload(PNG)).toMatchObject({ status: 400, body: { error: "messagesComposer.error.imageProcessing" } });
    adminFake().fileFailure = null;
    adminFake().userErrors.set("stagedUploadsCreate", [{ field: ["input"], message: "Throttled" }]);
    expect(await upload(PNG)).toMatchObject({ status: 502, body: { error: "messagesComposer.error.imageUpload" } });
  });

  it("needs an admin session", async () => {
    const form = new FormData();
    form.append("file", new File([PNG], "a.png"));
    const request = new Request("https://line-crm.example/app/api/images", { method: "POST", body: form });
    const { status } = await call(uploadImage, request);
    expect([401, 302]).toContain(status);
    expect(adminFake().calls).toEqual([]);
  });
});

describe("GET /app/api/products", () => {
  beforeAll(() => {
    const fake = adminFake();
    fake.shop.currencyCode = "JPY";
    fake.products.set("101", { id: "101", handle: "sencha", title: "静岡 煎茶", price: "1200.0", imageUrl: "https://cdn.shopify.com/s/files/sencha.jpg" });
    fake.products.set("102", { id: "102", handle: "gyokuro", title: "八女 玉露", price: "3000.0", imageUrl: null, onlineStoreUrl: null });
  });

  it("answers the picked products' cards in the order picked, from the Admin API", async () => {
    const { status, body } = await call(loadProducts, await adminRequest("/app/api/products?id=gid://shopify/Product/102&id=101&id=999"));
    expect(status).toBe(200);
    expect(body.products).toEqual([
      {
        productId: "gid://shopify/Product/102",
        title: "八女 玉露",
        price: "3000.0",
        currency: "JPY",
        imageUrl: null,
        image: null,
        url: "https://line-crm-test.myshopify.com/products/gyokuro",
      },
      {
        productId: "gid://shopify/Product/101",
        title: "静岡 煎茶",
        price: "1200.0",
        currency: "JPY",
        imageUrl: "https://cdn.shopify.com/s/files/sencha.jpg",
        image: { url: "https://cdn.shopify.com/s/files/sencha.jpg", previewUrl: "https://cdn.shopify.com/s/files/sencha.jpg?width=800" },
        url: "https://line-crm-test.myshopify.com/products/sencha",
      },
    ]);
  });

  it("refuses no ids, more than 10, or ids that are not products", async () => {
    expect(await call(loadProducts, await adminRequest("/app/api/products"))).toMatchObject({ status: 400, body: { error: "messagesComposer.error.productsCount" } });
    const eleven = Array.from({ length: 11 }, (_, i) => `id=${i + 1}`).join("&");
    expect(await call(loadProducts, await adminRequest(`/app/api/products?${eleven}`))).toMatchObject({ status: 400 });
    expect(await call(loadProducts, await adminRequest("/app/api/products?id=gid://shopify/Customer/1"))).toMatchObject({
      status: 400,
      body: { error: "messagesComposer.error.productIds" },
    });
  });
});
