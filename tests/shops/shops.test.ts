import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { recordInstall, syncShopDetails } from "~/shops/shops.server";
import { maintenanceQueue } from "../../jobs/queues";

const SHOP = "sync-test.myshopify.com";

beforeEach(async () => {
  await db.shop.deleteMany();
  await maintenanceQueue().obliterate({ force: true });
});

describe("shop record", () => {
  it("is created on install and queues one details sync", async () => {
    await recordInstall(SHOP, "read_orders");
    await recordInstall(SHOP, "read_orders");
    expect(await db.shop.findUniqueOrThrow({ where: { shop: SHOP } })).toMatchObject({ scopes: "read_orders", uninstalledAt: null });
    const jobs = await maintenanceQueue().getJobs(["waiting", "delayed"]);
    expect(jobs.map((job) => job.data)).toEqual([{ type: "sync-shop", shop: SHOP }]);
  });

  it("is marked installed again after a reinstall", async () => {
    const before = new Date(Date.now() - 60_000);
    await db.shop.create({ data: { shop: SHOP, installedAt: before, uninstalledAt: before } });
    await recordInstall(SHOP);
    const row = await db.shop.findUniqueOrThrow({ where: { shop: SHOP } });
    expect(row.uninstalledAt).toBeNull();
    expect(row.installedAt.getTime()).toBeGreaterThan(before.getTime());
  });

  it("copies name, time zone, currency and primary locale from the Admin API", async () => {
    await db.shop.create({ data: { shop: SHOP } });
    const queries: string[] = [];
    const graphql = async (query: string) => {
      queries.push(query);
      return Response.json({
        data: {
          shop: { name: "台北茶舖", ianaTimezone: "Asia/Taipei", currencyCode: "TWD" },
          localization: [{ locale: "en", primary: false }, { locale: "zh-TW", primary: true }],
        },
      });
    };
    const row = await syncShopDetails(SHOP, graphql);
    expect(row).toMatchObject({ name: "台北茶舖", timeZone: "Asia/Taipei", currency: "TWD", locale: "zh-TW" });
    expect(row.syncedAt).not.toBeNull();
    expect(queries[0]).toContain("ianaTimezone");
  });
});
