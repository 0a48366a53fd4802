// Friend tags mirrored to the linked customer's Shopify tags ("LINE:<tag>"): switched on through the tags page's
// action, applied by the worker through tagsAdd / tagsRemove on the Admin API fake; userErrors fail the job.
import type { Job } from "bullmq";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action } from "~/routes/app.tags";
import { sessionStorage } from "~/shopify.server";
import { addTagToFriend, createTag, removeTagFromFriend } from "~/tags/tags.server";
import { processCustomerJob } from "../../jobs/processors/customer";
import type { CustomerJob } from "../../jobs/queues";
import { fakeCustomer } from "../support/customers";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { adminFake } from "../support/shopify-admin-fake";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";

const SHOP = TEST_SHOP_DOMAIN;
const OTHER = "mirror-other.myshopify.com";

async function switchMirror(id: string, mirror: boolean, shop = SHOP) {
  const body = new URLSearchParams({ intent: "mirror", id, mirror: String(mirror) });
  const request = await adminRequest("/app/tags", { method: "POST", body, shop });
  return action({ request, params: {}, context: {} });
}

const shopifyTags = () => adminFake().customers.get("7001")?.tags ?? [];

beforeEach(async () => {
  await db.tag.deleteMany();
  await db.friend.deleteMany();
  for (const shop of [SHOP, OTHER]) {
    await createShop(db, { shop });
    await sessionStorage.storeSession(offlineSession(shop));
  }
  adminFake().customers.clear();
  adminFake().customers.set("7001", fakeCustomer("7001", [], { tags: ["LINE"] }));
  adminFake().userErrors.clear();
  adminFake().calls.length = 0;
  adminFake().setBucket(2_000, 100);
});

describe("mirrored tags", () => {
  it("adds and removes LINE:<tag> on the linked customer as friends gain and lose a mirrored tag", async () => {
    const account = await createLineAccount(db, SHOP);
    const friend = await createFriend(db, account, { shopifyCustomerId: "7001" });
    const second = await createFriend(db, await createLineAccount(db, SHOP), { shopifyCustomerId: "7001" });
    const vip = (await createTag(SHOP, { name: "VIP" })) as { tag: { id: string } };
    const plain = (await createTag(SHOP, { name: "Newsletter" })) as { tag: { id: string } };
    await addTagToFriend(SHOP, friend.id, vip.tag.id);

    await withWorkers(async () => {
      // Switching on copies the tag to customers whose friends already hold it.
      expect((await switchMirror(vip.tag.id, true)).status).toBe(200);
      await waitUntil(async () => shopifyTags().includes("LINE:VIP"));

      await addTagToFriend(SHOP, second.id, vip.tag.id);
      await removeTagFromFriend(SHOP, friend.id, vip.tag.id);
      // Another friend of the customer still holds it: it stays. A tag not mirrored never goes to Shopify.
      await addTagToFriend(SHOP, friend.id, plain.tag.id);
      await waitUntil(async () => (await db.tag.count({ where: { mirrorToShopify: true } })) === 1);
      await removeTagFromFriend(SHOP, second.id, vip.tag.id);
      await waitUntil(async () => !shopifyTags().includes("LINE:VIP"));
    });
    expect(shopifyTags()).toEqual(["LINE"]);
    expect(adminFake().calls.some((call) => JSON.stringify(call.variables).includes("Newsletter"))).toBe(false);
    expect(adminFake().calls.some((call) => /tagsRemove/.test(call.query))).toBe(true);
  });

  it("fails the job when Shopify answers userErrors, so it is retried and recorded", async () => {
    const account = await createLineAccount(db, SHOP);
    const friend = await createFriend(db, account, { shopifyCustomerId: "7001" });
    const vip = (await createTag(SHOP, { name: "VIP" })) as { tag: { id: string } };
    await db.tag.update({ where: { id: vip.tag.id }, data: { mirrorToShopify: true } });
    await db.friendTag.create({ data: { shop: SHOP, friendId: friend.id, tagId: vip.tag.id } });
    adminFake().userErrors.set("tagsAdd", [{ field: ["tags"], message: "Tags is invalid" }]);
    const job = { data: { type: "sync-tags", shop: SHOP, customerId: "7001" } } as Job<CustomerJob>;
    await expect(processCustomerJob(job)).rejects.toThrow("tagsAdd: Tags is invalid");
    adminFake().userErrors.clear();
    adminFake().userErrors.set("tagsRemove", [{ field: ["id"], message: "Customer does not exist" }]);
    await db.friendTag.deleteMany();
    await expect(processCustomerJob(job)).rejects.toThrow("tagsRemove: Customer does not exist");
  });

  it("refuses another shop's tag id with a 404 and changes nothing", async () => {
    const theirs = (await createTag(OTHER, { name: "VIP" })) as { tag: { id: string } };
    const response = await switchMirror(theirs.tag.id, true);
    expect(response.status).toBe(404);
    expect(await db.tag.findUniqueOrThrow({ where: { id: theirs.tag.id } })).toMatchObject({ mirrorToShopify: false });
  });
});
