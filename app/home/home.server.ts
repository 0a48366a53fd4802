// Everything the home page loads: set-up progress, alerts, the numbers of the chosen period, quota and revenue.
import type { GraphQL } from "../customers/admin-api.server";
import { env } from "../env.server";
import { quotaMeters } from "../quota/meter.server";
import { getSetupState } from "../shops/setup-state.server";
import { homeAlerts } from "./alerts.server";
import { reconcileShopAttention } from "./attention.server";
import { homeNumbers } from "./numbers.server";
import type { PeriodDays } from "./period";
import { storefrontButton, themeEditorUrl } from "./theme.server";

export async function homePage(shop: string, options: { days: PeriodDays; graphql: GraphQL | null; now?: Date }) {
  const [setup, quota, storefront] = await Promise.all([
    getSetupState(shop),
    quotaMeters(shop, options.now),
    storefrontButton(options.graphql),
  ]);
  const editorUrl = themeEditorUrl(shop, env.SHOPIFY_API_KEY);
  const [alerts, numbers] = await Promise.all([
    homeAlerts(shop, { quota, storefront, themeEditorUrl: editorUrl, now: options.now }),
    homeNumbers(shop, setup.timeZone, options.days, options.now),
    reconcileShopAttention(shop),
  ]);
  // lineRevenue: the period's LINE revenue under the name the revenue figures had before periods.
  return { setup, quota, storefront, themeEditorUrl: editorUrl, alerts, numbers, lineRevenue: numbers.current.revenue };
}

export type HomeData = Awaited<ReturnType<typeof homePage>>;
