import { enqueueShopSync } from "../../jobs/queues";
import { db } from "../db.server";
import { logger } from "../logger.server";

/** Called after every successful auth: (re)marks the shop installed and refreshes its details in the background. */
export async function recordInstall(shop: string, scopes?: string) {
  const existing = await db.shop.findUnique({ where: { shop }, select: { uninstalledAt: true } });
  const reinstalled = existing?.uninstalledAt ? { installedAt: new Date(), uninstalledAt: null } : {};
  await db.shop.upsert({ where: { shop }, create: { shop, scopes }, update: { scopes, ...reinstalled } });
  // Redis being down must not fail the merchant's page load; the next auth or admin visit retries.
  await enqueueShopSync(shop).catch((error: Error) =>
    logger.warn("shop sync not queued", { shop, error: error.message }),
  );
}

/** The Shop row for an admin request, created on first sight (sessions may predate the row). */
export async function ensureShop(shop: string) {
  // ON CONFLICT DO NOTHING: parallel loaders of one page both get here, and Prisma's upsert is not race-safe.
  await db.shop.createMany({ data: [{ shop }], skipDuplicates: true });
  return db.shop.findUniqueOrThrow({ where: { shop } });
}

export async function isInstalled(shop: string) {
  const row = await db.shop.findUnique({ where: { shop }, select: { uninstalledAt: true } });
  return Boolean(row && !row.uninstalledAt);
}

type GraphQL = (query: string) => Promise<Response>;

const SHOP_QUERY = `#graphql
  query ShopDetails {
    shop { name ianaTimezone currencyCode }
    localization: shopLocales(published: true) { locale primary }
  }`;

/** Copies the shop's name, time zone, currency and primary locale from the Admin API. */
export async function syncShopDetails(shop: string, graphql: GraphQL) {
  const response = await graphql(SHOP_QUERY);
  const { data } = (await response.json()) as {
    data: {
      shop: { name: string; ianaTimezone: string; currencyCode: string };
      localization: { locale: string; primary: boolean }[];
    };
  };
  const primary = data.localization.find((entry) => entry.primary)?.locale;
  return db.shop.update({
    where: { shop },
    data: {
      name: data.shop.name,
      timeZone: data.shop.ianaTimezone,
      currency: data.shop.currencyCode,
      ...(primary ? { locale: primary } : {}),
      syncedAt: new Date(),
    },
  });
}
