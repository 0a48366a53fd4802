// The "LINE" tag on a linked customer, through the maintenance job, the Shopify library and the Admin API fake:
// a tag Shopify refused (userErrors) fails the job so it is retried and recorded, never counted as done.
import type { Job } from "bullmq";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { processMaintenance } from "../../jobs/processors/maintenance";
import type { MaintenanceJob } from "../../jobs/queues";
import { adminFake } from "../support/shopify-admin-fake";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const tagJob = { data: { type: "tag-customer", shop: TEST_SHOP_DOMAIN, customerId: "7001" } } as Job<MaintenanceJob>;

beforeEach(async () => {
  await db.session.deleteMany();
  await sessionStorage.storeSession(offlineSession());
  adminFake().calls.length = 0;
  adminFake().userErrors.clear();
});

describe("tag-customer", () => {
  it("adds the LINE tag to the customer", async () => {
    expect(await processMaintenance(tagJob)).toBe("tagged");
    expect(adminFake().calls).toHaveLength(1);
    expect(adminFake().calls[0]).toMatchObject({
      shop: TEST_SHOP_DOMAIN,
      variables: { id: "gid://shopify/Customer/7001", tags: ["LINE"] },
    });
    expect(adminFake().calls[0].query).toMatch(/tagsAdd/);
  });

  it("fails when Shopify answers with userErrors", async () => {
    adminFake().userErrors.set("tagsAdd", [{ field: ["id"], message: "Customer does not exist" }]);
    await expect(processMaintenance(tagJob)).rejects.toThrow("tagsAdd: Customer does not exist");
  });
});
