// Collection membership for segment conditions: read page by page from the Admin API (fake) in the maintenance job,
// queued when a segment naming a collection is saved, refreshed daily for collections segments still name.
import type { Job } from "bullmq";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sessionStorage } from "~/shopify.server";
import { saveSegment } from "~/segments/segments.server";
import { processMaintenance } from "../../jobs/processors/maintenance";
import { maintenanceQueue, type MaintenanceJob } from "../../jobs/queues";
import { createShop } from "../support/factories";
import { adminFake } from "../support/shopify-admin-fake";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const OTHER = "collections-other.myshopify.com";
const job = (data: MaintenanceJob) => ({ data }) as Job<MaintenanceJob>;
const stored = async (shop: string, collectionId: string) =>
  (await db.collectionProduct.findMany({ where: { shop, collectionId }, orderBy: { productId: "asc" } })).map((row) => row.productId);
const products = (from: number, count: number) => Array.from({ length: count }, (_, i) => String(from + i));

beforeEach(async () => {
  await db.session.deleteMany();
  await db.segment.deleteMany();
  await db.collectionProduct.deleteMany();
  await createShop(db, { shop: SHOP });
  await sessionStorage.storeSession(offlineSession());
  adminFake().collections.clear();
  adminFake().calls.length = 0;
  await maintenanceQueue().obliterate({ force: true });
});

const collectionSegment = (ids: string[]) => ({
  match: "all",
  groups: [{ match: "all", conditions: [{ field: "purchased", match: "any", target: "collection", items: ids.map((id) => ({ id, title: `C${id}` })), period: "ever", days: null }] }],
});

describe("collections", () => {
  it("reads every page of a collection's products, replaces them on the next read, and empties a deleted collection", async () => {
    adminFake().collections.set("7001", products(10_000, 300));
    await db.collectionProduct.create({ data: { shop: OTHER, collectionId: "7001", productId: "1" } });
    expect(await processMaintenance(job({ type: "sync-collection", shop: SHOP, collectionId: "7001" }))).toEqual({ found: true, products: 300 });
    expect(adminFake().calls.filter((call) => /collection\(/.test(call.query))).toHaveLength(2);
    expect(await stored(SHOP, "7001")).toEqual(products(10_000, 300));

    adminFake().collections.set("7001", ["10005", "20000"]);
    await processMaintenance(job({ type: "sync-collection", shop: SHOP, collectionId: "7001" }));
    expect(await stored(SHOP, "7001")).toEqual(["10005", "20000"]);

    adminFake().collections.delete("7001");
    expect(await processMaintenance(job({ type: "sync-collection", shop: SHOP, collectionId: "7001" }))).toEqual({ found: false, products: 0 });
    expect(await stored(SHOP, "7001")).toEqual([]);
    expect(await stored(OTHER, "7001")).toEqual(["1"]);
  });

  it("queues a read when a segment naming collections is saved, and not for other segments", async () => {
    const saved = await saveSegment(SHOP, null, { name: "Tea buyers", definition: collectionSegment(["7001", "7002"]) });
    expect("segment" in saved).toBe(true);
    await saveSegment(SHOP, null, { name: "Everyone", definition: { match: "all", groups: [] } });
    const jobs = await maintenanceQueue().getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.map((j) => j.data).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
      { type: "sync-collection", shop: SHOP, collectionId: "7001" },
      { type: "sync-collection", shop: SHOP, collectionId: "7002" },
    ]);
  });

  it("refreshes daily the collections segments still name and drops the others", async () => {
    await saveSegment(SHOP, null, { name: "Tea buyers", definition: collectionSegment(["7001"]) });
    await maintenanceQueue().obliterate({ force: true });
    await db.collectionProduct.createMany({
      data: [
        { shop: SHOP, collectionId: "7001", productId: "1" },
        { shop: SHOP, collectionId: "7999", productId: "2" },
      ],
    });
    expect(await processMaintenance(job({ type: "refresh-collections" }))).toEqual({ collections: 1 });
    expect(await stored(SHOP, "7999")).toEqual([]);
    expect(await stored(SHOP, "7001")).toEqual(["1"]);
    const jobs = await maintenanceQueue().getJobs(["waiting", "delayed", "prioritized"]);
    expect(jobs.map((j) => j.data)).toEqual([{ type: "sync-collection", shop: SHOP, collectionId: "7001" }]);
  });
});
