// Correctly signed deliveries whose content or headers PostgreSQL would refuse as they are: never a 5xx, nothing lost.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as checkoutsCreate } from "~/routes/webhooks.checkouts.create";
import { shopifyWebhookQueue } from "../../jobs/queues";
import { checkoutPayload } from "../support/checkouts";
import { createShop } from "../support/factories";
import { signedWebhook, TEST_SHOP_DOMAIN } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";

async function deliver(request: Request) {
  try {
    return await checkoutsCreate({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

beforeEach(async () => {
  await db.webhookReceipt.deleteMany();
  await db.checkout.deleteMany();
  await db.shop.deleteMany();
  await shopifyWebhookQueue().obliterate({ force: true });
  await createShop(db, { shop: TEST_SHOP_DOMAIN });
});

describe("content jsonb cannot hold", () => {
  it("stores U+0000 and unpaired surrogates in a checkout note, and the worker gets the note back as sent", async () => {
    const note = "gift\u0000wrap \ud800 half a pair \udfff, and a literal \uffff0000 that must not turn into U+0000";
    const body = { ...checkoutPayload({ token: "nul-note" }), note, note_attributes: [{ name: "k\u0000ey", value: "v" }] };
    const response = await deliver(signedWebhook({ topic: "checkouts/create", body }));
    expect(response.status).toBe(200);

    const receipt = await db.webhookReceipt.findFirstOrThrow();
    await withWorkers(() => waitUntil(async () => (await db.webhookReceipt.findUniqueOrThrow({ where: { id: receipt.id } })).processedAt));
    expect(await db.checkout.count({ where: { token: "nul-note" } })).toBe(1);

    const { restoreJson: restorePayload } = await import("~/stored-json");
    expect(restorePayload(receipt.payload)).toEqual(JSON.parse(JSON.stringify(body)));
    // Everything else in the stored payload is queryable as usual (compliance finds receipts by customer and email).
    expect(receipt.payload).toMatchObject({ token: "nul-note", email: "shopper@example.com" });
  });

  it("refuses with 400, not 500, a body nested deeper than any payload", async () => {
    const deep = `{"token":"deep","nested":${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    expect((await deliver(signedWebhook({ topic: "checkouts/create", body: deep }))).status).toBe(400);
    expect(await db.webhookReceipt.count()).toBe(0);
  });
});

describe("unsigned headers of any size or value", () => {
  it("stores a webhook id of several kB in full and still deduplicates it", async () => {
    const webhookId = randomBytes(3_000).toString("base64"); // 4 kB that no compression shrinks
    const delivery = { topic: "checkouts/create", body: checkoutPayload({ token: "long-id" }), webhookId };
    expect((await deliver(signedWebhook(delivery))).status).toBe(200);
    expect((await deliver(signedWebhook(delivery))).status).toBe(200);

    const receipts = await db.webhookReceipt.findMany();
    expect(receipts).toHaveLength(1);
    expect(receipts[0].webhookId).toBe(webhookId);
    // A different long id is a different delivery.
    const other = { ...delivery, webhookId: randomBytes(3_000).toString("base64") };
    expect((await deliver(signedWebhook(other))).status).toBe(200);
    expect(await db.webhookReceipt.count()).toBe(2);
  });

  it("keeps a delivery whose triggered-at time PostgreSQL cannot hold, without the time", async () => {
    const triggeredAt = new Date(8.64e15); // +275760-09-13, the last date JavaScript has
    const response = await deliver(signedWebhook({ topic: "checkouts/create", body: checkoutPayload({ token: "far" }), triggeredAt }));
    expect(response.status).toBe(200);
    expect(await db.webhookReceipt.findFirstOrThrow()).toMatchObject({ triggeredAt: null, payload: { token: "far" } });
  });
});
